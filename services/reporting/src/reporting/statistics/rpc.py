from datetime import UTC

import grpc
from pydantic import ValidationError

from hotline.reporting.v1 import reporting_pb2
from hotline_common.errors import InvalidInput
from hotline_common.grpc_server import principal_from_context
from reporting.runtime import ReportingRuntime
from reporting.statistics import service
from reporting.statistics.schemas import CALL_FILTERS, Statistics, StatisticsQuery


def _counts(mapping: dict[str, int | None]) -> list[reporting_pb2.Count]:
    # A hidden cell is listed as suppressed, as the HTTP API lists it as null (a 0 would read as "none").
    return [
        reporting_pb2.Count(key=k, suppressed=True) if v is None else reporting_pb2.Count(key=k, count=v)
        for k, v in mapping.items()
    ]


def statistics_message(stats: Statistics, suppression_k: int | None) -> reporting_pb2.Statistics:
    """The gRPC form of the summary: a hidden figure is absent and marked suppressed, never a 0."""
    message = reporting_pb2.Statistics(
        calls_by_line=_counts(stats.calls_by_line),
        calls_by_caller_role=_counts(stats.calls_by_caller_role),
        calls_by_purpose=_counts(stats.calls_by_purpose),
        referrals_total=stats.referrals_total,
        referrals_by_service_type=_counts(stats.referrals_by_service_type),
        meetings_total=stats.meetings_total,
        suppression_k=suppression_k or 0,
        calls_total_suppressed=stats.calls_total is None,
        quarters=stats.quarters or [],
    )
    if stats.calls_total is not None:
        message.calls_total = stats.calls_total
    if stats.newest_event_at:
        message.newest_event_at.FromDatetime(stats.newest_event_at)
    return message


def _query(
    request: reporting_pb2.StatisticsRequest | reporting_pb2.TableRequest, filters: dict[str, str] | None = None
) -> StatisticsQuery:
    unknown = sorted(set(filters or {}) - set(CALL_FILTERS))
    if unknown:
        raise InvalidInput.single(f"filters.{unknown[0]}", "unknown filter")
    try:
        return StatisticsQuery(
            from_time=request.from_time.ToDatetime(tzinfo=UTC) if request.HasField("from_time") else None,
            to_time=request.to_time.ToDatetime(tzinfo=UTC) if request.HasField("to_time") else None,
            **(filters or {}),
        )
    except ValidationError as exc:
        raise InvalidInput.from_pydantic(exc) from None


async def get_statistics(
    runtime: ReportingRuntime,
    request: reporting_pb2.StatisticsRequest,
    context: grpc.aio.ServicerContext[reporting_pb2.StatisticsRequest, reporting_pb2.Statistics],
) -> reporting_pb2.Statistics:
    principal = await principal_from_context(context, runtime.verifier)
    query = _query(request)
    k = runtime.settings.suppression_k
    async with runtime.db.reader() as session:
        stats = await service.get_statistics(session, principal, query, k)
    return statistics_message(stats, service.suppression_for(principal, k))


async def get_table(
    runtime: ReportingRuntime,
    request: reporting_pb2.TableRequest,
    context: grpc.aio.ServicerContext[reporting_pb2.TableRequest, reporting_pb2.Table],
) -> reporting_pb2.Table:
    principal = await principal_from_context(context, runtime.verifier)
    query = _query(request, dict(request.filters))
    if request.subject not in ("calls", "referrals"):
        raise InvalidInput.single("subject", "must be calls or referrals")
    k = runtime.settings.suppression_k
    async with runtime.db.reader() as session:
        table = await service.table(session, principal, request.subject, request.dimension, query, k)
        newest = await service.newest_event_at(session)
    message = reporting_pb2.Table(
        name=table.name,
        dimension=table.dimension,
        total=table.total or 0,
        total_suppressed=table.total is None,
        suppressed=table.suppressed,
        suppression_k=service.suppression_for(principal, k) or 0,
        cells=[reporting_pb2.Cell(key=c.key, count=c.count or 0, suppressed=c.count is None) for c in table.cells],
    )
    if newest:
        message.newest_event_at.FromDatetime(newest)
    return message
