"""Translations for pages: Babel .po catalogs per language, Azerbaijani first.

A service keeps `locales/<lang>.po`; `Translator.gettext(lang, msgid)` falls back to the msgid,
and `missing()` lists msgids without a translation so a test can fail on them."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LANGUAGES = ("az", "en", "ru")
DEFAULT_LANGUAGE = "az"


class Translator:
    def __init__(self, locales_dir: Path):
        self.catalogs: dict[str, Catalog] = {}
        for lang in LANGUAGES:
            path = locales_dir / f"{lang}.po"
            with open(path, "rb") as fh:
                self.catalogs[lang] = read_po(fh, locale=lang)

    @staticmethod
    def pick(requested: str | None) -> str:
        return requested if requested in LANGUAGES else DEFAULT_LANGUAGE

    def gettext(self, lang: str, msgid: str) -> str:
        return _translation(self.catalogs[self.pick(lang)], msgid) or msgid

    def missing(self, msgids: set[str]) -> dict[str, list[str]]:
        out = {}
        for lang, catalog in self.catalogs.items():
            absent = sorted(m for m in msgids if not _translation(catalog, m))
            if absent:
                out[lang] = absent
        return out


def _translation(catalog: Catalog, msgid: str) -> str:
    """The translated string, "" when there is none. Our catalogs have no plural forms."""
    message = catalog.get(msgid)
    return message.string if message is not None and isinstance(message.string, str) else ""
