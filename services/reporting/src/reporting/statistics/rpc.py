from datetime import timezone

from hotline.reporting.v1 import reporting_pb2
from hotline_common.grpc_server import principal_from_context
from reporting.statistics import service
from reporting.statistics.schemas import StatisticsQuery


def _counts(mapping: dict[str, int]) -> list[reporting_pb2.Count]:
    return [reporting_pb2.Count(key=k, count=v) for k, v in mapping.items()]


async def get_statistics(runtime, request: reporting_pb2.StatisticsRequest, context) -> reporting_pb2.Statistics:
    principal = await principal_from_context(context, runtime.verifier)
    query = StatisticsQuery(
        from_time=request.from_time.ToDatetime(tzinfo=timezone.utc) if request.HasField("from_time") else None,
        to_time=request.to_time.ToDatetime(tzinfo=timezone.utc) if request.HasField("to_time") else None,
    )
    async with runtime.db.reader() as session:
        stats = await service.get_statistics(session, principal, query)
    message = reporting_pb2.Statistics(
        calls_total=stats.calls_total, calls_by_line=_counts(stats.calls_by_line),
        calls_by_caller_role=_counts(stats.calls_by_caller_role), calls_by_purpose=_counts(stats.calls_by_purpose),
        referrals_total=stats.referrals_total, referrals_by_service_type=_counts(stats.referrals_by_service_type),
        meetings_total=stats.meetings_total,
    )
    if stats.newest_event_at:
        message.newest_event_at.FromDatetime(stats.newest_event_at)
    return message
