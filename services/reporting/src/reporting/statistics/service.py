"""Statistics queries over the projections, and who sees them how.

The hotline's director, who already sees every record in intake, gets exact figures of any period.
Analysts, the Coordinator's office and Working Group members get aggregates only, suppressed at
k = SUPPRESSION_K, of whole local quarters that have ended (`Coverage`): a quarter is protected on
its own, one consistent pattern for every figure of it (cells, totals, filtered totals, cross-tabs;
`Disclosure`, disclosure.py), and a longer period is the sum of its quarters, hidden where any
quarter hides. So neither two queries of one quarter nor two periods difference to a hidden cell,
and an open quarter, whose figures would change call by call, is not shown to them at all.
Referral tables (never filtered) go through `publish` (suppression.py) per quarter. A quarter's
unfiltered grand totals (calls, referrals) name no attribute and are published exactly; the tables
treat them as known. Working Group and NAP figures are about institutions, not people, and are exact.
"""

from __future__ import annotations

import statistics as stats
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
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


class Coverage:
    """The local calendar quarters a suppressed reader's figures cover: whole quarters that have
    ended. Each quarter's figures come from that quarter's own lattice (disclosure.py); a figure of
    several quarters is the sum of theirs, hidden where any of them is hidden. So every published
    figure is a sum of published quarter figures, and no two periods difference to a hidden cell;
    and a quarter's figures do not change as new calls arrive, so reading them again tells nothing."""

    def __init__(self, quarters: list[str], query: StatisticsQuery):
        self.quarters = quarters
        if quarters:
            start, end = periods.quarter_bounds(quarters[0])[0], periods.quarter_bounds(quarters[-1])[1]
        else:  # an empty period (nothing has ended yet): from == to matches no call
            start = end = periods.quarter_bounds(periods.quarter_of(datetime.now(UTC)))[0]
        # model_copy does not validate: an empty period is allowed here, not in a request.
        self.query = query.model_copy(update={"from_time": start, "to_time": end})

    def parts(self) -> list[tuple[str, StatisticsQuery]]:
        """Each quarter with the reader's filters, as its own query."""
        return [
            (
                q,
                self.query.model_copy(
                    update=dict(zip(("from_time", "to_time"), periods.quarter_bounds(q), strict=True))
                ),
            )
            for q in self.quarters
        ]


async def closed_quarters(session: AsyncSession, query: StatisticsQuery, now: datetime | None = None) -> Coverage:
    """The quarters of a suppressed reader's period: every local quarter it touches that has ended
    (no period given: all of them since the first call or referral)."""
    last = periods.previous_quarter(now or datetime.now(UTC))
    if query.from_time:
        first: str | None = periods.quarter_of(query.from_time)
    else:
        starts = [
            await session.scalar(select(func.min(CallFact.local_quarter))),
            await session.scalar(select(func.min(ReferralFact.local_quarter))),
        ]
        first = min((q for q in starts if q), default=None)
    until = periods.quarter_of(query.to_time - timedelta(microseconds=1)) if query.to_time else last
    until = min(until, last)
    quarters = periods.quarters_between(first, until) if first and first <= until else []
    if not quarters and (query.from_time or query.to_time):
        raise InvalidInput.single(
            "to_time",
            "figures for your role cover whole quarters that have ended; the latest is {quarter}",
            quarter=last,
        )
    return Coverage(quarters, query)


def _shown_sum(parts: Iterable[int | None]) -> int | None:
    """The sum of published figures; hidden if any of them is."""
    total = 0
    for part in parts:
        if part is None:
            return None
        total += part
    return total


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
    """What a suppressed reader sees of the calls of some closed quarters. Every figure (a table's
    cells, its total, a filtered total, a cross-tab) is an entry of each quarter's hypercube, read
    from that quarter's lattice (disclosure.py) and summed over the quarters, so each figure is
    hidden or shown alike in every query."""

    def __init__(self, session: AsyncSession, coverage: Coverage, k: int):
        self.session, self.k, self.quarters = session, k, coverage.quarters
        self.period = _call_conditions(coverage.query.model_copy(update=dict.fromkeys(CALL_FILTERS)))
        self.lattices: dict[tuple[str, frozenset[str]], Lattice] = {}

    def lattice(self, quarter: str, joins: frozenset[str]) -> Lattice:
        # The calls' own hypercube has the exact calls total at its top; the others count pairs.
        return self.lattices.setdefault((quarter, joins), Lattice(self.k, exact_total=not joins))

    async def _load(self, joins: frozenset[str], face: Face) -> list[Lattice]:
        """Each quarter's lattice with `face` and its sub-faces counted: one GROUP BY for all the
        quarters, the sub-faces summed."""
        lattices = [self.lattice(q, joins) for q in self.quarters]
        missing = {sub for lattice in lattices for sub in lattice.missing(face)}
        if not missing:
            return lattices
        columns = [_CALL_COLUMNS[d] for d in face]
        source = select(CallFact.local_quarter.label("of_quarter"), *columns, func.count()).select_from(CallFact)
        for d in sorted(joins):
            source = source.join(_CALL_JOINS[d], _CALL_JOINS[d].contact_id == CallFact.contact_id)
        rows = await self.session.execute(source.where(*self.period).group_by(CallFact.local_quarter, *columns))
        finest: dict[str, list[tuple[Assignment, int]]] = {q: [] for q in self.quarters}
        for row in rows.all():
            if row[0] in finest:
                finest[row[0]].append((tuple(daily_counts.cell_key(v) for v in row[1:-1]), row[-1]))
        for quarter, lattice in zip(self.quarters, lattices, strict=True):
            for sub in missing:
                positions = [face.index(d) for d in sub]
                found: dict[Assignment, int] = {}
                for key, n in finest[quarter]:
                    part = tuple(key[p] for p in positions)
                    found[part] = found.get(part, 0) + n
                lattice.counts[sub] = found
        return lattices

    async def figure(self, joins: frozenset[str], filters: Mapping[str, str], **extra: str) -> tuple[int, int | None]:
        """(true count, published figure) of one entry, over all the quarters."""
        entry = _entry(filters, extra)
        if entry is None:
            return 0, 0
        population = _entry(filters, {})
        assert population is not None  # the filters alone never contradict
        count, parts = 0, []
        for lattice in await self._load(joins, entry[0]):
            count += lattice.value(*entry)
            shown = lattice.shown(*entry)
            if entry != population and self._few(lattice, population):
                shown = None  # fewer than k people in a quarter: no breakdown, not even its zeros
            parts.append(shown)
        return count, _shown_sum(parts)

    async def codes(self, joins: frozenset[str], filters: Mapping[str, str], face: Face, dimension: str) -> list[str]:
        """The codes of `dimension` a table of `face` lists: those occurring in any quarter."""
        if dimension in filters:
            return [filters[dimension]]
        return sorted({code for lattice in await self._load(joins, face) for code in lattice.codes(dimension)})

    async def table(self, name: str, dimension: str, filters: Mapping[str, str]) -> Table:
        joins = frozenset({dimension} & set(_CALL_JOINS))
        population, total = await self.figure(joins, filters)
        cells = []
        for code in await self.codes(joins, filters, _face_of({*filters, dimension}), dimension):
            count, shown = await self.figure(joins, filters, **{dimension: code})
            if count or shown is None:  # leaving out a hidden zero would say it is zero
                cells.append(Cell(key=code, count=shown))
        if await self.withheld(joins, filters, population):
            return Table(name=name, dimension=dimension, cells=[], total=total, suppressed=max(1, len(cells)))
        hidden = sum(1 for c in cells if c.count is None)
        return Table(name=name, dimension=dimension, cells=_in_order(dimension, cells), total=total, suppressed=hidden)

    async def withheld(self, joins: frozenset[str], filters: Mapping[str, str], population: int) -> bool:
        """Whether a breakdown of these calls is withheld: fewer than k of them in all, or in any
        one quarter. Even which codes occur says something about a few people, and a code missing
        from a breakdown of several quarters is a published zero in each of them."""
        if population < self.k:
            return population > 0
        entry = _entry(filters, {})
        assert entry is not None  # the filters alone never contradict
        return any(self._few(lattice, entry) for lattice in await self._load(joins, entry[0]))

    def _few(self, lattice: Lattice, population: tuple[Face, Assignment]) -> bool:
        """Whether the quarter has some, but fewer than k, of these calls."""
        return 0 < lattice.value(*population) < self.k

    def prefill(self, quarter: str, calls_total: int, counts: Mapping[str, Mapping[str, int]]) -> None:
        """A quarter's unfiltered 1-D counts already counted (the daily counts) for the faces they are."""
        for dimension, by_code in counts.items():
            joins = frozenset({dimension} & set(_CALL_JOINS))
            lattice = self.lattice(quarter, joins)
            lattice.counts[()] = {(): calls_total if not joins else sum(by_code.values())}
            lattice.counts[(dimension,)] = {(code,): n for code, n in by_code.items()}


def _in_order(dimension: str, cells: list[Cell]) -> list[Cell]:
    """Time in order; other codes by published count, hidden ones last (their place says nothing)."""
    return sorted(cells, key=lambda c: c.key if dimension in _ORDERED else (c.count is None, -(c.count or 0), c.key))


def combined(name: str, dimension: str, tables: Sequence[Table]) -> Table:
    """One table of several quarters from each quarter's published table: a cell is the sum of the
    quarters' cells, hidden where any of them hides it; a quarter whose breakdown is withheld
    (fewer than k) withholds the whole breakdown."""
    if len(tables) == 1:
        return tables[0]
    total = _shown_sum(t.total for t in tables)
    if any(not t.cells and t.suppressed for t in tables):
        # A code missing from the sum would be a published zero of the withheld quarter too.
        return Table(name=name, dimension=dimension, cells=[], total=total, suppressed=1)
    by_key: dict[str, list[int | None]] = {}
    for n, t in enumerate(tables):
        for cell in t.cells:
            by_key.setdefault(cell.key, [0] * len(tables))[n] = cell.count
    cells = [Cell(key=key, count=_shown_sum(parts)) for key, parts in by_key.items()]
    hidden = sum(1 for c in cells if c.count is None)
    return Table(name=name, dimension=dimension, cells=_in_order(dimension, cells), total=total, suppressed=hidden)


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
        cells=_in_order(dimension, [Cell(key=key, count=v) for key, v in cells.items()]),
        total=shown_total,
        suppressed=hidden,
    )


def _with_public_total(counts: dict[str, int], total: int, k: int) -> dict[str, int | None]:
    keys = list(counts)
    values = [counts[key] for key in keys] + [total]
    hidden = protect(values, [Line(tuple(range(len(keys))), len(keys))], k, pinned={len(keys)})
    return {key: (None if n in hidden else counts[key]) for n, key in enumerate(keys)}


async def call_table(
    session: AsyncSession, dimension: str, query: StatisticsQuery, calls_total: int | None = None
) -> Table:
    """One exact table of calls (the director's)."""
    counts = await call_counts(session, dimension, query)
    # Multi-valued dimensions (one call, several exploitation types) do not add up to the calls.
    public_total = None if dimension in _CALL_JOINS else calls_total
    return publish(f"calls_by_{dimension}", dimension, counts, None, total=public_total)


async def referral_table(
    session: AsyncSession, dimension: str, query: StatisticsQuery, referrals_total: int | None = None
) -> Table:
    """One exact table of referrals."""
    counts = await referral_counts(session, dimension, query)
    return publish(f"referrals_by_{dimension}", dimension, counts, None, total=referrals_total)


async def referral_tables(
    session: AsyncSession, dimensions: Sequence[str], coverage: Coverage, k: int
) -> dict[str, Table]:
    """Suppressed tables of referrals: each quarter's published on its own (its exact total
    public), then summed (`combined`)."""
    per_quarter: dict[str, list[Table]] = {d: [] for d in dimensions}
    for _, part in coverage.parts():
        total = await _total(session, ReferralFact, _referral_conditions(part))
        counts = await referral_counts_many(session, list(dimensions), part)
        for d in dimensions:
            per_quarter[d].append(publish(f"referrals_by_{d}", d, counts[d], k, total=total))
    return {d: combined(f"referrals_by_{d}", d, tables) for d, tables in per_quarter.items()}


async def cross_table(
    session: AsyncSession,
    principal: Principal,
    rows: str,
    columns: str,
    query: StatisticsQuery,
    k: int,
    now: datetime | None = None,
) -> CrossTable:
    k_ = suppression_for(principal, k)
    for name in (rows, columns):
        if name not in CALL_DIMENSIONS:
            raise InvalidInput.single("rows" if name == rows else "columns", f"unknown dimension {name}")
    if k_ is not None:
        coverage = await closed_quarters(session, query, now)
        return await _disclosed_cross_table(Disclosure(session, coverage, k_), rows, columns, query.filters())
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
    table = two_way(counts, 1)
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
        codes = await disclosure.codes(joins, filters, _face_of({*filters, rows, columns}), dimension)
        figures = [(c, await disclosure.figure(joins, filters, **{dimension: c})) for c in codes]
        return [c for c, (count, shown) in figures if count or shown is None]

    row_codes, column_codes = await present(rows), await present(columns)
    small = await disclosure.withheld(joins, filters, population)  # fewer than k people: no breakdown

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
    missing = [q for q in periods.quarters_between(first, last_ended) if q not in by_quarter] if first else []

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
    session: AsyncSession,
    principal: Principal,
    query: StatisticsQuery,
    k: int,
    *,
    period: str = "month",
    now: datetime | None = None,
) -> Dashboard:
    k_ = suppression_for(principal, k)
    coverage = await closed_quarters(session, query, now) if k_ is not None else None
    if coverage is not None:
        query = coverage.query
    call_dims = [period, *[d for d in DASHBOARD_CALL_DIMENSIONS if d != "month"]]
    crisis_shown: int | None
    returning_shown: int | None
    alerts_shown: int | None
    referrals_total = await _total(session, ReferralFact, _referral_conditions(query))
    if coverage is None or k_ is None:
        counts = await call_counts_many(session, [*call_dims, "crisis", "returning_caller"], query)
        public_total: int | None = sum(counts["line"].values())  # every call has one line (or not_stated)
        calls = [publish(f"calls_by_{d}", d, counts[d], None) for d in call_dims]
        crisis_shown, returning_shown = counts["crisis"].get("yes", 0), counts["returning_caller"].get("yes", 0)
        alerts_shown = await _total(session, HighRiskAlert, _alerts_of(query))
        referrals = [await referral_table(session, d, query, referrals_total) for d in DASHBOARD_REFERRAL_DIMENSIONS]
    else:
        disclosure = Disclosure(session, coverage, k_)
        if not query.filters():
            for quarter, part in coverage.parts():
                counts = await call_counts_many(session, [*call_dims, "crisis", "returning_caller"], part)
                disclosure.prefill(quarter, sum(counts["line"].values()), counts)
        calls = [await disclosure.table(f"calls_by_{d}", d, query.filters()) for d in call_dims]
        public_total = (await disclosure.figure(frozenset(), query.filters()))[1]
        crisis_shown = (await disclosure.figure(frozenset(), query.filters(), crisis="yes"))[1]
        returning_shown = (await disclosure.figure(frozenset(), query.filters(), returning_caller="yes"))[1]
        # Alerts are no dimension of the hypercube: a filtered count could be differenced.
        alerts_shown = (
            None
            if query.filters()
            else _shown_sum(
                [_small(await _total(session, HighRiskAlert, _alerts_of(part)), k_) for _, part in coverage.parts()]
            )
        )
        by_dimension = await referral_tables(session, DASHBOARD_REFERRAL_DIMENSIONS, coverage, k_)
        referrals = [by_dimension[d] for d in DASHBOARD_REFERRAL_DIMENSIONS]
    overdue = await _total(session, ReferralFact, [*_referral_conditions(query), ReferralFact.overdue])
    return Dashboard(
        suppression_k=k_,
        quarters=coverage.quarters if coverage is not None else None,
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


def _alerts_of(query: StatisticsQuery) -> list[ColumnElement[bool]]:
    return [HighRiskAlert.contact_id.in_(select(CallFact.contact_id).where(*_call_conditions(query)))]


async def table(
    session: AsyncSession,
    principal: Principal,
    subject: str,
    dimension: str,
    query: StatisticsQuery,
    k: int,
    now: datetime | None = None,
) -> Table:
    """One table on its own (the dashboards' downloads and the gRPC API)."""
    k_ = suppression_for(principal, k)
    if subject == "calls" and dimension in CALL_DIMENSIONS:
        if k_ is not None:
            coverage = await closed_quarters(session, query, now)
            return await Disclosure(session, coverage, k_).table(f"calls_by_{dimension}", dimension, query.filters())
        return await call_table(session, dimension, query, await _total(session, CallFact, _call_conditions(query)))
    if subject == "referrals" and dimension in REFERRAL_DIMENSIONS:
        if k_ is not None:
            coverage = await closed_quarters(session, query, now)
            return (await referral_tables(session, [dimension], coverage, k_))[dimension]
        return await referral_table(
            session, dimension, query, await _total(session, ReferralFact, _referral_conditions(query))
        )
    raise InvalidInput.single("dimension", f"unknown dimension {dimension} for {subject}")


async def get_statistics(
    session: AsyncSession, principal: Principal, query: StatisticsQuery, k: int = 11, now: datetime | None = None
) -> Statistics:
    """The summary other services and the operations checks read (GetStatistics)."""
    k_ = suppression_for(principal, k)

    def cells(table_: Table) -> dict[str, int | None]:
        return {cell.key: cell.count for cell in table_.cells}

    calls_by: dict[str, dict[str, int | None]] = {}
    coverage = await closed_quarters(session, query, now) if k_ is not None else None
    if coverage is not None:
        query = coverage.query
    referrals_total = await _total(session, ReferralFact, _referral_conditions(query))
    if coverage is not None and k_ is not None:
        disclosure = Disclosure(session, coverage, k_)
        calls_total = (await disclosure.figure(frozenset(), query.filters()))[1]
        for d in ("line", "caller_role", "purpose"):
            calls_by[d] = cells(await disclosure.table(f"calls_by_{d}", d, query.filters()))
        by_service = (await referral_tables(session, ["service_type"], coverage, k_))["service_type"]
    else:
        calls_total = await _total(session, CallFact, _call_conditions(query))
        for d in ("line", "caller_role", "purpose"):
            calls_by[d] = cells(await call_table(session, d, query, calls_total))
        by_service = await referral_table(session, "service_type", query, referrals_total)
    meetings = []
    if query.from_time:
        meetings.append(MeetingFact.scheduled_for >= query.from_time)
    if query.to_time:
        meetings.append(MeetingFact.scheduled_for < query.to_time)
    return Statistics(
        quarters=coverage.quarters if coverage is not None else None,
        calls_total=calls_total,
        calls_by_line=calls_by["line"],
        calls_by_caller_role=calls_by["caller_role"],
        calls_by_purpose=calls_by["purpose"],
        referrals_total=referrals_total,
        referrals_by_service_type=cells(by_service),
        meetings_total=await _total(session, MeetingFact, meetings),
        newest_event_at=await newest_event_at(session),
    )
