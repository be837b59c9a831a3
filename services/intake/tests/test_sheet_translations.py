"""Every label of the record sheet, the screening checklist and rules, and every string of the call,
contacts and scripts pages has its Azerbaijani, English and Russian translation."""

import re
from pathlib import Path

from hotline_common.i18n import Translator
from intake.contact import codes
from intake.pages.views import LOCALES
from intake.screening import rules

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "intake" / "pages" / "templates"
LITERAL = re.compile(r"""_\(\s*"([^"]+)"\s*\)""")
MACRO_LABEL = re.compile(r"""(?:choice|ticks)\("[a-z_]+", "([^"]+)\"""")


def test_every_sheet_label_and_page_string_is_translated():
    msgids = codes.label_msgids() | rules.label_msgids()
    for name in ("call.html", "contacts.html", "scripts.html"):
        source = (TEMPLATES / name).read_text()
        msgids |= set(LITERAL.findall(source)) | set(MACRO_LABEL.findall(source))
    assert len(msgids) > 250
    assert Translator(LOCALES).missing(msgids) == {}


def test_a_label_reads_differently_in_each_language():
    translator = Translator(LOCALES)
    assert [translator.gettext(lang, "indicator:passport_taken") for lang in ("az", "en", "ru")] == [
        "Pasport alınıb",
        "Passport taken",
        "Паспорт отобран",
    ]
