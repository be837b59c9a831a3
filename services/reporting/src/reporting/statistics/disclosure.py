"""Disclosure control that holds across tables, filters and totals (for suppressed readers).

A suppressed reader can ask, for one period, for counts by a dimension, filtered by codes of other
dimensions, cross-tabulated, with totals. Every such figure is the count of one *entry* of the
hypercube of the period's calls: a face (a set of dimensions) and one code for each of them
("line=152, caller_role=victim"); the empty face is the grand total. A filtered total is the entry
of the filter's face; a filtered table's cells are entries of the face filter + breakdown. So
"total 95 minus filtered total 90" is "grand total minus an entry of the line face", and that entry
must be hidden wherever the calls/line table hides it.

Consistency. Each face gets one suppression pattern (`Lattice.pattern`), the same in every query
that shows it, computed from the bottom up: the grand total (exact for calls); then each face with
the patterns of all its sub-faces fixed (published entries known to the attacker, hidden ones
unknowns that stay hidden) and only its own entries free. Within a face, suppression.py's rules
apply (primary below k, complementary cells, every line hiding >= 2 parts and >= k people), over
every additivity line of the face and its sub-faces, and the audit asks two things by exact linear
algebra: no hidden entry is determined, and the face's published entries reveal no combination of
its sub-faces' hidden entries that the sub-faces do not reveal themselves. The second condition
is what makes two tables that share a sub-face (calls by line x caller_role and by line x sex,
say) safe to combine: whatever links them lies in the shared sub-face, about which each tells
nothing new. If the greedy choice runs out of cells, the face's own entries are all hidden, which
is always safe.

Dimensions with several codes per call (exploitation type, method of control) count call x code
pairs; a face summed over such a dimension counts pairs too ("mentions"), so a hypercube is keyed
by its set of joined dimensions as well and its grand total is not the calls total (not exact).

One lattice is one local calendar quarter: a suppressed reader's period is made of whole quarters
that have ended, and a figure of several is the sum of the quarters' figures (service.Coverage), so
two periods never difference to a hidden cell. Not covered: inferences from non-negativity (a
published zero empties every cell under it, in faces this lattice does not relate); the audit is
linear, an LP audit would close that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from itertools import combinations, product

from reporting.statistics.suppression import Line, complement, line_rule

Face = tuple[str, ...]  # dimension names, in one canonical order
Assignment = tuple[str, ...]  # one code per dimension of a face, in the face's order


def sub_faces(face: Face) -> list[Face]:
    """Every proper sub-face, smallest first."""
    return [sub for size in range(len(face)) for sub in combinations(face, size)]


class Lattice:
    """The suppression patterns of every face of one hypercube (one period, one set of joins).

    `counts[face]` maps assignments to counts (missing: 0); every sub-face of a face asked for
    must be loaded first (`missing`)."""

    def __init__(self, k: int, *, exact_total: bool):
        self.k, self.exact_total = k, exact_total
        self.counts: dict[Face, dict[Assignment, int]] = {}
        self._patterns: dict[Face, dict[Assignment, int | None]] = {}

    def missing(self, face: Face) -> list[Face]:
        return [f for f in [*sub_faces(face), face] if f not in self.counts]

    def codes(self, dimension: str) -> list[str]:
        return sorted(code for (code,) in self.counts[(dimension,)])

    def value(self, face: Face, assignment: Assignment) -> int:
        return self.counts[face].get(assignment, 0)

    def shown(self, face: Face, assignment: Assignment) -> int | None:
        """The published figure of one entry: its count, or None where hidden."""
        if face and 0 < self.value((), ()) < self.k:
            return None  # fewer than k in all: not even which codes are absent is published
        pattern = self.pattern(face)
        if assignment in pattern:
            return pattern[assignment]
        return 0  # a code that does not occur in the period: nobody

    def pattern(self, face: Face) -> dict[Assignment, int | None]:
        if face not in self._patterns:
            self._patterns[face] = self._protect(face)
        return self._patterns[face]

    def _grid(self, face: Face) -> Iterable[Assignment]:
        return product(*(self.codes(d) for d in face))

    def _protect(self, face: Face) -> dict[Assignment, int | None]:
        if not face:
            total = self.value((), ())
            return {(): total if self.exact_total or not 0 < total < self.k else None}
        lower = sub_faces(face)
        index: dict[tuple[Face, Assignment], int] = {}
        values: list[int] = []
        fixed_hidden: set[int] = set()
        for sub in lower:
            for assignment, shown in self.pattern(sub).items():
                index[(sub, assignment)] = len(values)
                values.append(self.value(sub, assignment))
                if shown is None:
                    fixed_hidden.add(len(values) - 1)
        free = set()
        for assignment in self._grid(face):
            index[(face, assignment)] = len(values)
            free.add(len(values))
            values.append(self.value(face, assignment))
        lines = [
            Line(
                tuple(index[(sub, (*rest[:pos], code, *rest[pos:]))] for code in self.codes(sub[pos])),
                index[(sub[:pos] + sub[pos + 1 :], rest)],
            )
            for sub in [*lower[1:], face]
            for pos in range(len(sub))
            for rest in self._grid(sub[:pos] + sub[pos + 1 :])
        ]
        hidden = protect_face(values, lines, self.k, fixed_hidden, free)
        return {a: (None if index[(face, a)] in hidden else self.value(face, a)) for a in self._grid(face)}


def protect_face(
    values: Sequence[int], lines: Sequence[Line], k: int, fixed_hidden: set[int], free: set[int]
) -> set[int]:
    """The hidden entries of one face: `fixed_hidden` (its sub-faces' hidden entries) plus the free
    entries to hide; entries neither free nor hidden are published and known."""
    hidden = fixed_hidden | {i for i in free if 0 < values[i] < k}
    blocked = set(range(len(values))) - free
    lines_of: dict[int, list[Line]] = {}
    for line in lines:
        for i in (*line.parts, line.total):
            lines_of.setdefault(i, []).append(line)
    known_rank = _rank([_row(line, hidden) for line in lines if not free.intersection((*line.parts, line.total))])
    while True:
        extra = line_rule(values, lines, hidden, k, lines_of, blocked)
        if extra is None:
            suspects = _leaking_lines(lines, hidden, free, fixed_hidden, lines_of, known_rank)
            if suspects is None:
                return hidden
            extra = complement(values, suspects, hidden, lines_of, blocked)
            if extra is None:  # nothing left to choose from: hiding the whole face is safe
                return hidden | free
        hidden.add(extra)


def _leaking_lines(
    lines: Sequence[Line],
    hidden: set[int],
    free: set[int],
    fixed_hidden: set[int],
    lines_of: dict[int, list[Line]],
    known_rank: int,
) -> list[Line] | None:
    """None if the published entries determine no hidden free entry and reveal nothing new about
    the sub-faces' hidden entries; otherwise the lines where hiding one more entry helps."""
    # Free unknowns first: a reduced row whose first unknown is a sub-face entry involves sub-face
    # entries only, so those rows span what the face reveals about its sub-faces.
    order = sorted(hidden, key=lambda i: (i not in free, i))
    column = {entry: n for n, entry in enumerate(order)}
    rows = [_row(line, hidden, column) for line in lines if hidden.intersection((*line.parts, line.total))]
    reduced = _reduced(rows)
    for pivot, row in reduced.items():
        if len(row) == 1 and order[pivot] in free:
            return lines_of[order[pivot]]
    about_sub_faces = sum(1 for pivot in reduced if order[pivot] not in free)
    if about_sub_faces > known_rank:
        return [line for line in lines if fixed_hidden.intersection((*line.parts, line.total))]
    return None


def _row(line: Line, hidden: set[int], column: dict[int, int] | None = None) -> dict[int, Fraction]:
    """The line as an equation over its hidden entries (parts minus total)."""
    row: dict[int, Fraction] = {}
    for i, sign in [*((p, 1) for p in line.parts), (line.total, -1)]:
        if i in hidden:
            key = column[i] if column is not None else i
            row[key] = row.get(key, Fraction(0)) + sign
    return {key: v for key, v in row.items() if v}


def _rank(rows: list[dict[int, Fraction]]) -> int:
    return len(_reduced(rows))


def _reduced(rows: list[dict[int, Fraction]]) -> dict[int, dict[int, Fraction]]:
    """Reduced row echelon form of sparse rows, as pivot column -> row (pivot = smallest column)."""
    echelon: dict[int, dict[int, Fraction]] = {}
    for source in rows:
        row = dict(source)
        for pivot in sorted(set(row) & set(echelon)):
            if pivot in row:
                _subtract(row, echelon[pivot], row[pivot])
        if not row:
            continue
        pivot = min(row)
        lead = row[pivot]
        row = {c: v / lead for c, v in row.items()}
        for other in echelon.values():
            if pivot in other:
                _subtract(other, row, other[pivot])
        echelon[pivot] = row
    return echelon


def _subtract(target: dict[int, Fraction], row: dict[int, Fraction], factor: Fraction) -> None:
    for c, v in row.items():
        updated = target.get(c, Fraction(0)) - factor * v
        if updated:
            target[c] = updated
        else:
            target.pop(c, None)
