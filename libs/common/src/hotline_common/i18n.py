"""Translations: Babel .po catalogs per language, Azerbaijani first.

The .po files are the only source of texts. A service keeps `locales/<lang>.po` for its own
messages; `hotline_common/locales/<lang>.po` holds what every service shows (sign-in, sign-out,
the code lists' labels), and a service's catalog falls back to it. `Translator.gettext(lang, msgid)`
falls back to the msgid; `missing()` lists msgids without a translation so a test can fail on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from hotline_common.resources import package_dir

LANGUAGES = ("az", "en", "ru")
DEFAULT_LANGUAGE = "az"


def read_catalogs(locales_dir: Path) -> dict[str, Catalog]:
    catalogs: dict[str, Catalog] = {}
    for lang in LANGUAGES:
        with open(locales_dir / f"{lang}.po", "rb") as fh:
            catalogs[lang] = read_po(fh, locale=lang)
    return catalogs


@lru_cache(maxsize=1)
def shared_catalogs() -> dict[str, Catalog]:
    return read_catalogs(package_dir("hotline_common", "locales"))


class Translator:
    def __init__(self, locales_dir: Path | None = None):
        """`locales_dir`: the service's own catalogs; None for the shared catalogs alone."""
        own = read_catalogs(locales_dir) if locales_dir is not None else {}
        shared = shared_catalogs()
        self.layers: dict[str, tuple[Catalog, ...]] = {
            lang: (own[lang], shared[lang]) if lang in own else (shared[lang],) for lang in LANGUAGES
        }

    @staticmethod
    def pick(requested: str | None) -> str:
        return requested if requested in LANGUAGES else DEFAULT_LANGUAGE

    def gettext(self, lang: str, msgid: str) -> str:
        for catalog in self.layers[self.pick(lang)]:
            if text := _translation(catalog, msgid):
                return text
        return msgid

    def format(self, lang: str, msgid: str, params: Mapping[str, object] | None = None) -> str:
        """A message with parameters: the msgid is an English template (`{name}` placeholders)."""
        text = self.gettext(lang, msgid)
        return text.format(**params) if params else text

    def missing(self, msgids: set[str]) -> dict[str, list[str]]:
        out = {}
        for lang in LANGUAGES:
            absent = sorted(m for m in msgids if not self.has(lang, m))
            if absent:
                out[lang] = absent
        return out

    def has(self, lang: str, msgid: str) -> bool:
        return any(_translation(catalog, msgid) for catalog in self.layers[lang])


def _translation(catalog: Catalog, msgid: str) -> str:
    """The translated string, "" when there is none. Our catalogs have no plural forms."""
    message = catalog.get(msgid)
    return message.string if message is not None and isinstance(message.string, str) else ""
