"""Spreadsheet exports that a spreadsheet program cannot turn into formulas.

A cell whose text starts with "=", "+", "-", "@", a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (CSV/formula injection: `=HYPERLINK(...)` leaks or
runs commands when a recipient opens the file). Every CSV or XLSX the services write passes its
cells through `spreadsheet_safe`, which prefixes such text with an apostrophe, the mark the
programs themselves use for "this is text". Numbers, dates and None pass unchanged, so numeric
columns stay numeric (a negative number is a number, not a formula)."""

from collections.abc import Iterable
from typing import TypeVar

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def spreadsheet_safe(value: T) -> T | str:
    """The value to write into a CSV/XLSX cell: text a spreadsheet would evaluate gets a leading
    apostrophe; anything that is not text is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spreadsheet_safe_row(values: Iterable[T]) -> list[T | str]:
    """`spreadsheet_safe` over one row of cells."""
    return [spreadsheet_safe(value) for value in values]


def from_spreadsheet(text: str) -> str:
    """A cell read back from a file this module wrote: the apostrophe `spreadsheet_safe` put in
    front of a formula trigger is taken off, so export then import gives the value that was there."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text
