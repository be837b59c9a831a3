"""Tables as files: CSV (UTF-8 with a BOM so spreadsheet programs read Azerbaijani letters) and XLSX.

A hidden cell is written as "x" (the convention of statistical offices for confidential cells);
a note row says so."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from hotline_common.exports import spreadsheet_safe, spreadsheet_safe_row

HIDDEN = "x"

Sheet = tuple[str, list[str], list[list[object]]]  # (title, header, rows)


def _cell(value: object) -> object:
    # Labels and titles are text: none may reach a spreadsheet as a formula.
    return HIDDEN if value is None else spreadsheet_safe(value)


def to_csv(header: list[str], rows: list[list[object]], notes: Sequence[str] = ()) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(spreadsheet_safe_row(header))
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    for note in notes:
        writer.writerow([f"# {note}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[Sheet], notes: Sequence[str] = ()) -> bytes:
    # openpyxl is imported by the export that needs it: every start of the service would pay for it.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    assert book.active is not None  # a new workbook has its one empty sheet
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(_sheet_title(title, book.sheetnames))
        sheet.append(spreadsheet_safe_row(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for note in notes:
            sheet.append([note])
        sheet.column_dimensions["A"].width = max(14, min(40, max((len(str(r[0])) for r in rows), default=10) + 2))
    if not sheets:
        book.create_sheet("empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str, taken: list[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "sheet"
    name, n = base, 2
    while name in taken:
        name = f"{base[:28]}_{n}"
        n += 1
    return name
