"""Every string the operator frontend shows has an Azerbaijani, English and Russian translation."""

import re
from pathlib import Path

from hotline_common.auth import Role
from hotline_common.i18n import Translator
from intake.contact.schemas import CALLER_ROLES, CONSENT_FIELDS, LINES, PURPOSES, URGENCIES
from intake.pages.views import LOCALES, SERVICE_TYPES

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "intake" / "pages" / "templates"
LITERAL = re.compile(r"""_\(\s*"([^"]+)"\s*\)""")


def shown_msgids() -> set[str]:
    msgids = set()
    for template in TEMPLATES.glob("*.html"):
        msgids |= set(LITERAL.findall(template.read_text()))
    codes = {
        "line": LINES,
        "caller_role": CALLER_ROLES,
        "purpose": PURPOSES,
        "urgency": URGENCIES,
        "service_type": SERVICE_TYPES,
        "role": [str(r) for r in Role],
        "status": ["sent", "draft"],
        "consent_field": CONSENT_FIELDS,
    }
    msgids |= {f"{prefix}:{code}" for prefix, values in codes.items() for code in values}
    # Error keys the pages pass through _() from Python.
    msgids |= {"Wrong username or password", "This screen is for hotline staff"}
    return msgids


def test_every_shown_string_is_translated_in_every_language():
    translator = Translator(LOCALES)
    msgids = shown_msgids()
    assert len(msgids) > 60
    assert translator.missing(msgids) == {}


def test_azerbaijani_is_the_default():
    translator = Translator(LOCALES)
    assert translator.pick(None) == "az"
    assert translator.pick("de") == "az"
    assert translator.gettext("az", "New call") == "Yeni zəng"
    assert translator.gettext("ru", "New call") == "Новый звонок"
