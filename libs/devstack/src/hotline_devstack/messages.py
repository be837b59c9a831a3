"""The messages pages show, extracted by Babel from each package's Python and Jinja templates.

The .po files are the only source of texts. `make messages` (this module's `update`) adds every
extracted msgid a catalog lacks (empty, to translate) and lists the ones no source uses any more;
tests/test_messages.py fails on an extracted msgid without an az, en or ru text.

What is extracted: `_()`, `gettext()`, `ngettext()` and `N_()` (a msgid marked in Python without
translating it there), and the English templates of field problems (`FieldProblem(field, template)`,
`InvalidInput.single(field, template)`), which pages show next to their field. Msgids built at run
time (`"role:" ~ role`, code labels) are checked by the code lists' own tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from hotline_common.i18n import LANGUAGES, Translator

ROOT = Path(__file__).resolve().parents[4]
# Each package whose pages translate, and where its catalogs are.
PACKAGES = {
    "hotline_common": ROOT / "libs/common/src/hotline_common",
    "intake": ROOT / "services/intake/src/intake",
    "referrals": ROOT / "services/referrals/src/referrals",
    "coordination": ROOT / "services/coordination/src/coordination",
    "reporting": ROOT / "services/reporting/src/reporting",
}
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "FieldProblem": (2,), "single": (2,)}
METHODS = [("**/migrations/**", "ignore"), ("**.py", "python"), ("**/templates/**.html", "jinja2")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extracted(source: Path) -> dict[str, list[str]]:
    """msgid -> the places (file:line) that use it."""
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        source, METHODS, OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    ):
        for msgid in [message] if isinstance(message, str) else [m for m in message if m]:
            if msgid.endswith(":"):  # `_("role:" ~ role)`: the prefix of run-time msgids
                continue
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def catalogs(source: Path) -> Iterator[tuple[str, Path, Catalog]]:
    for lang in LANGUAGES:
        path = source / "locales" / f"{lang}.po"
        with open(path, "rb") as fh:
            yield lang, path, read_po(fh, locale=lang)


def update() -> int:
    for package, source in PACKAGES.items():
        used = extracted(source)
        translator = Translator(source / "locales" if package != "hotline_common" else None)
        for lang, path, catalog in catalogs(source):
            # What the shared catalogs already say is not repeated in a service's.
            added = [m for m in sorted(used) if catalog.get(m) is None and not translator.has(lang, m)]
            for msgid in added:
                catalog.add(
                    msgid, "", locations=[(place.split(":")[0], int(place.split(":")[1])) for place in used[msgid][:1]]
                )
            if added:
                with open(path, "wb") as fh:
                    write_po(fh, catalog, width=120, omit_header=False, include_previous=False)
                print(f"{package} {lang}: {len(added)} new msgid(s) to translate in {path.relative_to(ROOT)}")
    return 0


def main(args: list[str]) -> int:
    if args != ["update"]:
        print("usage: python -m hotline_devstack.messages update", file=sys.stderr)
        return 2
    return update()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
