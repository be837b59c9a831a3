"""Reading NAP measures from a spreadsheet: CSV (UTF-8, comma-separated) or XLSX (first sheet).

The first row names the columns: number, text, executing_bodies, recommended_institutions,
deadline, indicators (any order, case-insensitive). Several bodies or institutions in one cell are
separated by ";". Deadlines are YYYY-MM-DD (or a date cell in XLSX). Line numbers are the
spreadsheet's own (the header is line 1)."""

import csv
import io
from datetime import date, datetime

from hotline_common.i18n_markers import N_

COLUMNS = ("number", "text", "executing_bodies", "recommended_institutions", "deadline", "indicators")
REQUIRED = ("number", "text", "executing_bodies", "deadline")
LIST_COLUMNS = ("executing_bodies", "recommended_institutions")


class SheetError(ValueError):
    """The file as a whole cannot be read (not the format, no header, a missing column): a message
    template and its parameters, like the domain errors."""

    def __init__(self, template: str, **params: object):
        self.template, self.params = template, params
        super().__init__(template.format(**params) if params else template)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _rows_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(N_("the CSV file is not UTF-8")) from None
    return [list(row) for row in csv.reader(io.StringIO(text))]


def _rows_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise SheetError(N_("the file is not a readable XLSX workbook")) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict[str, str | list[str]]]]:
    """(line number, {column: raw value}) for every non-empty data row."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        rows = _rows_csv(content)
    elif lower.endswith(".xlsx"):
        rows = _rows_xlsx(content)
    else:
        raise SheetError(N_("give a .csv or .xlsx file"))
    if not rows:
        raise SheetError(N_("the file is empty"))
    header = [_cell(h).lower().replace(" ", "_") for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SheetError(N_("the header row lacks the column(s) {columns}"), columns=", ".join(missing))
    out = []
    for line, row in enumerate(rows[1:], start=2):
        cells = [_cell(v) for v in row]
        if not any(cells):
            continue
        given = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name in COLUMNS}
        raw: dict[str, str | list[str]] = dict(given)
        for column in LIST_COLUMNS:
            raw[column] = [part.strip() for part in given.get(column, "").split(";") if part.strip()]
        raw.setdefault("indicators", "")
        out.append((line, raw))
    return out
