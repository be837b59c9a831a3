"""Reporting's translations (locales/<lang>.po), shared by pages and generated reports."""
from functools import lru_cache
from pathlib import Path

from hotline_common.i18n import Translator

LOCALES = Path(__file__).resolve().parent / "locales"


@lru_cache(maxsize=1)
def translator() -> Translator:
    return Translator(LOCALES)
