"""Small-cell suppression: nothing below k is published, and an attacker who subtracts parts from
totals (step by step, or with any linear combination) recovers no hidden value."""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.statistics.suppression import one_way, two_way

K = 11


def differencing_attack(equations: list[tuple[dict[str, int], int]]) -> dict[str, int]:
    """What a reader recovers by repeatedly solving lines that have one unknown left:
    `equations` are (coefficients of unknowns, right-hand side) built from published values."""
    known: dict[str, int] = {}
    progress = True
    while progress:
        progress = False
        for coefficients, rhs in equations:
            open_ = {name: c for name, c in coefficients.items() if name not in known}
            if len(open_) == 1:
                ((name, c),) = open_.items()
                known[name] = int((rhs - sum(coefficients[n] * v for n, v in known.items() if n in coefficients)) / c)
                progress = True
    return known


def linear_attack(equations: list[tuple[dict[str, int], int]]) -> dict[str, Fraction]:
    """Gauss-Jordan over every published equation: unknowns the system pins down exactly."""
    names = sorted({n for coefficients, _ in equations for n in coefficients})
    rows = [[Fraction(coefficients.get(n, 0)) for n in names] + [Fraction(rhs)] for coefficients, rhs in equations]
    pivot = 0
    solved = {}
    pivots = []
    for col in range(len(names)):
        found = next((r for r in range(pivot, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot], rows[found] = rows[found], rows[pivot]
        rows[pivot] = [x / rows[pivot][col] for x in rows[pivot]]
        for r in range(len(rows)):
            if r != pivot and rows[r][col] != 0:
                f = rows[r][col]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[pivot], strict=True)]
        pivots.append(col)
        pivot += 1
    for n, col in enumerate(pivots):
        if sum(1 for x in rows[n][:-1] if x != 0) == 1:
            solved[names[col]] = rows[n][-1]
    return solved


def one_way_equations(table, truth: dict[str, int]):
    coefficients, rhs = {}, 0
    for key in truth:
        if table.cells[key] is None:
            coefficients[key] = 1
        else:
            rhs -= table.cells[key]
    if table.total is None:
        coefficients["__total"] = -1
    else:
        rhs += table.total
    return [(coefficients, rhs)] if coefficients else []


def two_way_equations(table):
    equations = []

    def term(name, value, sign, coefficients, rhs):
        if value is None:
            coefficients[name] = coefficients.get(name, 0) + sign
            return rhs
        return rhs - sign * value

    def line(parts, total_name, total_value):
        coefficients, rhs = {}, 0
        for name, value in parts:
            rhs = term(name, value, 1, coefficients, rhs)
        rhs = term(total_name, total_value, -1, coefficients, rhs)
        if coefficients:
            equations.append((coefficients, rhs))

    for r in table.rows:
        line([(f"{r}|{c}", table.cells[(r, c)]) for c in table.columns], f"row:{r}", table.row_totals[r])
    for c in table.columns:
        line([(f"{r}|{c}", table.cells[(r, c)]) for r in table.rows], f"col:{c}", table.column_totals[c])
    line([(f"row:{r}", table.row_totals[r]) for r in table.rows], "grand", table.total)
    line([(f"col:{c}", table.column_totals[c]) for c in table.columns], "grand", table.total)
    return equations


def test_one_small_cell_gets_a_partner_and_the_attack_fails():
    truth = {"AZ": 120, "RU": 40, "TR": 3, "GE": 25}
    table = one_way(truth, K)
    assert table.cells["TR"] is None and table.total == 188
    hidden = [key for key, value in table.cells.items() if value is None]
    assert len(hidden) == 2 and "GE" in hidden  # the smallest other cell hides with it
    equations = one_way_equations(table, truth)
    assert differencing_attack(equations) == {} and linear_attack(equations) == {}


def test_two_small_cells_that_add_up_to_less_than_k_get_a_third():
    truth = {"a": 1, "b": 2, "c": 30, "d": 50}
    table = one_way(truth, K)
    assert [key for key, value in table.cells.items() if value is None] == ["a", "b", "c"]


def test_cross_tab_differencing_attack_recovers_nothing():
    truth = {
        ("female", "AZ"): 40,
        ("female", "RU"): 4,
        ("female", "TR"): 22,
        ("male", "AZ"): 35,
        ("male", "RU"): 17,
        ("male", "TR"): 30,
        ("unknown", "AZ"): 12,
        ("unknown", "RU"): 13,
        ("unknown", "TR"): 14,
    }
    table = two_way(truth, K)
    assert table.cells[("female", "RU")] is None
    equations = two_way_equations(table)
    assert differencing_attack(equations) == {}
    assert linear_attack(equations) == {}
    assert table.total == sum(truth.values())


counts = st.integers(min_value=0, max_value=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from("ABCDEFGHIJ"), st.integers(min_value=1, max_value=60), min_size=1))
def test_one_way_property(truth):
    table = one_way(truth, K)
    published = [v for v in [*table.cells.values(), table.total] if v is not None]
    assert all(v == 0 or v >= K for v in published)
    for key, value in table.cells.items():
        assert value is None or value == truth[key]
    equations = one_way_equations(table, truth)
    assert differencing_attack(equations) == {}
    assert linear_attack(equations) == {}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=5), st.data())
def test_two_way_property(n_rows, n_cols, data):
    truth = {(f"r{r}", f"c{c}"): data.draw(counts) for r in range(n_rows) for c in range(n_cols)}
    table = two_way(truth, K)
    published = [
        v
        for v in [*table.cells.values(), *table.row_totals.values(), *table.column_totals.values(), table.total]
        if v is not None
    ]
    assert all(v == 0 or v >= K for v in published)
    equations = two_way_equations(table)
    assert differencing_attack(equations) == {}
    assert linear_attack(equations) == {}
