"""Reporting's translations (locales/<lang>.po), shared by pages and generated reports."""

from functools import lru_cache

from hotline_common.i18n import Translator
from hotline_common.resources import package_dir

LOCALES = package_dir("reporting", "locales")


@lru_cache(maxsize=1)
def translator() -> Translator:
    return Translator(LOCALES)
