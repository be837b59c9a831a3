import csv
import io
from datetime import date

import pytest

from hotline_common.exports import from_spreadsheet, spreadsheet_safe, spreadsheet_safe_row


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=", "-"],
)
def test_text_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Bakı", "", "a=b", " =1", "1-2", "'=already", "İşçi qrupu"])
def test_ordinary_text_is_unchanged(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("value", [None, 0, -5, 2.5, -0.5, date(2026, 1, 2), True])
def test_values_that_are_not_text_are_unchanged(value):
    assert spreadsheet_safe(value) is value


def test_a_row_written_as_csv_starts_no_cell_with_a_formula_trigger():
    out = io.StringIO()
    csv.writer(out).writerow(spreadsheet_safe_row(["=1+1", "ok", -3, "@x"]))
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells == ["'=1+1", "ok", "-3", "'@x"]


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+994 12 555 00 00", "-2", "@x", "\t1", "Bakı", "", "'plain"])
def test_reading_a_cell_back_gives_the_value_that_was_written(text):
    assert from_spreadsheet(spreadsheet_safe(text)) == text
