"""Daily call counts: a period report sums ~90 small daily rows per code instead of scanning a
quarter of a million calls.

Handlers mark a local day changed (with a version) when they project a call of it; a background
refresher recounts changed days from call_facts and clears a mark only if its version is still the
one it read, so a call projected meanwhile keeps its day marked. Queries never wait for the
refresher: they sum the daily rows of unmarked days and count marked days directly, so figures are
always exact.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from hotline_common.db import Database
from reporting.statistics.models import (
    CallDayChanged,
    CallDayCount,
    CallExploitationType,
    CallFact,
    CallMethodOfControl,
)

DAYS_PER_ROUND = 31


async def refresh(
    db: Database,
    columns: Mapping[str, InstrumentedAttribute[object]],
    dimensions: list[str],
    joins: Mapping[str, type[CallExploitationType] | type[CallMethodOfControl]] | None = None,
) -> int:
    """Recount up to DAYS_PER_ROUND changed days; how many were refreshed. `joins`: the child table of
    a multi-valued dimension (exploitation types, methods of control), written in the same transaction
    as its call fact, so the call's day mark covers it too."""
    async with db.transaction() as session:
        marks = (
            await session.execute(
                select(CallDayChanged.local_date, CallDayChanged.version)
                .order_by(CallDayChanged.local_date)
                .limit(DAYS_PER_ROUND)
            )
        ).all()
        if not marks:
            return 0
        days = [day for day, _ in marks]
        await session.execute(delete(CallDayCount).where(CallDayCount.local_date.in_(days)))
        rows = []
        for dimension in dimensions:
            column = columns[dimension]
            source = select(CallFact.local_date, column, func.count()).select_from(CallFact)
            joined = (joins or {}).get(dimension)
            if joined is not None:
                source = source.join(joined, joined.contact_id == CallFact.contact_id)
            counted = await session.execute(
                source.where(CallFact.local_date.in_(days)).group_by(CallFact.local_date, column)
            )
            merged: dict[tuple[str, str], int] = {}
            for day, value, count in counted.all():
                key = (day, cell_key(value))
                merged[key] = merged.get(key, 0) + count
            rows += [
                {"local_date": day, "dimension": dimension, "key": key, "count": n} for (day, key), n in merged.items()
            ]
        if rows:
            await session.execute(insert(CallDayCount), rows)
        for day, version in marks:
            await session.execute(
                delete(CallDayChanged).where(and_(CallDayChanged.local_date == day, CallDayChanged.version == version))
            )
    return len(marks)


NOT_STATED = "not_stated"


def cell_key(value: bool | int | str | None) -> str:
    """A stored value as the key of a table's cell: yes/no, a two-digit number, or not_stated."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:02d}"
    return value or NOT_STATED


async def counts(
    session: AsyncSession, dimensions: list[str], first_day: str | None, end_day: str | None
) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Summed daily counts over [first_day, end_day) of the unchanged days, and the changed days
    (to be counted directly by the caller)."""
    in_range = []
    if first_day:
        in_range.append(CallDayCount.local_date >= first_day)
    if end_day:
        in_range.append(CallDayCount.local_date < end_day)
    changed_range = [
        c
        for c in [
            CallDayChanged.local_date >= first_day if first_day else None,
            CallDayChanged.local_date < end_day if end_day else None,
        ]
        if c is not None
    ]
    changed = list(await session.scalars(select(CallDayChanged.local_date).where(*changed_range)))
    query = (
        select(CallDayCount.dimension, CallDayCount.key, func.sum(CallDayCount.count))
        .where(CallDayCount.dimension.in_(dimensions), *in_range)
        .group_by(CallDayCount.dimension, CallDayCount.key)
    )
    if changed:
        query = query.where(CallDayCount.local_date.not_in(changed))
    out: dict[str, dict[str, int]] = {d: {} for d in dimensions}
    for dimension, key, total in (await session.execute(query)).all():
        out[dimension][key] = int(total)
    return out, changed
