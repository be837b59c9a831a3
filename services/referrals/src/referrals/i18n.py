"""Referrals' translations: `locales/<lang>.po`, the only source of the texts its pages show (the
shared catalogs of hotline_common hold sign-in, roles and the code lists' labels).

`python -m referrals.i18n` lists the msgids the package's templates and sources use (Babel's
extractors: `_`, `N_`, `gettext` and the error constructors) that a catalog does not translate."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from hotline_common.i18n import Translator
from hotline_common.resources import package_dir

LOCALES = package_dir("referrals", "locales")
SOURCES = package_dir("referrals")

# Calls whose literal argument is a message: gettext's names, and the errors and field problems whose
# message a page shows (`explain`), with the position of the message among their arguments.
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ValueError": None,
    "ValueProblem": None,
    "NotFound": None,
    "PermissionDenied": None,
    "Conflict": None,
    "DependencyUnavailable": None,
    "InvalidTransition": None,
    "FieldProblem": (2,),
    "single": (2,),  # InvalidInput.single(field, message, **params)
    "problem": (3,),  # the CSV import's checked.problem(line, column, message, **params)
}
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]


@lru_cache(maxsize=1)
def translator() -> Translator:
    return Translator(LOCALES)


def extracted(folders: Iterable[Path] = (SOURCES,)) -> set[str]:
    """The literal msgids used under `folders` (templates and Python sources)."""
    from babel.messages.extract import extract_from_dir  # a check's tool, not needed to serve

    found: set[str] = set()
    for folder in folders:
        for _path, _line, message, _comments, _context in extract_from_dir(folder, METHODS, keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


if __name__ == "__main__":
    for lang, msgids in translator().missing(extracted()).items():
        for msgid in msgids:
            print(f"{lang}\t{msgid}")
