"""Intake's code lists are the shared ones (hotline_common.codes) wherever another service uses them
too, and their labels come from the shared catalogs only: a code intake took that the shared list
does not have, or a label intake translated differently, fails here."""

from typing import get_args

from babel.messages.pofile import read_po

from hotline_common import codes as shared
from intake.contact import codes, schemas
from intake.director import pages as director_pages
from intake.pages import views
from intake.screening import rules
from intake.scripts.demo import DEMO_SCRIPTS

# Intake's own wording of a shared label, on purpose: the call page says a referral "was sent".
OWN_WORDING = {("az", "status:sent")}


def test_the_api_types_are_the_shared_lists():
    assert get_args(schemas.Line) == schemas.LINES == shared.LINES
    assert get_args(schemas.CallerRole) == schemas.CALLER_ROLES == shared.CALLER_ROLES
    assert get_args(schemas.Purpose) == schemas.PURPOSES == shared.PURPOSES
    assert get_args(schemas.Urgency) == schemas.URGENCIES == shared.URGENCIES
    assert get_args(schemas.ConsentField) == schemas.CONSENT_FIELDS == shared.CONSENT_FIELDS


def test_every_sheet_field_with_a_shared_prefix_takes_exactly_that_list():
    fields = {**codes.SINGLE, **codes.MULTI}
    assert set(codes.LABEL_PREFIX) == set(fields)
    shared_fields = {field for field, prefix in codes.LABEL_PREFIX.items() if prefix in shared.CODE_LISTS}
    assert {"caller_region", "caller_language", "caller_country", "exploitation_types"} <= shared_fields
    for field in shared_fields:
        assert fields[field] == shared.CODE_LISTS[codes.LABEL_PREFIX[field]], field
    # The sheet's own lists (tactics, advice, ...) are not copies of a shared one under another name.
    for field in set(fields) - shared_fields:
        assert fields[field] not in shared.CODE_LISTS.values(), field
    assert set(codes.PRE_DEPARTURE_PURPOSES) <= set(shared.PURPOSES)


def test_screening_and_the_pages_use_the_shared_lists():
    assert rules.RISK_LEVELS == director_pages.RISK_LEVELS == shared.RISK_LEVELS
    assert set(rules.METHODS_OF_CONTROL.values()) <= set(shared.METHODS_OF_CONTROL)
    assert views.SERVICE_TYPES == shared.SERVICE_TYPES
    assert views.REGIONS == shared.REGIONS
    for prefix, values in {**views.LIST_LABELS, **views.SCRIPT_LABELS, **director_pages.JOURNAL_LABELS}.items():
        if prefix in shared.CODE_LISTS:
            assert set(values) <= set(shared.CODE_LISTS[prefix]), prefix


def test_the_demo_scripts_use_listed_purposes_and_countries():
    for purpose, country, _lang in DEMO_SCRIPTS:
        assert shared.is_code("purpose", purpose), purpose
        assert country == "" or shared.is_code("country", country), country


def test_intake_catalogs_leave_the_shared_labels_to_the_shared_catalogs():
    shared_msgids = shared.label_msgids()
    for lang in ("az", "en", "ru"):
        with open(views.LOCALES / f"{lang}.po", "rb") as fh:
            own = {message.id for message in read_po(fh) if message.id}
        assert {(lang, m) for m in own & shared_msgids} <= OWN_WORDING, sorted(own & shared_msgids)
