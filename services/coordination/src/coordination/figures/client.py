"""coordination → reporting over gRPC: hotline figures for the Working Group (aggregates only)."""

from datetime import datetime

from hotline.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from hotline_common.auth import Principal
from hotline_common.grpc_server import ServiceChannel, call_upstream
from hotline_common.service_identity import ServiceTokens


class ReportingClient:
    def __init__(self, target: str, tokens: ServiceTokens):
        self._channel = ServiceChannel(target, tokens)
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
            self._stub.GetStatistics, request, metadata=await self._channel.metadata(principal), service="reporting"
        )

    async def close(self) -> None:
        await self._channel.close()
