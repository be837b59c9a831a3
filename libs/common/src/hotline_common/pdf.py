"""Archive documents as PDF (protocols, quarterly reports): A4, a Unicode font, tables and bar charts.

Azerbaijani needs glyphs such as ə, ğ, ı, ş that PDF's built-in fonts lack, so a TrueType font is
embedded: DejaVu Sans from the system (Debian's fonts-dejavu-core, installed in the images), or the
directory named by PDF_FONT_DIR.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos

if TYPE_CHECKING:
    from fpdf.fonts import FontFace

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu")
_FAMILY = "DejaVu"
_BAR_COLOUR = (46, 94, 140)
_GRID_COLOUR = (200, 200, 200)


def font_dir() -> Path:
    candidates = [os.environ["PDF_FONT_DIR"]] if os.environ.get("PDF_FONT_DIR") else list(_FONT_DIRS)
    for candidate in candidates:
        path = Path(candidate)
        if (path / "DejaVuSans.ttf").is_file() and (path / "DejaVuSans-Bold.ttf").is_file():
            return path
    raise RuntimeError(
        "DejaVu fonts not found: install fonts-dejavu-core or set PDF_FONT_DIR to a directory "
        "with DejaVuSans.ttf and DejaVuSans-Bold.ttf"
    )


class _Pages(FPDF):
    def __init__(self, title: str, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self._title = title
        self._footer_text = footer_text
        fonts = font_dir()
        self.add_font(_FAMILY, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(_FAMILY, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.set_title(title)
        self.set_creator("hotline platform")

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(_FAMILY, "", 8)
            self.set_text_color(110)
            self.cell(0, 5, self._title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(2)
            self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_FAMILY, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, self._footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="R")
        self.set_text_color(0)


class PdfDocument:
    """A document built top to bottom: headings, paragraphs, label/value pairs, tables, bar charts."""

    def __init__(self, title: str, subtitle: str = "", footer: str = ""):
        self._pdf = _Pages(title, footer or title)
        self._pdf.add_page()
        self._pdf.set_font(_FAMILY, "B", 16)
        self._pdf.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self._pdf.set_font(_FAMILY, "", 10)
            self._pdf.set_text_color(80)
            self._pdf.multi_cell(0, 5, subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self._pdf.set_text_color(0)
        self._pdf.ln(4)

    @property
    def _width(self) -> float:
        return self._pdf.w - self._pdf.l_margin - self._pdf.r_margin

    def heading(self, text: str, level: int = 1) -> None:
        size = {1: 13, 2: 11}.get(level, 10)
        self._pdf.ln(2)
        self._pdf.set_font(_FAMILY, "B", size)
        self._pdf.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._pdf.ln(1)

    def paragraph(self, text: str) -> None:
        self._pdf.set_font(_FAMILY, "", 10)
        self._pdf.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._pdf.ln(2)

    def key_values(self, pairs: list[tuple[str, str]]) -> None:
        """Label/value lines, labels in bold in a fixed column."""
        label_width = self._width * 0.35
        for label, value in pairs:
            self._pdf.set_font(_FAMILY, "B", 10)
            # output="LINES" returns the list of lines (fpdf types the union of every output kind).
            lines = cast(
                list[str], self._pdf.multi_cell(label_width - 2, 5, label, align="L", dry_run=True, output="LINES")
            )
            label_lines = len(lines)
            if self._pdf.get_y() + 5 * label_lines > self._pdf.page_break_trigger:
                self._pdf.add_page()
            y = self._pdf.get_y()
            self._pdf.multi_cell(label_width - 2, 5, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
            label_bottom = y + 5 * label_lines
            self._pdf.set_xy(self._pdf.l_margin + label_width, y)
            self._pdf.set_font(_FAMILY, "", 10)
            self._pdf.multi_cell(self._width - label_width, 5, str(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self._pdf.set_y(max(self._pdf.get_y(), label_bottom))
        self._pdf.ln(2)

    def table(self, headers: list[str], rows: list[list[object]], widths: list[float] | None = None) -> None:
        """A table with a bold header row repeated on each page; widths are fractions of the text width.
        Numbers are right-aligned."""
        fractions = widths or [1 / len(headers)] * len(headers)
        col_widths = tuple(self._width * f for f in fractions)
        self._pdf.set_font(_FAMILY, "", 9)
        self._pdf.set_draw_color(*_GRID_COLOUR)
        with self._pdf.table(
            col_widths=col_widths,
            width=self._width,
            line_height=5.5,
            headings_style=_heading_style(),
            repeat_headings=1,
            first_row_as_headings=True,
        ) as table:
            table.row([str(h) for h in headers])
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(
                        "" if value is None else str(value),
                        align="RIGHT" if isinstance(value, (int, float)) else "LEFT",
                    )
        self._pdf.ln(3)

    def bar_chart(
        self, title: str, labels: Sequence[str], values: Sequence[float | None], value_format: str = "{:g}"
    ) -> None:
        """Horizontal bars drawn as vectors (sharp in print), one per label, scaled to the largest;
        a None value (suppressed) has no bar and shows "–"."""
        self._pdf.set_font(_FAMILY, "B", 10)
        self._pdf.multi_cell(0, 5, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._pdf.set_font(_FAMILY, "", 8)
        label_width = self._width * 0.32
        bar_area = self._width - label_width - 18
        largest = max([v for v in values if v is not None] or [0]) or 1
        for label, value in zip(labels, values, strict=False):
            if self._pdf.get_y() + 6 > self._pdf.page_break_trigger:
                self._pdf.add_page()
            y = self._pdf.get_y()
            self._pdf.set_xy(self._pdf.l_margin, y)
            self._pdf.cell(label_width - 2, 5, _fit(self._pdf, str(label), label_width - 2), align="R")
            x = self._pdf.l_margin + label_width
            if value:
                self._pdf.set_fill_color(*_BAR_COLOUR)
                self._pdf.rect(x, y + 0.8, bar_area * float(value) / largest, 3.4, style="F")
                text_x = x + bar_area * float(value) / largest + 1
            else:
                text_x = x + 1
            self._pdf.set_xy(text_x, y)
            self._pdf.cell(16, 5, "–" if value is None else value_format.format(value))
            self._pdf.set_y(y + 5.5)
        self._pdf.set_fill_color(255)  # later tables paint their cells with the current fill colour
        self._pdf.ln(3)

    def page_break(self) -> None:
        self._pdf.add_page()

    def output(self) -> bytes:
        return bytes(self._pdf.output())


def _heading_style() -> FontFace:
    from fpdf.fonts import FontFace

    return FontFace(family=_FAMILY, emphasis="BOLD", fill_color=(235, 239, 244))


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Shorten a label with an ellipsis so it stays on one line of the given width."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
