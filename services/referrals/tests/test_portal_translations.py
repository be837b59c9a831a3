"""Every string the partner portal and the one-time link page show has az, en and ru."""

import re
from pathlib import Path

from hotline_common.i18n import Translator
from referrals.directory.schemas import ServiceType
from referrals.portal.messages import CODE_PREFIXES, MESSAGES
from referrals.portal.pages import LOCALES

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "referrals" / "portal" / "templates"
PAGES = TEMPLATES.parent / "pages.py"
LITERAL = re.compile(r"""_\(\s*"([^"]+)"\s*\)""")
# Messages pages.py passes to message.html / login.html, which translate them with _().
PASSED = re.compile(r"""(?:error|title|text|BRAND)\s*=\s*\(?\s*"([^"]+)"(?:\s*"([^"]+)")?""")


def shown_msgids() -> set[str]:
    msgids = set()
    for template in TEMPLATES.glob("*.html"):
        msgids |= set(LITERAL.findall(template.read_text()))
    for first, second in PASSED.findall(PAGES.read_text()):
        msgids.add(first + second)
    msgids |= {f"{prefix}:{code}" for prefix, codes in CODE_PREFIXES.items() for code in codes}
    msgids |= {f"urgency:{u}" for u in ("routine", "urgent", "emergency")}
    msgids |= {f"service_type:{t}" for t in ServiceType.__args__}
    return msgids


def test_every_shown_string_is_translated_in_every_language():
    msgids = shown_msgids()
    assert len(msgids) > 80
    assert Translator(LOCALES).missing(msgids) == {}


def test_catalogs_match_the_message_table_and_azerbaijani_is_the_default():
    translator = Translator(LOCALES)
    for msgid, (az, en, ru) in MESSAGES.items():
        assert (translator.gettext("az", msgid), translator.gettext("en", msgid), translator.gettext("ru", msgid)) == (
            az,
            en,
            ru,
        ), msgid
    assert translator.pick(None) == "az"
