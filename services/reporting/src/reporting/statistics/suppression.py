"""Small-cell suppression with complementary suppression, for every table reporting publishes.

Model. A published table is a list of *entries* (interior cells and totals) and a list of *lines*:
each line says "these parts add up to that total" (a 1-D table has one line: cells -> total; a 2-D
cross-tab with margins has one line per row, one per column, the row of column totals -> grand
total and the column of row totals -> grand total). Whoever reads the table knows every line.

Algorithm (`protect`), with k = SUPPRESSION_K (default 11):
1. Primary suppression: every entry with 0 < value < k (a zero says "nobody" and is published).
2. Repeat until nothing changes:
   a. Line rule. In every line that hides something, the hidden parts must be at least two
      entries and add up to at least k (unless the whole line, total included, is hidden).
      Otherwise hide one more part of that line: the smallest non-zero visible part (zeros only
      when nothing else is left), preferring a cell whose other line already hides something
      (fewer extra losses); if no part is left, hide the line's total.
   b. Algebraic audit. Treat each hidden entry as an unknown and each line as a linear equation
      with the published values moved to the right-hand side. Bring the system to reduced row
      echelon form (exact fractions); a hidden entry is *determined* exactly when a row of that
      form is the unit vector of its unknown (then some combination of row, column and grand
      totals recovers it). For the first determined entry, hide one more part of a line it is in,
      chosen as in (a).
   A *pinned* entry (a grand total published exactly elsewhere) is never hidden; the audit treats
   it as known.
3. Termination: every round hides at least one more entry, and a fully hidden table is trivially
   safe, so it stops.

Guarantee (what the tests attack): no published entry lies in 1..k-1; no hidden entry is a linear
consequence of the published entries (so no subtraction of parts from totals, in any number of
steps, recovers it); and the hidden parts of a line always hide at least k people between them, so
the interval an attacker can bound a hidden cell to is never a single value. Across periods:
each local quarter is protected on its own and longer periods are sums of quarters
(service.Coverage), so two periods cannot be differenced either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

SUPPRESSED = None  # how a hidden value is published (JSON null, "x" in CSV/XLSX)


@dataclass(frozen=True)
class Line:
    parts: tuple[int, ...]
    total: int


def protect(
    values: Sequence[int], lines: Sequence[Line], k: int, pinned: frozenset[int] | set[int] = frozenset()
) -> set[int]:
    """The indexes of `values` to hide. `pinned` entries are published elsewhere exactly (a grand
    total): never hidden, and known to the attacker."""
    hidden = {i for i, v in enumerate(values) if 0 < v < k and i not in pinned}
    if not hidden or k <= 1:
        return hidden if k > 1 else set()
    lines_of: dict[int, list[Line]] = {}
    for line in lines:
        for i in (*line.parts, line.total):
            lines_of.setdefault(i, []).append(line)
    while True:
        extra = line_rule(values, lines, hidden, k, lines_of, pinned)
        if extra is None:
            determined = _determined(values, lines, hidden)
            if not determined:
                return hidden
            extra = complement(values, lines_of[min(determined)], hidden, lines_of, pinned)
            if extra is None:  # every entry of its lines is hidden already; nothing more to do
                return hidden
        hidden.add(extra)


def line_rule(
    values: Sequence[int],
    lines: Sequence[Line],
    hidden: set[int],
    k: int,
    lines_of: Mapping[int, list[Line]],
    pinned: frozenset[int] | set[int],
) -> int | None:
    for line in lines:
        entries = (*line.parts, line.total)
        if not hidden.intersection(entries) or all(i in hidden for i in entries):
            continue
        hidden_parts = [i for i in line.parts if i in hidden]
        if len(hidden_parts) >= 2 and sum(values[i] for i in hidden_parts) >= k:
            continue
        extra = complement(values, [line], hidden, lines_of, pinned)
        if extra is not None:
            return extra
    return None


def complement(
    values: Sequence[int],
    lines: list[Line],
    hidden: set[int],
    lines_of: Mapping[int, list[Line]],
    pinned: frozenset[int] | set[int],
) -> int | None:
    """The best entry to hide next in one of `lines`: a visible part, smallest non-zero first,
    preferring one whose other lines already hide something; the line's total as a last resort."""
    candidates = [i for line in lines for i in line.parts if i not in hidden and i not in pinned]
    if candidates:

        def cost(i: int) -> tuple[bool, int, int, int]:
            shares = sum(1 for other in lines_of.get(i, []) if hidden.intersection((*other.parts, other.total)))
            return (values[i] == 0, -shares, values[i], i)

        return min(candidates, key=cost)
    totals = [line.total for line in lines if line.total not in hidden and line.total not in pinned]
    return min(totals) if totals else None


def _determined(values: Sequence[int], lines: Sequence[Line], hidden: set[int]) -> set[int]:
    """Hidden entries whose value follows from the published ones by linear algebra."""
    unknowns = sorted(hidden)
    column = {entry: n for n, entry in enumerate(unknowns)}
    rows = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        touched = False
        for i in line.parts:
            if i in column:
                row[column[i]] += 1
                touched = True
        if line.total in column:
            row[column[line.total]] -= 1
            touched = True
        if touched:
            rows.append(row)
    return {unknowns[j] for j in _unit_rows(rows, len(unknowns))}


def _unit_rows(rows: list[list[Fraction]], width: int) -> set[int]:
    """Columns j such that the reduced row echelon form of `rows` contains the unit vector e_j."""
    pivot_row = 0
    pivots = []
    for col in range(width):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [x / lead for x in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivots.append(col)
        pivot_row += 1
        if pivot_row == len(rows):
            break
    return {col for n, col in enumerate(pivots) if sum(1 for x in rows[n] if x != 0) == 1}


# --- the two table shapes reporting publishes ---------------------------------------------------


@dataclass
class OneWay:
    """Counts by one dimension, with their total; None where hidden."""

    cells: dict[str, int | None]
    total: int | None


def one_way(counts: dict[str, int], k: int) -> OneWay:
    keys = list(counts)
    values = [counts[key] for key in keys] + [sum(counts.values())]
    hidden = protect(values, [Line(tuple(range(len(keys))), len(keys))], k)
    return OneWay(
        {key: (None if n in hidden else counts[key]) for n, key in enumerate(keys)},
        None if len(keys) in hidden else values[-1],
    )


@dataclass
class TwoWay:
    """A cross-tab with margins; None where hidden."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], int | None]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    total: int | None


def two_way(counts: dict[tuple[str, str], int], k: int) -> TwoWay:
    rows = sorted({r for r, _ in counts})
    columns = sorted({c for _, c in counts})
    n_rows, n_cols = len(rows), len(columns)
    # Entry layout: interior r*n_cols+c, then row totals, then column totals, then the grand total.
    values = [counts.get((r, c), 0) for r in rows for c in columns]
    values += [sum(counts.get((r, c), 0) for c in columns) for r in rows]
    values += [sum(counts.get((r, c), 0) for r in rows) for c in columns]
    values.append(sum(counts.values()))

    def row_total(r: int) -> int:
        return n_rows * n_cols + r

    def col_total(c: int) -> int:
        return n_rows * n_cols + n_rows + c

    grand = len(values) - 1
    lines = [Line(tuple(r * n_cols + c for c in range(n_cols)), row_total(r)) for r in range(n_rows)]
    lines += [Line(tuple(r * n_cols + c for r in range(n_rows)), col_total(c)) for c in range(n_cols)]
    lines.append(Line(tuple(row_total(r) for r in range(n_rows)), grand))
    lines.append(Line(tuple(col_total(c) for c in range(n_cols)), grand))
    hidden = protect(values, lines, k)

    def shown(i: int) -> int | None:
        return None if i in hidden else values[i]

    return TwoWay(
        rows,
        columns,
        {(r, c): shown(i * n_cols + j) for i, r in enumerate(rows) for j, c in enumerate(columns)},
        {r: shown(row_total(i)) for i, r in enumerate(rows)},
        {c: shown(col_total(j)) for j, c in enumerate(columns)},
        shown(grand),
    )
