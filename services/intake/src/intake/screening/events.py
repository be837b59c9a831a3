"""What screening emits: the high-risk alert, codes only."""

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import intake_pb2
from hotline_common.events.outbox import add_event
from intake.screening.models import ScreeningAlert

HIGH_RISK = "intake.screening.high_risk.v1"


async def emit_high_risk(session: AsyncSession, alert: ScreeningAlert) -> None:
    message = intake_pb2.HighRiskRaised(
        contact_id=alert.contact_id,
        caller_id=alert.caller_id or "",
        risk_level=alert.risk_level,
        indicator_groups=alert.indicator_groups,
        operator_id=alert.operator_id,
        police_report_consented=alert.police_report == "consented",
    )
    message.raised_at.FromDatetime(alert.raised_at)
    await add_event(session, HIGH_RISK, message)
