"""Reading NAP measures from a spreadsheet: CSV (UTF-8, comma-separated) or XLSX (first sheet).

The first row names the columns: number, text, executing_bodies, recommended_institutions,
deadline, indicators (any order, case-insensitive). Several bodies or institutions in one cell are
separated by ";". Deadlines are YYYY-MM-DD (or a date cell in XLSX). Line numbers are the
spreadsheet's own (the header is line 1)."""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class SheetLimits:
    """How much of a file the import reads (the service's settings give them): rows are counted as
    they are read, empty ones and the header included, because a sheet's stated dimension can lie."""

    rows: int = 2000
    columns: int = 30
    cell_chars: int = 10000
    unpacked_bytes: int = 20 * 1024 * 1024


DEFAULT_LIMITS = SheetLimits()


def _bounded(rows: Iterable[Sequence[object]], limits: SheetLimits) -> list[list[str]]:
    out = []
    for line, row in enumerate(rows, start=1):
        if line > limits.rows:
            raise SheetError(N_("the file has more than {rows} rows (empty rows count too)"), rows=limits.rows)
        if len(row) > limits.columns and any(v not in (None, "") for v in row[limits.columns :]):
            raise SheetError(N_("line {line} has more than {columns} columns"), line=line, columns=limits.columns)
        cells = [_cell(v) for v in row[: limits.columns]]
        for index, cell in enumerate(cells):
            if len(cell) > limits.cell_chars:
                raise SheetError(
                    N_("line {line}, column {column}: a cell longer than {chars} characters"),
                    line=line,
                    column=index + 1,
                    chars=limits.cell_chars,
                )
        out.append(cells)
    return out


def _rows_csv(content: bytes, limits: SheetLimits) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(N_("the CSV file is not UTF-8")) from None
    reader = csv.reader(io.StringIO(text))
    try:
        return _bounded(reader, limits)
    except csv.Error:  # a cell past the csv module's own limit, a stray quote, a NUL byte
        raise SheetError(
            N_("line {line} is not valid CSV (or has a cell longer than {chars} characters)"),
            line=reader.line_num,
            chars=limits.cell_chars,
        ) from None


def _check_unpacked_size(content: bytes, limits: SheetLimits) -> None:
    """A zip bomb stops here: the sizes the archive declares are the most zipfile will inflate."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetError(N_("the file is not a readable XLSX workbook")) from None
    if unpacked > limits.unpacked_bytes:
        raise SheetError(N_("the workbook unpacks to more than {size} MB"), size=limits.unpacked_bytes // (1024 * 1024))


def _rows_xlsx(content: bytes, limits: SheetLimits) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    _check_unpacked_size(content, limits)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise SheetError(N_("the file is not a readable XLSX workbook")) from None
    try:
        sheet = book.worksheets[0]
        if isinstance(sheet, ReadOnlyWorksheet):
            sheet.reset_dimensions()  # the stated dimension would pad (or cut) rows; count the real ones
        # Each row as wide as its last cell (at most Excel's 16,384 columns): a value past the
        # limit is refused, empty styled cells out there are not.
        return _bounded(sheet.iter_rows(values_only=True), limits)
    except SheetError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet fails while it is read, not only when opened
        raise SheetError(N_("the file is not a readable XLSX workbook")) from None
    finally:
        book.close()


def read_rows(
    filename: str, content: bytes, limits: SheetLimits = DEFAULT_LIMITS
) -> list[tuple[int, dict[str, str | list[str]]]]:
    """(line number, {column: raw value}) for every non-empty data row. CPU-bound: the service
    runs it in a thread, off the event loop."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        rows = _rows_csv(content, limits)
    elif lower.endswith(".xlsx"):
        rows = _rows_xlsx(content, limits)
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
