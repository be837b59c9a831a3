"""What contacts emit: the recorded sheet, codes only."""

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import intake_pb2
from hotline_common.events.outbox import add_event
from intake.contact.models import Contact

CONTACT_RECORDED = "intake.contact.recorded.v1"


async def emit_recorded(
    session: AsyncSession,
    contact: Contact,
    *,
    methods_of_control: tuple[str, ...],
    indicator_groups: tuple[str, ...],
    returning_caller: bool,
) -> None:
    """The whole sheet as codes. The note and the agency name stay in the vault; services informed
    go out as a count only."""
    message = intake_pb2.ContactRecorded(
        contact_id=contact.id,
        caller_id=contact.caller_id or "",
        line=contact.line,
        caller_role=contact.caller_role,
        purpose=contact.purpose,
        operator_id=contact.operator_id,
        duration_seconds=contact.duration_seconds or 0,
        caller_sex=contact.caller_sex,
        caller_age_group=contact.caller_age_group,
        caller_citizenship=contact.caller_citizenship,
        caller_country=contact.caller_country,
        caller_region=contact.caller_region,
        caller_language=contact.caller_language,
        motive=contact.motive,
        destination_country=contact.destination_country,
        indicators=contact.indicators,
        indicator_groups=indicator_groups,
        risk_level=contact.risk_level,
        exploitation_types=contact.exploitation_types,
        labour_industry=contact.labour_industry,
        methods_of_control=methods_of_control,
        state_at_start=contact.state_at_start,
        state_at_end=contact.state_at_end,
        crisis_support=contact.crisis_support,
        advice_given=contact.advice_given,
        services_informed=len(contact.services_informed),
        follow_up_needed=contact.follow_up_needed,
        returning_caller=returning_caller,
        script_version_id=contact.script_version_id or "",
        revision=contact.revision,
    )
    message.started_at.FromDatetime(contact.started_at)
    message.recorded_at.FromDatetime(contact.recorded_at)
    if contact.ended_at:
        message.ended_at.FromDatetime(contact.ended_at)
    await add_event(session, CONTACT_RECORDED, message)
