import shutil
import subprocess

import pytest

from hotline_common.pdf import PdfDocument

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="make test installs poppler-utils")


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(text.split())  # pdftotext's spacing depends on glyph positions, not on the text


def test_azerbaijani_text_tables_and_page_numbers_survive_into_the_pdf(tmp_path):
    doc = PdfDocument("İşçi qrupunun protokolu", "IV rüb", footer="Protokol № 4")
    doc.heading("İştirak")
    doc.key_values([("Kvorum", "3 × 7 ≥ 2 × 9")])
    doc.table(["Təklif", "Lehinə"], [[f"Məsələ {i}", i] for i in range(80)], widths=[0.7, 0.3])
    doc.bar_chart("Zənglər", ["152", "562-21-12"], [120, 45])

    text = text_of(doc.output(), tmp_path)

    assert "İşçiqrupununprotokolu" in text
    assert "Kvorum" in text and "3×7≥2×9" in text
    assert "Məsələ0" in text and "Məsələ79" in text
    assert text.count("Təklif") >= 2  # the header row repeats on the next page
    assert "1/2" in text and "2/2" in text
    assert "Zənglər" in text and "120" in text
