"""The ReportingService servicer: a thin adapter over the statistics domain."""

from hotline.reporting.v1 import reporting_pb2_grpc
from reporting.statistics import rpc as statistics_rpc


class ReportingServicer(reporting_pb2_grpc.ReportingServiceServicer):
    def __init__(self, runtime):
        self.runtime = runtime

    async def GetStatistics(self, request, context):
        return await statistics_rpc.get_statistics(self.runtime, request, context)

    async def GetTable(self, request, context):
        return await statistics_rpc.get_table(self.runtime, request, context)


def registration(runtime):
    return (
        reporting_pb2_grpc.add_ReportingServiceServicer_to_server,
        ReportingServicer(runtime),
        "hotline.reporting.v1.ReportingService",
    )
