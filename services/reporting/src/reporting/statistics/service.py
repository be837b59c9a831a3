"""Statistics queries over the projections, and who sees them how.

The hotline's director, who already sees every record in intake, gets exact figures. Analysts,
the Coordinator's office and Working Group members get aggregates only, suppressed at
k = SUPPRESSION_K; for them a period is widened to whole local days, so totals of a few minutes
cannot single out one call, and every call figure (cells, totals, filtered totals, cross-tabs)
comes from `Disclosure`, one consistent pattern per period (disclosure.py), so no two queries
difference to a hidden cell. Referral tables (never filtered) go through `publish`
(suppression.py). The unfiltered grand totals (calls, referrals, meetings of a period) name no
attribute and are published exactly; the tables treat them as known. Working Group and NAP figures are about
institutions, not people, and are exact.
"""

from __future__ import annotations

import statistics as stats
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, ColumnExpressionArgument, Select, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import Database
from hotline_common.errors import InvalidInput
from reporting.database import Base
from reporting.statistics import daily as daily_counts
from reporting.statistics import periods
from reporting.statistics.disclosure import Assignment, Face, Lattice
from reporting.statistics.models import (
    CallExploitationType,
    CallFact,
    CallMethodOfControl,
    DecisionFact,
    HighRiskAlert,
    MeetingFact,
    NapMeasureBody,
    NapMeasureFact,
    ProjectionLag,
    ReferralFact,
)
from reporting.statistics.schemas import (
    CALL_DIMENSIONS,
    CALL_FILTERS,
    REFERRAL_DIMENSIONS,
    Cell,
    CrossTable,
    Dashboard,
    Durations,
    Statistics,
    StatisticsQuery,
    Table,
    WorkingGroup,
)
from reporting.statistics.suppression import Line, one_way, protect, two_way

NOT_STATED = daily_counts.NOT_STATED

_CALL_COLUMNS = {
    "day": CallFact.local_date,
    "week": CallFact.local_week,
    "month": CallFact.local_month,
    "quarter": CallFact.local_quarter,
    "year": CallFact.local_year,
    "line": CallFact.line,
    "hour": CallFact.local_hour,
    "caller_role": CallFact.caller_role,
    "purpose": CallFact.purpose,
    "motive": CallFact.motive,
    "destination_country": CallFact.destination_country,
    "citizenship": CallFact.citizenship,
    "country": CallFact.country,
    "region": CallFact.region,
    "sex": CallFact.sex,
    "age_group": CallFact.age_group,
    "language": CallFact.language,
    "risk_level": CallFact.risk_level,
    "crisis": CallFact.crisis_support,
    "returning_caller": CallFact.returning_caller,
    "exploitation_type": CallExploitationType.code,
    "method_of_control": CallMethodOfControl.code,
}
_CALL_JOINS: dict[str, type[CallExploitationType] | type[CallMethodOfControl]] = {
    "exploitation_type": CallExploitationType,
    "method_of_control": CallMethodOfControl,
}
_REFERRAL_COLUMNS = {
    "service_type": ReferralFact.service_type,
    "organisation": ReferralFact.organisation_id,
    "region": ReferralFact.region,
    "urgency": ReferralFact.urgency,
    "status": ReferralFact.status,
    "outcome": ReferralFact.outcome,
    "overdue": ReferralFact.overdue,
    "quarter": ReferralFact.local_quarter,
}
# Dimensions whose cells are ordered by key (time), not by size.
_ORDERED = {"day", "week", "month", "quarter", "year", "hour"}


def suppression_for(principal: Principal, k: int) -> int | None:
    """The k a reader's figures are suppressed at; None for exact figures."""
    require(principal, Permission.STATS_READ)
    return None if principal.can(Permission.STATS_UNSUPPRESSED) else k


def whole_days(query: StatisticsQuery) -> StatisticsQuery:
    """The period widened to local midnights (for suppressed readers)."""
    zone = periods.zone()

    def floor(moment: datetime) -> datetime:
        local = moment.astimezone(zone)
        return datetime.combine(local.date(), time(), zone).astimezone(UTC)

    changes = {}
    if query.from_time:
        changes["from_time"] = floor(query.from_time)
    if query.to_time:
        start = floor(query.to_time)
        changes["to_time"] = start if start == query.to_time else floor(start + timedelta(hours=36))
    return query.model_copy(update=changes)


def _call_conditions(query: StatisticsQuery) -> list[ColumnElement[bool]]:
    conditions = []
    if query.from_time:
        conditions.append(CallFact.started_at >= query.from_time)
    if query.to_time:
        conditions.append(CallFact.started_at < query.to_time)
    for name, value in query.filters().items():
        column = _CALL_COLUMNS[name]
        # A code not stated is stored empty (and published as not_stated, which the filters offer).
        conditions.append(or_(column == "", column.is_(None)) if value == NOT_STATED else column == value)
    return conditions


def _referral_conditions(query: StatisticsQuery) -> list[ColumnElement[bool]]:
    conditions = []
    if query.from_time:
        conditions.append(ReferralFact.created_at >= query.from_time)
    if query.to_time:
        conditions.append(ReferralFact.created_at < query.to_time)
    return conditions


def _call_source(dimension: str) -> Select[tuple[object, int]]:
    joined = _CALL_JOINS.get(dimension)
    source = select(_CALL_COLUMNS[dimension], func.count()).select_from(CallFact)
    if joined is not None:
        source = source.join(joined, joined.contact_id == CallFact.contact_id)
    return source


async def call_counts(session: AsyncSession, dimension: str, query: StatisticsQuery) -> dict[str, int]:
    column = _CALL_COLUMNS[dimension]
    rows = await session.execute(_call_source(dimension).where(*_call_conditions(query)).group_by(column))
    return _merge(rows.all())


async def _counts_in_one_scan(
    session: AsyncSession,
    dimensions: list[str],
    columns: Mapping[str, InstrumentedAttribute[object]],
    conditions: Sequence[ColumnExpressionArgument[bool]],
) -> dict[str, dict[str, int]]:
    """Counts by each of several columns of one table from a single scan (PostgreSQL GROUPING SETS)."""
    selected = [columns[d] for d in dimensions]
    grouping = func.grouping(*selected)  # bit i (from the left) set: column i not grouped in this row
    rows = await session.execute(
        select(grouping, *selected, func.count())
        .where(*conditions)
        .group_by(func.grouping_sets(*[tuple_(c) for c in selected]))
    )
    found: dict[str, list[tuple[Any, int]]] = {d: [] for d in dimensions}
    width = len(dimensions)
    for row in rows.all():
        mask, values, count = row[0], row[1:-1], row[-1]
        index = next(i for i in range(width) if not mask & (1 << (width - 1 - i)))
        found[dimensions[index]].append((values[index], count))
    return {d: _merge(found[d]) for d in dimensions}


def _one_scan(session: AsyncSession, dimensions: list[str]) -> bool:
    return session.bind.dialect.name == "postgresql" and len(dimensions) > 1


# Dimensions the daily counts keep (not the day itself; the multi-valued ones through their join).
DAILY_DIMENSIONS = (
    "week",
    "month",
    "quarter",
    "year",
    "line",
    "hour",
    "caller_role",
    "purpose",
    "motive",
    "destination_country",
    "citizenship",
    "country",
    "region",
    "sex",
    "age_group",
    "language",
    "risk_level",
    "crisis",
    "returning_caller",
    "exploitation_type",
    "method_of_control",
)


def _whole_local_days(query: StatisticsQuery) -> tuple[str | None, str | None] | None:
    """The period as [first day, end day) local dates, if it runs from midnight to midnight."""
    bounds: list[str | None] = []
    for moment in (query.from_time, query.to_time):
        if moment is None:
            bounds.append(None)
            continue
        local = moment.astimezone(periods.zone())
        if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
            return None
        bounds.append(local.strftime("%Y-%m-%d"))
    return bounds[0], bounds[1]


async def call_counts_many(
    session: AsyncSession, dimensions: list[str], query: StatisticsQuery
) -> dict[str, dict[str, int]]:
    """Counts by several dimensions. A whole-day period without filters sums the daily counts (and
    counts directly only the days changed since they were last counted); otherwise PostgreSQL
    counts the single-valued dimensions in one scan (GROUPING SETS), SQLite one by one."""
    days = _whole_local_days(query) if not query.filters() else None
    daily = [d for d in dimensions if d in DAILY_DIMENSIONS]
    out: dict[str, dict[str, int]] = {}
    if days is not None and daily:
        out, changed = await daily_counts.counts(session, daily, *days)
        if changed:
            conditions = [CallFact.local_date.in_(changed), *_call_conditions(query)]
            plain = [d for d in daily if d not in _CALL_JOINS]
            fresh = (
                await _counts_in_one_scan(session, plain, _CALL_COLUMNS, conditions)
                if _one_scan(session, plain)
                else {}
            )
            for d in daily:
                if d not in fresh:
                    fresh[d] = _merge(
                        (await session.execute(_call_source(d).where(*conditions).group_by(_CALL_COLUMNS[d]))).all()
                    )
            for d in daily:
                for key, n in fresh[d].items():
                    out[d][key] = out[d].get(key, 0) + n
    single = [d for d in dimensions if d not in _CALL_JOINS and d not in out]
    if _one_scan(session, single):
        out.update(await _counts_in_one_scan(session, single, _CALL_COLUMNS, _call_conditions(query)))
    else:
        out.update({d: await call_counts(session, d, query) for d in single})
    for d in dimensions:
        if d in _CALL_JOINS and d not in out:
            out[d] = await call_counts(session, d, query)
    return out


async def refresh_daily_counts(db: Database) -> int:
    return await daily_counts.refresh(db, _CALL_COLUMNS, list(DAILY_DIMENSIONS), _CALL_JOINS)


async def referral_counts_many(
    session: AsyncSession, dimensions: list[str], query: StatisticsQuery
) -> dict[str, dict[str, int]]:
    if _one_scan(session, dimensions):
        return await _counts_in_one_scan(session, dimensions, _REFERRAL_COLUMNS, _referral_conditions(query))
    return {d: await referral_counts(session, d, query) for d in dimensions}


async def referral_counts(session: AsyncSession, dimension: str, query: StatisticsQuery) -> dict[str, int]:
    column = _REFERRAL_COLUMNS[dimension]
    rows = await session.execute(select(column, func.count()).where(*_referral_conditions(query)).group_by(column))
    return _merge(rows.all())


def _merge(rows: Iterable[Sequence[Any]]) -> dict[str, int]:
    """Counts by code from (value, count) rows (result rows or pairs), values of one code merged."""
    out: dict[str, int] = {}
    for value, count in rows:
        out[daily_counts.cell_key(value)] = out.get(daily_counts.cell_key(value), 0) + count
    return out


_ORDER = {name: n for n, name in enumerate(CALL_DIMENSIONS)}


def _entry(filters: Mapping[str, str], extra: Mapping[str, str]) -> tuple[Face, Assignment] | None:
    """The hypercube entry of the calls matching `filters` and `extra`; None if they contradict."""
    merged = dict(filters)
    for name, code in extra.items():
        if merged.setdefault(name, code) != code:
            return None
    face = _face_of(merged)
    return face, tuple(merged[name] for name in face)


def _face_of(names: Iterable[str]) -> Face:
    return tuple(sorted(set(names), key=_ORDER.__getitem__))


class Disclosure:
    """What a suppressed reader sees of one period's calls. Every figure (a table's cells, its
    total, a filtered total, a cross-tab) is an entry of the period's hypercube and is read from
    its lattice (disclosure.py), so each figure is hidden or shown alike in every query."""

    def __init__(self, session: AsyncSession, query: StatisticsQuery, k: int):
        self.session, self.k = session, k
        self.period = _call_conditions(query.model_copy(update=dict.fromkeys(CALL_FILTERS)))
        self.lattices: dict[frozenset[str], Lattice] = {}

    def lattice(self, joins: frozenset[str]) -> Lattice:
        # The calls' own hypercube has the exact calls total at its top; the others count pairs.
        return self.lattices.setdefault(joins, Lattice(self.k, exact_total=not joins))

    async def _load(self, joins: frozenset[str], face: Face) -> Lattice:
        """The lattice with `face` and its sub-faces counted: one GROUP BY, the sub-faces summed."""
        lattice = self.lattice(joins)
        missing = lattice.missing(face)
        if not missing:
            return lattice
        columns = [_CALL_COLUMNS[d] for d in face]
        source = select(*columns, func.count()).select_from(CallFact)
        for d in sorted(joins):
            source = source.join(_CALL_JOINS[d], _CALL_JOINS[d].contact_id == CallFact.contact_id)
        rows = (await self.session.execute(source.where(*self.period).group_by(*columns))).all()
        finest = [(tuple(daily_counts.cell_key(v) for v in row[:-1]), row[-1]) for row in rows]
        for sub in missing:
            positions = [face.index(d) for d in sub]
            found: dict[Assignment, int] = {}
            for key, n in finest:
                part = tuple(key[p] for p in positions)
                found[part] = found.get(part, 0) + n
            lattice.counts[sub] = found
        return lattice

    async def figure(self, joins: frozenset[str], filters: Mapping[str, str], **extra: str) -> tuple[int, int | None]:
        """(true count, published figure) of one entry."""
        entry = _entry(filters, extra)
        if entry is None:
            return 0, 0
        lattice = await self._load(joins, entry[0])
        return lattice.value(*entry), lattice.shown(*entry)

    async def table(self, name: str, dimension: str, filters: Mapping[str, str]) -> Table:
        joins = frozenset({dimension} & set(_CALL_JOINS))
        population, total = await self.figure(joins, filters)
        lattice = await self._load(joins, _face_of({*filters, dimension}))
        codes = [filters[dimension]] if dimension in filters else lattice.codes(dimension)
        cells = []
        for code in codes:
            count, shown = await self.figure(joins, filters, **{dimension: code})
            if count or shown is None:  # leaving out a hidden zero would say it is zero
                cells.append(Cell(key=code, count=shown))
        if population < self.k:
            # Fewer than k people get no breakdown at all: even which codes occur says something.
            return Table(name=name, dimension=dimension, cells=[], total=total, suppressed=len(cells))
        cells.sort(key=lambda c: c.key if dimension in _ORDERED else (c.count is None, -(c.count or 0), c.key))
        hidden = sum(1 for c in cells if c.count is None)
        return Table(name=name, dimension=dimension, cells=cells, total=total, suppressed=hidden)

    def prefill(self, calls_total: int, counts: Mapping[str, Mapping[str, int]]) -> None:
        """Unfiltered 1-D counts already counted (the daily counts) for the faces they are."""
        for dimension, by_code in counts.items():
            joins = frozenset({dimension} & set(_CALL_JOINS))
            lattice = self.lattice(joins)
            lattice.counts[()] = {(): calls_total if not joins else sum(by_code.values())}
            lattice.counts[(dimension,)] = {(code,): n for code, n in by_code.items()}


def publish(name: str, dimension: str, counts: dict[str, int], k: int | None, *, total: int | None = None) -> Table:
    """One published table. `total` given: the table's parts add up to an exactly published total
    (it stays visible); otherwise the parts' sum is the total and may be hidden itself."""
    ordered = sorted(counts) if dimension in _ORDERED else sorted(counts, key=lambda key: (-counts[key], key))
    counts = {key: counts[key] for key in ordered}
    if k is None:
        return Table(
            name=name,
            dimension=dimension,
            cells=[Cell(key=key, count=v) for key, v in counts.items()],
            total=sum(counts.values()),
        )
    population = sum(counts.values()) if total is None else total
    if population < k:
        # A population smaller than k gets no breakdown at all: even which codes occur would say
        # something about a handful of people.
        return Table(name=name, dimension=dimension, cells=[], total=total, suppressed=len(counts))
    if total is None:
        shown = one_way(counts, k)
        cells, shown_total = shown.cells, shown.total
    else:
        cells, shown_total = _with_public_total(counts, total, k), total
    hidden = sum(1 for v in cells.values() if v is None)
    return Table(
        name=name,
        dimension=dimension,
        cells=[Cell(key=key, count=v) for key, v in cells.items()],
        total=shown_total,
        suppressed=hidden,
    )


def _with_public_total(counts: dict[str, int], total: int, k: int) -> dict[str, int | None]:
    keys = list(counts)
    values = [counts[key] for key in keys] + [total]
    hidden = protect(values, [Line(tuple(range(len(keys))), len(keys))], k, pinned={len(keys)})
    return {key: (None if n in hidden else counts[key]) for n, key in enumerate(keys)}


async def call_table(
    session: AsyncSession, dimension: str, query: StatisticsQuery, k: int | None, calls_total: int | None = None
) -> Table:
    if k is not None:
        return await Disclosure(session, query, k).table(f"calls_by_{dimension}", dimension, query.filters())
    counts = await call_counts(session, dimension, query)
    # Multi-valued dimensions (one call, several exploitation types) do not add up to the calls.
    public_total = None if dimension in _CALL_JOINS else calls_total
    return publish(f"calls_by_{dimension}", dimension, counts, k, total=public_total)


async def referral_table(
    session: AsyncSession, dimension: str, query: StatisticsQuery, k: int | None, referrals_total: int | None = None
) -> Table:
    counts = await referral_counts(session, dimension, query)
    return publish(f"referrals_by_{dimension}", dimension, counts, k, total=referrals_total)


async def cross_table(
    session: AsyncSession, principal: Principal, rows: str, columns: str, query: StatisticsQuery, k: int
) -> CrossTable:
    k_ = suppression_for(principal, k)
    if k_ is not None:
        query = whole_days(query)
    for name in (rows, columns):
        if name not in CALL_DIMENSIONS:
            raise InvalidInput.single("rows" if name == rows else "columns", f"unknown dimension {name}")
    if k_ is not None:
        return await _disclosed_cross_table(Disclosure(session, query, k_), rows, columns, query.filters())
    source = select(_CALL_COLUMNS[rows], _CALL_COLUMNS[columns], func.count()).select_from(CallFact)
    for dimension in {rows, columns}:
        joined = _CALL_JOINS.get(dimension)
        if joined is not None:
            source = source.join(joined, joined.contact_id == CallFact.contact_id)
    result = await session.execute(
        source.where(*_call_conditions(query)).group_by(_CALL_COLUMNS[rows], _CALL_COLUMNS[columns])
    )
    counts: dict[tuple[str, str], int] = {}
    for r, c, n in result.all():
        counts[(daily_counts.cell_key(r), daily_counts.cell_key(c))] = (
            counts.get((daily_counts.cell_key(r), daily_counts.cell_key(c)), 0) + n
        )
    table = two_way(counts, k_ if k_ is not None else 1)
    return CrossTable(
        rows_dimension=rows,
        columns_dimension=columns,
        rows=table.rows,
        columns=table.columns,
        cells=[[table.cells[(r, c)] for c in table.columns] for r in table.rows],
        row_totals=[table.row_totals[r] for r in table.rows],
        column_totals=[table.column_totals[c] for c in table.columns],
        total=table.total,
    )


async def _disclosed_cross_table(
    disclosure: Disclosure, rows: str, columns: str, filters: Mapping[str, str]
) -> CrossTable:
    joins = frozenset({rows, columns} & set(_CALL_JOINS))
    population, total = await disclosure.figure(joins, filters)

    async def present(dimension: str) -> list[str]:
        lattice = await disclosure._load(joins, _face_of({*filters, rows, columns}))
        codes = [filters[dimension]] if dimension in filters else lattice.codes(dimension)
        figures = [(c, await disclosure.figure(joins, filters, **{dimension: c})) for c in codes]
        return [c for c, (count, shown) in figures if count or shown is None]

    row_codes, column_codes = await present(rows), await present(columns)
    small = population < disclosure.k  # fewer than k people: no breakdown

    async def shown(extra: dict[str, str]) -> int | None:
        return None if small else (await disclosure.figure(joins, filters, **extra))[1]

    return CrossTable(
        rows_dimension=rows,
        columns_dimension=columns,
        rows=row_codes,
        columns=column_codes,
        cells=[
            [await shown({rows: r, columns: c}) if rows != columns or r == c else 0 for c in column_codes]
            for r in row_codes
        ],
        row_totals=[await shown({rows: r}) for r in row_codes],
        column_totals=[await shown({columns: c}) for c in column_codes],
        total=total,
    )


def _percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


async def durations(
    session: AsyncSession, end_column: InstrumentedAttribute[datetime | None], query: StatisticsQuery, k: int | None
) -> Durations:
    conditions = [*_referral_conditions(query), end_column.is_not(None)]
    if session.bind.dialect.name == "postgresql":
        # In the database: a quarter's referrals are not shipped to Python to find two numbers.
        hours = func.extract("epoch", end_column - ReferralFact.created_at) / 3600.0
        hours = func.greatest(hours, 0)
        row = (
            await session.execute(
                select(
                    func.count(),
                    func.percentile_cont(0.5).within_group(hours),
                    func.percentile_disc(0.9).within_group(hours),
                ).where(*conditions)
            )
        ).one()
        count, median, p90 = row[0], row[1], row[2]
    else:
        rows = await session.execute(select(ReferralFact.created_at, end_column).where(*conditions))
        values = sorted(max(0.0, (end - start).total_seconds() / 3600) for start, end in rows.all())
        count = len(values)
        median = stats.median(values) if values else None
        p90 = _percentile(values, 0.9) if values else None
    if not count or (k is not None and count < k):
        return Durations(count=None if count else 0, median_hours=None, p90_hours=None)
    return Durations(count=count, median_hours=round(float(median), 2), p90_hours=round(float(p90), 2))


def _quarters_between(first: str, last: str) -> list[str]:
    out, (year, q) = [], (int(first[:4]), int(first[-1]))
    while f"{year}-Q{q}" <= last:
        out.append(f"{year}-Q{q}")
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


async def working_group(session: AsyncSession, query: StatisticsQuery, now: datetime | None = None) -> WorkingGroup:
    conditions = []
    if query.from_time:
        conditions.append(MeetingFact.scheduled_for >= query.from_time)
    if query.to_time:
        conditions.append(MeetingFact.scheduled_for < query.to_time)
    held = select(MeetingFact.quarter, func.count()).where(MeetingFact.held, *conditions).group_by(MeetingFact.quarter)
    by_quarter = dict((await session.execute(held)).tuples().all())
    # Compliance: every quarter that has ended, from the first one in view, had a held meeting.
    last_ended = periods.previous_quarter(now or datetime.now(UTC))
    if query.to_time:
        last_ended = min(last_ended, periods.previous_quarter(query.to_time))
    first = periods.quarter_of(query.from_time) if query.from_time else (min(by_quarter) if by_quarter else None)
    missing = [q for q in _quarters_between(first, last_ended) if q not in by_quarter] if first else []

    async def count(*where: ColumnExpressionArgument[bool]) -> int:
        return await session.scalar(select(func.count()).select_from(MeetingFact).where(*conditions, *where)) or 0

    decision_conditions = []
    if query.from_time:
        decision_conditions.append(DecisionFact.decided_at >= query.from_time)
    if query.to_time:
        decision_conditions.append(DecisionFact.decided_at < query.to_time)
    decisions = await session.scalar(select(func.count()).select_from(DecisionFact).where(*decision_conditions)) or 0
    by_head = (
        await session.scalar(
            select(func.count()).select_from(DecisionFact).where(DecisionFact.decided_by_head, *decision_conditions)
        )
        or 0
    )
    nap_status = dict(
        (await session.execute(select(NapMeasureFact.status, func.count()).group_by(NapMeasureFact.status)))
        .tuples()
        .all()
    )
    nap_body = dict(
        (await session.execute(select(NapMeasureBody.body, func.count()).group_by(NapMeasureBody.body))).tuples().all()
    )
    return WorkingGroup(
        meetings_by_quarter=dict(sorted(by_quarter.items())),
        quarters_without_meeting=missing,
        meetings_held=sum(by_quarter.values()),
        meetings_quorate=await count(MeetingFact.held, MeetingFact.quorate),
        protocols_signed=await count(MeetingFact.protocol_signed),
        decisions=decisions,
        decisions_by_head=by_head,
        nap_by_status=dict(sorted(nap_status.items())),
        nap_by_body=dict(sorted(nap_body.items())),
        nap_overdue=await session.scalar(select(func.count()).select_from(NapMeasureFact).where(NapMeasureFact.overdue))
        or 0,
        nap_total=sum(nap_status.values()),
    )


async def newest_event_at(session: AsyncSession) -> datetime | None:
    return await session.scalar(select(func.max(ProjectionLag.newest_event_at)))


async def _total(session: AsyncSession, model: type[Base], conditions: Sequence[ColumnExpressionArgument[bool]]) -> int:
    return await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def _small(value: int, k: int | None) -> int | None:
    return None if k is not None and 0 < value < k else value


DASHBOARD_CALL_DIMENSIONS = (
    "month",
    "line",
    "hour",
    "caller_role",
    "purpose",
    "motive",
    "destination_country",
    "citizenship",
    "country",
    "region",
    "sex",
    "age_group",
    "language",
    "risk_level",
    "exploitation_type",
    "method_of_control",
)
DASHBOARD_REFERRAL_DIMENSIONS = ("service_type", "organisation", "region", "outcome")


async def dashboard(
    session: AsyncSession, principal: Principal, query: StatisticsQuery, k: int, *, period: str = "month"
) -> Dashboard:
    k_ = suppression_for(principal, k)
    if k_ is not None:
        query = whole_days(query)
    call_conditions = _call_conditions(query)
    call_dims = [period, *[d for d in DASHBOARD_CALL_DIMENSIONS if d != "month"]]
    counts = await call_counts_many(session, [*call_dims, "crisis", "returning_caller"], query)
    alerts = [HighRiskAlert.contact_id.in_(select(CallFact.contact_id).where(*call_conditions))]
    # Every call has one line (or not_stated): the line counts add up to the calls.
    calls_total = sum(counts["line"].values())
    crisis, returning = counts["crisis"].get("yes", 0), counts["returning_caller"].get("yes", 0)
    crisis_shown: int | None
    returning_shown: int | None
    alerts_shown: int | None
    if k_ is None:
        public_total: int | None = calls_total
        calls = [publish(f"calls_by_{d}", d, counts[d], None) for d in call_dims]
        crisis_shown, returning_shown, alerts_shown = crisis, returning, await _total(session, HighRiskAlert, alerts)
    else:
        disclosure = Disclosure(session, query, k_)
        if not query.filters():
            disclosure.prefill(calls_total, counts)
        calls = [await disclosure.table(f"calls_by_{d}", d, query.filters()) for d in call_dims]
        public_total = (await disclosure.figure(frozenset(), query.filters()))[1]
        crisis_shown = (await disclosure.figure(frozenset(), query.filters(), crisis="yes"))[1]
        returning_shown = (await disclosure.figure(frozenset(), query.filters(), returning_caller="yes"))[1]
        # Alerts are no dimension of the hypercube: a filtered count could be differenced.
        alerts_shown = None if query.filters() else _small(await _total(session, HighRiskAlert, alerts), k_)
    referrals_total = await _total(session, ReferralFact, _referral_conditions(query))
    referral_counts_by = await referral_counts_many(session, list(DASHBOARD_REFERRAL_DIMENSIONS), query)
    referrals = [
        publish(f"referrals_by_{d}", d, referral_counts_by[d], k_, total=referrals_total)
        for d in DASHBOARD_REFERRAL_DIMENSIONS
    ]
    overdue = await _total(session, ReferralFact, [*_referral_conditions(query), ReferralFact.overdue])
    return Dashboard(
        suppression_k=k_,
        calls_total=public_total,
        crisis_calls=crisis_shown,
        returning_callers=returning_shown,
        high_risk_alerts=alerts_shown,
        calls=calls,
        referrals_total=referrals_total,
        referrals=referrals,
        acknowledgement=await durations(session, ReferralFact.acknowledged_at, query, k_),
        outcome=await durations(session, ReferralFact.outcome_at, query, k_),
        overdue_share=(
            round(overdue / referrals_total, 4)
            if referrals_total and (k_ is None or overdue == 0 or overdue >= k_)
            else (0.0 if not referrals_total else None)
        ),
        working_group=await working_group(session, query),
        newest_event_at=await newest_event_at(session),
    )


async def table(
    session: AsyncSession, principal: Principal, subject: str, dimension: str, query: StatisticsQuery, k: int
) -> Table:
    """One table on its own (the dashboards' downloads and the gRPC API)."""
    k_ = suppression_for(principal, k)
    if k_ is not None:
        query = whole_days(query)
    if subject == "calls" and dimension in CALL_DIMENSIONS:
        total = None if k_ is not None else await _total(session, CallFact, _call_conditions(query))
        return await call_table(session, dimension, query, k_, total)
    if subject == "referrals" and dimension in REFERRAL_DIMENSIONS:
        return await referral_table(
            session, dimension, query, k_, await _total(session, ReferralFact, _referral_conditions(query))
        )
    raise InvalidInput.single("dimension", f"unknown dimension {dimension} for {subject}")


async def get_statistics(
    session: AsyncSession, principal: Principal, query: StatisticsQuery, k: int = 11
) -> Statistics:
    """The summary other services and the operations checks read (GetStatistics)."""
    k_ = suppression_for(principal, k)
    if k_ is not None:
        query = whole_days(query)
    exact_calls = await _total(session, CallFact, _call_conditions(query))
    calls_total = (
        exact_calls if k_ is None else (await Disclosure(session, query, k_).figure(frozenset(), query.filters()))[1]
    )
    referrals_total = await _total(session, ReferralFact, _referral_conditions(query))
    meetings = []
    if query.from_time:
        meetings.append(MeetingFact.scheduled_for >= query.from_time)
    if query.to_time:
        meetings.append(MeetingFact.scheduled_for < query.to_time)

    async def cells(table_: Table) -> dict[str, int | None]:
        return {cell.key: cell.count for cell in table_.cells}

    return Statistics(
        calls_total=calls_total,
        calls_by_line=await cells(await call_table(session, "line", query, k_, calls_total)),
        calls_by_caller_role=await cells(await call_table(session, "caller_role", query, k_, calls_total)),
        calls_by_purpose=await cells(await call_table(session, "purpose", query, k_, calls_total)),
        referrals_total=referrals_total,
        referrals_by_service_type=await cells(
            await referral_table(session, "service_type", query, k_, referrals_total)
        ),
        meetings_total=await _total(session, MeetingFact, meetings),
        newest_event_at=await newest_event_at(session),
    )
