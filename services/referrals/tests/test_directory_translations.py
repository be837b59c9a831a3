"""Every string the directory pages show has an Azerbaijani, English and Russian translation."""

import re
from pathlib import Path

from hotline_common.auth import Role
from hotline_common.i18n import Translator
from referrals.directory import hours, reasons
from referrals.directory.messages import MESSAGES
from referrals.directory.pages import LOCALES
from referrals.directory.schemas import ELIGIBILITY, LANGUAGES, ORGANISATION_KINDS, SERVICE_TYPES
from referrals.directory.service import ORGANISATION_FIELDS, SERVICE_FIELDS

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "referrals" / "directory" / "templates"
LITERAL = re.compile(r"""_\(\s*["']([^"']+)["']\s*\)""")
PAGE_MESSAGES = {
    "Only the directory's keepers may open this page",
    "Not found",
    "Sign-in is not configured",
    "Sign-in is not available now",
    "Wrong username or password",
    "No such page",
}


def shown_msgids() -> set[str]:
    msgids = set()
    for template in TEMPLATES.glob("*.html"):
        msgids |= set(LITERAL.findall(template.read_text()))
    # The field labels passed to _field.html.
    for template in TEMPLATES.glob("*.html"):
        msgids |= set(re.findall(r'with name="[^"]+", label="([^"]+)"', template.read_text()))
    codes = {
        "service_type": SERVICE_TYPES,
        "kind": ORGANISATION_KINDS,
        "eligibility": ELIGIBILITY,
        "language": LANGUAGES,
        "day": hours.DAYS,
        "role": [str(r) for r in Role],
        "change": ["created", "updated", "deactivated", "reactivated", "free_places", "imported"],
        "dirfield": [*SERVICE_FIELDS, *ORGANISATION_FIELDS, "active"],
    }
    msgids |= {f"{prefix}:{code}" for prefix, values in codes.items() for code in values}
    return msgids | PAGE_MESSAGES | reasons.msgids()


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


def test_field_problems_read_in_the_page_language_with_the_value_as_typed():
    translator = Translator(LOCALES)
    for text, code in (
        ("mon 25:00-26:00", "hours_not_a_time"),
        ("moo 09:00-10:00", "hours_unknown_day"),
        ("xx", "hours_not_a_clause"),
        ("mon 09:00-09:00", "hours_empty_span"),
    ):
        try:
            hours.parse(text)
        except ValueError as exc:
            english = str(exc)
        assert reasons.translate(english, lambda m: translator.gettext("en", m)) == english
        for lang in ("az", "ru"):
            shown = reasons.translate(english, lambda m, lang=lang: translator.gettext(lang, m))
            assert shown != english and "{" not in shown, (lang, code, shown)
    ru = lambda m: translator.gettext("ru", m)  # noqa: E731
    assert (
        reasons.translate("'09:00-09:00' opens and closes at the same time", ru)
        == "'09:00-09:00': время открытия и закрытия совпадает"
    )
    assert (
        reasons.translate("unknown day 'moo': use mon, tue, wed, thu, fri, sat, sun or daily", ru)
        == "неизвестный день 'moo': используйте mon, tue, wed, thu, fri, sat, sun или daily"
    )
    assert reasons.translate("must not be blank", lambda m: translator.gettext("az", m)) == "boş ola bilməz"
    assert reasons.translate("something new", ru) == "something new", "unknown reasons are shown as they are"
