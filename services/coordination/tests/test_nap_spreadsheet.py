"""Reading an import file within its limits (coordination.nap.spreadsheet, no database): rows and
columns counted as they are read, whatever the sheet says of itself, cells bounded, an XLSX that
unpacks to too much refused before it is parsed."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from coordination.nap.spreadsheet import SheetError, read_rows

HEADER = ["number", "text", "executing_bodies", "deadline"]
ROW = ["1.1", "Shelters", "Interior", "2027-01-01"]


def cells(row: int, values: list[str]) -> str:
    return "".join(f'<c r="{chr(65 + i)}{row}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))


def xlsx(rows_xml: str, dimension: str, padding: int = 0) -> bytes:
    """A workbook openpyxl wrote, its first sheet replaced by these rows (and `padding` bytes of
    whitespace, which compress to almost nothing)."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData>{" " * padding}</worksheet>'
    )
    plain = io.BytesIO()
    Workbook().save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, sheet if item.filename == "xl/worksheets/sheet1.xml" else src.read(item))
    return out.getvalue()


def refusal(filename: str, content: bytes) -> str:
    with pytest.raises(SheetError) as caught:
        read_rows(filename, content)
    return str(caught.value)


def test_rows_past_the_sheets_stated_dimension_are_read_not_dropped():
    content = xlsx(f'<row r="1">{cells(1, HEADER)}</row><row r="2">{cells(2, ROW)}</row>', dimension="A1:D1")
    assert [line for line, _ in read_rows("plan.xlsx", content)] == [2]


def test_a_gap_of_empty_rows_counts_towards_the_row_limit():
    content = xlsx(f'<row r="1">{cells(1, HEADER)}</row><row r="1048576">{cells(1048576, ROW)}</row>', "A1:D1")
    assert refusal("plan.xlsx", content) == "the file has more than 2000 rows (empty rows count too)"


def test_a_csv_with_too_many_rows_is_refused():
    csv = ",".join(HEADER) + "\n" + "\n".join(f"1.{n},Text,Interior,2027-01-01" for n in range(2000))
    assert refusal("plan.csv", csv.encode()) == "the file has more than 2000 rows (empty rows count too)"


@pytest.mark.parametrize("filename", ["plan.csv", "plan.xlsx"])
def test_a_row_with_too_many_columns_is_refused_on_its_line(filename):
    if filename == "plan.csv":
        content = (",".join(HEADER + [f"extra{i}" for i in range(40)]) + "\n" + ",".join(ROW) + "\n").encode()
    else:  # a cell in column AK (the 37th), past what the sheet's dimension admits to
        extra = '<c r="AK1" t="inlineStr"><is><t>x</t></is></c>'
        content = xlsx(f'<row r="1">{cells(1, HEADER)}{extra}</row>', dimension="A1:D1")
    assert refusal(filename, content) == "line 1 has more than 30 columns"


def test_a_cell_longer_than_the_limit_is_refused_with_its_line_and_column():
    csv = ",".join(HEADER) + "\n" + "1.1," + "x" * 20_000 + ",Interior,2027-01-01\n"
    assert refusal("plan.csv", csv.encode()) == "line 2, column 2: a cell longer than 10000 characters"


def test_a_cell_past_the_csv_modules_own_limit_is_a_refusal_not_a_crash():
    csv = ",".join(HEADER) + "\n" + "1.1," + "x" * 200_000 + ",Interior,2027-01-01\n"
    assert refusal("plan.csv", csv.encode()).startswith("line 2 is not valid CSV")


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_parsed():
    content = xlsx(f'<row r="1">{cells(1, HEADER)}</row>', "A1:D1", padding=25 * 1024 * 1024)
    assert len(content) < 200 * 1024
    assert refusal("plan.xlsx", content) == "the workbook unpacks to more than 20 MB"
