"""The ReportingService servicer: a thin adapter over the statistics domain."""

import grpc

from hotline.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from hotline_common.grpc_server import Registration
from reporting.runtime import ReportingRuntime
from reporting.statistics import rpc as statistics_rpc


class ReportingServicer(reporting_pb2_grpc.ReportingServiceServicer):
    def __init__(self, runtime: ReportingRuntime):
        self.runtime = runtime

    async def GetStatistics(
        self,
        request: reporting_pb2.StatisticsRequest,
        context: grpc.aio.ServicerContext[reporting_pb2.StatisticsRequest, reporting_pb2.Statistics],
    ) -> reporting_pb2.Statistics:
        return await statistics_rpc.get_statistics(self.runtime, request, context)

    async def GetTable(
        self,
        request: reporting_pb2.TableRequest,
        context: grpc.aio.ServicerContext[reporting_pb2.TableRequest, reporting_pb2.Table],
    ) -> reporting_pb2.Table:
        return await statistics_rpc.get_table(self.runtime, request, context)


def registration(runtime: ReportingRuntime) -> Registration:
    return (
        reporting_pb2_grpc.add_ReportingServiceServicer_to_server,
        ReportingServicer(runtime),
        "hotline.reporting.v1.ReportingService",
    )
