"""coordination → reporting over gRPC: hotline figures for the Working Group (aggregates only)."""

from datetime import datetime

from hotline.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from hotline_common.auth import Principal, bearer_metadata
from hotline_common.grpc_server import ServiceChannel, call_upstream


class ReportingClient:
    def __init__(self, target: str):
        self._channel = ServiceChannel(target)
        self._stub = reporting_pb2_grpc.ReportingServiceStub(self._channel.channel)

    async def statistics(
        self, principal: Principal, *, from_time: datetime | None = None, to_time: datetime | None = None
    ) -> reporting_pb2.Statistics:
        request = reporting_pb2.StatisticsRequest()
        if from_time:
            request.from_time.FromDatetime(from_time)
        if to_time:
            request.to_time.FromDatetime(to_time)
        return await call_upstream(
            self._stub.GetStatistics, request, metadata=bearer_metadata(principal), service="reporting"
        )

    async def close(self) -> None:
        await self._channel.close()
