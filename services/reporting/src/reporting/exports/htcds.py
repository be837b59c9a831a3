"""The HTCDS-aligned research export: aggregated counts of calls by a few case fields, k-suppressed.

Never microdata: one row per *combination* of field values with its count, and every count below
k hidden (with complementary cells, see statistics/suppression.py); rows are calls in which at
least one type of exploitation was recorded (the cases HTCDS describes).

Field names. Confirmed in the HTCDS field reference (UNMigration/HTCDS, "HTCDS Field
Reference.md"): prs_Gender (Male / Female / Transgender/NonConforming / Unknown), prs_Nationality
(ISO 3166 alpha-2; our citizenship), prs_MailingCountry and prs_MailingState (our country and
region of residence), vic_TypeOfExploitation, vic_MethodsOfControl, vic_ForcedLabourIndustry.
Not found in what could be checked: prs_AgeBroad (the CTDC global dataset calls the binned age
`ageBroad`; we use prs_AgeBroad with our age bins) and the period fields (CTDC:
`yearOfRegistration`; we add `quarterOfRegistration`). Multi-valued fields are joined with ";"
in sorted order, as CTDC's `...Concatenated` columns are.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from reporting.statistics.models import CallExploitationType, CallFact, CallMethodOfControl
from reporting.statistics.schemas import StatisticsQuery
from reporting.statistics.service import _call_conditions, closed_quarters
from reporting.statistics.suppression import Line, protect

GENDER = {
    "female": "Female",
    "male": "Male",
    "other": "Transgender/NonConforming",
    "not_stated": "Unknown",
    "": "Unknown",
}
FIELDS = {
    "yearOfRegistration": CallFact.local_year,
    "quarterOfRegistration": CallFact.local_quarter,
    "prs_Gender": CallFact.sex,
    "prs_AgeBroad": CallFact.age_group,
    "prs_Nationality": CallFact.citizenship,
    "prs_MailingCountry": CallFact.country,
    "prs_MailingState": CallFact.region,
    "vic_ForcedLabourIndustry": CallFact.labour_industry,
    "vic_TypeOfExploitation": None,  # from call_exploitation_types
    "vic_MethodsOfControl": None,  # from call_methods_of_control
}
DEFAULT_FIELDS = (
    "yearOfRegistration",
    "quarterOfRegistration",
    "prs_Gender",
    "prs_AgeBroad",
    "prs_Nationality",
    "vic_TypeOfExploitation",
)


def _value(field: str, raw: str) -> str:
    if field == "prs_Gender":
        return GENDER.get(raw, raw.capitalize())
    return "Unknown" if raw in ("", "not_stated") else raw


async def htcds_rows(
    session: AsyncSession,
    principal: Principal,
    query: StatisticsQuery,
    k: int,
    fields: tuple[str, ...] = DEFAULT_FIELDS,
) -> tuple[list[str], list[list[object]]]:
    """Header and rows (field values..., count or None where hidden); always suppressed, whoever asks."""
    require(principal, Permission.STATS_READ)
    # A release of records: whole quarters that have ended, like every suppressed figure.
    query = (await closed_quarters(session, query)).query
    conditions = _call_conditions(query)
    columns = [FIELDS[f] for f in fields if FIELDS[f] is not None]
    rows = await session.execute(
        select(CallFact.contact_id, *columns).where(
            *conditions, CallFact.contact_id.in_(select(CallExploitationType.contact_id))
        )
    )
    per_call = {row[0]: list(row[1:]) for row in rows.all()}
    multi = {}
    for field, model in (
        ("vic_TypeOfExploitation", CallExploitationType),
        ("vic_MethodsOfControl", CallMethodOfControl),
    ):
        if field in fields:
            found: dict[str, list[str]] = {}
            codes = select(model.contact_id, model.code).join(CallFact, CallFact.contact_id == model.contact_id)
            for contact_id, code in (await session.execute(codes.where(*conditions))).all():
                if contact_id in per_call:
                    found.setdefault(contact_id, []).append(code)
            multi[field] = found
    counts: dict[tuple[str, ...], int] = {}
    for contact_id, values in per_call.items():
        single = iter(values)
        key = tuple(
            ";".join(sorted(multi[f].get(contact_id, []))) or "Unknown"
            if FIELDS[f] is None
            else _value(f, next(single))
            for f in fields
        )
        counts[key] = counts.get(key, 0) + 1
    keys = sorted(counts)
    values = [counts[key] for key in keys] + [sum(counts.values())]
    hidden = protect(values, [Line(tuple(range(len(keys))), len(keys))], k)
    total = None if len(keys) in hidden else values[-1]
    out: list[list[object]] = [[*key, None if n in hidden else counts[key]] for n, key in enumerate(keys)]
    if values[-1] < k:
        out = []  # fewer than k cases: not even which combinations occur
    out.append(["Total", *[""] * (len(fields) - 1), total])
    return [*fields, "count"], out
