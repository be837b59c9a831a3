"""Every string the directory pages show has an Azerbaijani, English and Russian translation."""
import re
from pathlib import Path

from hotline_common.auth import Role
from hotline_common.i18n import Translator
from referrals.directory import hours
from referrals.directory.messages import MESSAGES
from referrals.directory.pages import LOCALES
from referrals.directory.schemas import ELIGIBILITY, LANGUAGES, ORGANISATION_KINDS, SERVICE_TYPES
from referrals.directory.service import ORGANISATION_FIELDS, SERVICE_FIELDS

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "referrals" / "directory" / "templates"
LITERAL = re.compile(r"""_\(\s*["']([^"']+)["']\s*\)""")
PAGE_MESSAGES = {"Only the directory's keepers may open this page", "Not found", "Sign-in is not configured",
                 "Sign-in is not available now", "Wrong username or password", "No such page"}


def shown_msgids() -> set[str]:
    msgids = set()
    for template in TEMPLATES.glob("*.html"):
        msgids |= set(LITERAL.findall(template.read_text()))
    # The field labels passed to _field.html.
    for template in TEMPLATES.glob("*.html"):
        msgids |= set(re.findall(r'with name="[^"]+", label="([^"]+)"', template.read_text()))
    codes = {"service_type": SERVICE_TYPES, "kind": ORGANISATION_KINDS, "eligibility": ELIGIBILITY,
             "language": LANGUAGES, "day": hours.DAYS, "role": [str(r) for r in Role],
             "change": ["created", "updated", "deactivated", "reactivated", "free_places", "imported"],
             "dirfield": [*SERVICE_FIELDS, *ORGANISATION_FIELDS, "active"]}
    msgids |= {f"{prefix}:{code}" for prefix, values in codes.items() for code in values}
    return msgids | PAGE_MESSAGES


def test_every_shown_string_is_translated_in_every_language():
    translator = Translator(LOCALES)
    msgids = shown_msgids()
    assert len(msgids) > 100
    assert translator.missing(msgids) == {}
    assert msgids <= set(MESSAGES), sorted(msgids - set(MESSAGES))


def test_azerbaijani_is_the_default_and_codes_read_as_words():
    translator = Translator(LOCALES)
    assert translator.gettext(translator.pick(None), "History of changes") == "Dəyişikliklərin tarixçəsi"
    assert translator.gettext("ru", "kind:ngo") == "НКО"
    assert translator.gettext("en", "change:free_places") == "free places updated"
