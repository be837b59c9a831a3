"""Screening: check indicator codes, assess the risk (rules in screening/rules.py), raise and list
high-risk alerts for the director's board. No HTTP or gRPC in here."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import FieldProblem, InvalidInput, NotFound, PermissionDenied
from intake.screening import events
from intake.screening.models import ScreeningAlert
from intake.screening.rules import GROUPS, INDICATOR_GROUP, Assessment, assess
from intake.screening.schemas import AlertOut, AssessmentOut, IndicatorGroupOut


def indicator_problems(indicators: list[str], field: str = "indicators") -> list[FieldProblem]:
    problems = [
        FieldProblem(f"{field}.{i}", f"unknown indicator code {code!r}")
        for i, code in enumerate(indicators)
        if code not in INDICATOR_GROUP
    ]
    if len(set(indicators)) != len(indicators):
        problems.append(FieldProblem(field, "an indicator is listed twice"))
    return problems


def to_out(assessment: Assessment) -> AssessmentOut:
    return AssessmentOut(
        risk_level=assessment.risk_level,
        groups=list(assessment.groups),
        rules=list(assessment.rules),
        methods_of_control=list(assessment.methods_of_control),
        suggest_police_report=assessment.risk_level == "high",
    )


def checklist(principal: Principal) -> list[IndicatorGroupOut]:
    require(principal, Permission.CONTACT_RECORD)
    return [IndicatorGroupOut(group=group, indicators=list(codes)) for group, codes in GROUPS.items()]


def assess_indicators(principal: Principal, indicators: list[str]) -> AssessmentOut:
    """The live risk level while the operator ticks the checklist (nothing stored)."""
    require(principal, Permission.CONTACT_RECORD)
    problems = indicator_problems(indicators)
    if problems:
        raise InvalidInput(problems)
    return to_out(assess(indicators))


async def raise_alert(
    session: AsyncSession,
    *,
    contact_id: str,
    caller_id: str | None,
    operator_id: str,
    assessment: Assessment,
    police_report: str,
) -> ScreeningAlert:
    """In the transaction that records the contact: the alert row and its event commit together."""
    alert = ScreeningAlert(
        id=new_id(),
        contact_id=contact_id,
        caller_id=caller_id,
        risk_level=assessment.risk_level,
        indicator_groups=list(assessment.groups),
        operator_id=operator_id,
        police_report=police_report or "not_suggested",
        raised_at=utcnow(),
    )
    session.add(alert)
    await session.flush()
    await events.emit_high_risk(session, alert)
    return alert


def _require_director(principal: Principal) -> None:
    require(principal, Permission.CONTACT_READ)
    if not principal.can(Permission.HOTLINE_SUPERVISE):
        raise PermissionDenied("only the director supervises high-risk alerts")


async def list_open_alerts(session: AsyncSession, principal: Principal, *, limit: int = 100) -> list[AlertOut]:
    """Open high-risk alerts, newest first: what the director's board shows."""
    _require_director(principal)
    rows = (
        await session.scalars(
            select(ScreeningAlert)
            .where(ScreeningAlert.closed_at.is_(None))
            .order_by(ScreeningAlert.raised_at.desc())
            .limit(limit)
        )
    ).all()
    return [AlertOut.model_validate(row, from_attributes=True) for row in rows]


async def close_alert(session: AsyncSession, principal: Principal, alert_id: str) -> AlertOut:
    _require_director(principal)
    alert = await session.get(ScreeningAlert, alert_id)
    if alert is None:
        raise NotFound("no such alert")
    if alert.closed_at is None:
        alert.closed_at = utcnow()
        alert.closed_by = principal.subject
    return AlertOut.model_validate(alert, from_attributes=True)
