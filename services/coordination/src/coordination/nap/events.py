from datetime import UTC, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from coordination.nap.models import Measure
from hotline.events.v1 import coordination_pb2
from hotline_common.events.outbox import add_event

NAP_MEASURE_UPDATED = "coordination.nap.measure.updated.v1"


async def emit_updated(session: AsyncSession, measure: Measure, *, overdue: bool) -> None:
    message = coordination_pb2.NapMeasureUpdated(
        measure_id=measure.id,
        number=measure.number,
        status=measure.status,
        executing_bodies=list(measure.executing_bodies),
        overdue=overdue,
    )
    message.deadline.FromDatetime(datetime.combine(measure.deadline, time(0), tzinfo=UTC))
    message.updated_at.FromDatetime(measure.updated_at)
    await add_event(session, NAP_MEASURE_UPDATED, message)
