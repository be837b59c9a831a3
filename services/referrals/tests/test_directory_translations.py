"""Every string the directory pages show has an Azerbaijani, English and Russian translation in
referrals' catalogs (locales/*.po, with the shared catalogs behind them): the texts of the templates
and the messages of the Python sources, found as Babel extracts them, the codes shown through
`_("prefix:" ~ code)`, and the field problems the forms can produce, pydantic's own included."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from hotline_common.auth import Role
from hotline_common.errors import FieldProblem, InvalidInput, ValueProblem
from referrals.directory import csvio, forms, hours
from referrals.directory.schemas import (
    ELIGIBILITY,
    LANGUAGES,
    ORGANISATION_KINDS,
    SERVICE_TYPES,
    OrganisationIn,
    ServiceIn,
)
from referrals.directory.service import ORGANISATION_FIELDS, SERVICE_FIELDS, check_service
from referrals.i18n import SOURCES, extracted, translator

DIRECTORY = SOURCES / "directory"
SHOWN_CODES = {
    "service_type": SERVICE_TYPES,
    "kind": ORGANISATION_KINDS,
    "eligibility": ELIGIBILITY,
    "language": LANGUAGES,
    "day": hours.DAYS,
    "role": [str(r) for r in Role],
    "change": ["created", "updated", "deactivated", "reactivated", "free_places", "imported"],
    "dirfield": [*SERVICE_FIELDS, *ORGANISATION_FIELDS, "active"],
}
# Form input that each field refuses (pydantic's own messages and ours).
BAD_SERVICES = [
    {"organisation_id": "", "name": "", "service_type": "astrology", "region": "", "city": " ", "languages": []},
    {"latitude": "north", "longitude": "200", "capacity": "many", "free_places": "-1", "eligibility": []},
    {"latitude": "-100", "phone": "tel:1", "email": "nobody", "website": "example.org", "name": "x" * 400},
    {"service_type": "psychologist", "capacity": "3", "latitude": "40.4"},
    {"opening_hours": "mon 9-18"},
]


def shown_msgids(folder: Path = DIRECTORY) -> set[str]:
    codes = {f"{prefix}:{code}" for prefix, values in SHOWN_CODES.items() for code in values}
    return extracted([folder]) | codes


def form_problems() -> list[FieldProblem]:
    """The problems the service form, the organisation form, the CSV import and the places form give."""
    problems: list[FieldProblem] = []
    base = {"organisation_id": "o", "name": "n", "service_type": "shelter", "region": "r", "city": "c"}
    for bad in BAD_SERVICES:
        try:
            data = ServiceIn.model_validate({"languages": ["az"], **base, **bad})
            problems += check_service(data)
        except ValidationError as exc:
            problems += InvalidInput.from_pydantic(exc).problems
    try:
        OrganisationIn.model_validate({"name": " ", "kind": "bank"})
    except ValidationError as exc:
        problems += InvalidInput.from_pydantic(exc).problems
    problems += csvio.check_file("not,a,header\n", {}).problems + csvio.check_file("", {}).problems
    for free, capacity in (("", ""), ("two", "")):
        with pytest.raises(InvalidInput) as refused:
            forms.free_places(free, capacity)
        problems += refused.value.problems
    return problems


def test_every_shown_string_is_translated_in_every_language():
    msgids = shown_msgids()
    assert len(msgids) > 100
    assert "Only the directory's keepers may open this page" in msgids, "messages given to N_ are found"
    assert "{value} is not a time of day" in msgids, "the hours parser's templates are found"
    assert "History of changes" in msgids and "Name" in msgids, "templates' texts, the fields' labels too"
    assert translator().missing(msgids) == {}


def test_a_message_without_a_translation_is_found(tmp_path):
    """The check above fails on a new text: extraction sees templates, `N_` and the error constructors."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text('<p>{{ _("A text nobody translated") }}</p>')
    (tmp_path / "rules.py").write_text(
        'raise InvalidInput.single("field", "a reason nobody translated {x}", x=1)\n'
        'FieldProblem("field", "a problem nobody translated", {})\n'
        'raise NotFound("nothing nobody translated")\n'
    )
    new = extracted([tmp_path])
    assert new == {
        "A text nobody translated",
        "a reason nobody translated {x}",
        "a problem nobody translated",
        "nothing nobody translated",
    }
    assert translator().missing(new) == {lang: sorted(new) for lang in ("az", "en", "ru")}


def test_no_message_is_an_f_string(capfd):
    """An f-string in `_`, `N_` or an error constructor cannot be translated: Babel skips it (and says so)."""
    extracted([SOURCES])
    assert "Skipping f-string" not in capfd.readouterr().err


def test_form_problems_read_in_the_page_language():
    t = translator()
    problems = form_problems()
    templates = {p.template for p in problems}
    assert {"String should have at least {min_length} character", "Input should be {expected}"} <= templates
    assert {
        "digits, spaces, + ( ) - only",
        "give both latitude and longitude, or neither",
        "unknown column",
    } <= templates
    assert {"a whole number, 0 or more", "only shelters have places", "{value} is not like 09:00-18:00"} <= templates
    for problem in problems:
        english = t.format("en", problem.template, problem.params)
        assert english == problem.reason, "English is what the API says"
        for lang in ("az", "ru"):
            shown = t.format(lang, problem.template, problem.params)
            assert shown != english and "{" not in shown, (lang, problem)


def test_azerbaijani_is_the_default_and_codes_read_as_words():
    t = translator()
    assert t.gettext(t.pick(None), "History of changes") == "Dəyişikliklərin tarixçəsi"
    assert t.gettext("ru", "kind:ngo") == "НКО"
    assert t.gettext("en", "change:free_places") == "free places updated"


def test_hours_problems_read_in_the_page_language_with_the_value_as_typed():
    t = translator()
    for text in ("mon 25:00-26:00", "moo 09:00-10:00", "xx", "mon 09:00-09:00", "mon 9-18"):
        with pytest.raises(ValueProblem) as refused:
            hours.parse(text)
        problem = refused.value
        assert t.format("en", problem.template, problem.params) == str(problem)
        for lang in ("az", "ru"):
            shown = t.format(lang, problem.template, problem.params)
            assert shown != str(problem) and "{" not in shown, (lang, text, shown)
    with pytest.raises(ValueProblem) as refused:
        hours.parse("mon 09:00-09:00")
    assert t.format("ru", refused.value.template, refused.value.params) == (
        "'09:00-09:00': время открытия и закрытия совпадает"
    )
    with pytest.raises(ValueProblem) as refused:
        hours.parse("moo 09:00-10:00")
    assert t.format("ru", refused.value.template, refused.value.params) == (
        "неизвестный день 'moo': используйте mon, tue, wed, thu, fri, sat, sun или daily"
    )
    assert t.format("az", "must not be blank") == "boş ola bilməz"
    assert t.format("ru", "something new") == "something new", "a text without a translation shows as it is"
