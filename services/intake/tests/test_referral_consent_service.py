"""Consent at referral time, through the service layer on SQLite and PostgreSQL: the consented values
are read from the caller's record (codes from the sheet, name and phone decrypted from the linked
profile, the situation from the note), only the consented ones, every decryption audited; without a
linked profile name and phone are refused with a clear error; bad consent input is a 422 field error."""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from hotline_common.errors import InvalidInput, NotFound, PermissionDenied
from hotline_devstack.testing import principal
from intake.audit.models import AccessAuditEntry
from intake.callers import service as callers
from intake.callers.schemas import CallerCreate
from intake.contact import service as contacts
from intake.contact.schemas import ContactCreate, ReferralRequest
from intake.directory.client import consent_message

sys.path.insert(0, str(Path(__file__).parent))
from journal_helpers import make_vault, operator

SHEET = {
    "line": "152",
    "caller_role": "victim",
    "purpose": "report_trafficking",
    "caller_sex": "female",
    "caller_age_group": "25_34",
    "caller_language": "az",
    "caller_citizenship": "AZ",
    "note": "Works in a hotel in Dubai, passport taken",
}


async def call_with_caller(db, cipher, vault, linked=True):
    caller_id = None
    if linked:
        async with db.transaction() as session:
            caller_id = (
                await callers.create_caller(
                    session, operator(), vault, CallerCreate(name="Nigar Aliyeva", phones=["+994 55 765 43 21"])
                )
            ).id
    async with db.transaction() as session:
        contact = await contacts.record_contact(
            session, operator(), cipher, ContactCreate(**SHEET, caller_id=caller_id)
        )
    return caller_id, contact.id


async def audit_actions(db) -> list[str]:
    async with db.reader() as session:
        return list((await session.scalars(select(AccessAuditEntry.action))).all())


async def test_only_the_consented_values_are_read_and_each_read_is_audited(db, cipher):
    vault = make_vault(cipher)
    caller_id, contact_id = await call_with_caller(db, cipher, vault)
    before = await audit_actions(db)
    async with db.transaction() as session:
        got_caller, values = await contacts.consented_values(
            session, operator(), cipher, vault, contact_id, ["phone", "age_group", "situation"]
        )
    assert got_caller == caller_id
    assert values == {
        "phone": "+994 55 765 43 21",
        "age_group": "25_34",
        "situation": "Works in a hotel in Dubai, passport taken",
    }
    added = (await audit_actions(db))[len(before) :]
    assert sorted(added) == ["caller.identity.shared", "contact.note.shared"]
    message = consent_message(
        fields=["phone", "age_group", "situation"],
        purpose="legal aid",
        valid_until=datetime.now(UTC) + timedelta(days=30),
        values=values,
    )
    assert dict(message.data) == values and "Nigar" not in message.SerializeToString().decode(errors="ignore")


async def test_codes_only_need_no_profile_and_decrypt_nothing(db, cipher):
    vault = make_vault(cipher)
    _, contact_id = await call_with_caller(db, cipher, vault, linked=False)
    before = await audit_actions(db)
    async with db.transaction() as session:
        _, values = await contacts.consented_values(
            session, operator(), cipher, vault, contact_id, ["sex", "language", "nationality"]
        )
    assert values == {"sex": "female", "language": "az", "nationality": "AZ"}
    assert await audit_actions(db) == before


async def test_name_without_a_linked_profile_is_a_clear_error(db, cipher):
    vault = make_vault(cipher)
    _, contact_id = await call_with_caller(db, cipher, vault, linked=False)
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await contacts.consented_values(session, operator(), cipher, vault, contact_id, ["name"])
    assert raised.value.problems[0].field == "consent.fields"


async def test_roles_and_unknown_records_are_refused(db, cipher):
    vault = make_vault(cipher)
    _, contact_id = await call_with_caller(db, cipher, vault)
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await contacts.consented_values(session, principal("analyst"), cipher, vault, contact_id, ["name"])
    with pytest.raises(NotFound):
        async with db.reader() as session:
            await contacts.check_can_revoke(session, operator(), "0190a000-0000-7000-8000-0000000000ff")
    with pytest.raises(PermissionDenied):
        async with db.reader() as session:
            await contacts.check_can_revoke(session, principal("partner"), "0190a000-0000-7000-8000-0000000000ff")


@pytest.mark.parametrize(
    "consent, field",
    [
        ({"fields": ["address"], "purpose": "x", "valid_until": "2099-01-01T00:00:00Z"}, "fields"),
        ({"fields": ["name", "name"], "purpose": "x", "valid_until": "2099-01-01T00:00:00Z"}, "fields"),
        ({"fields": [], "purpose": "x", "valid_until": "2099-01-01T00:00:00Z"}, "fields"),
        ({"fields": ["name"], "purpose": "", "valid_until": "2099-01-01T00:00:00Z"}, "purpose"),
        ({"fields": ["name"], "purpose": "x", "valid_until": "2020-01-01T00:00:00Z"}, "valid_until"),
        ({"fields": ["name"], "purpose": "x", "valid_until": "2099-01-01T00:00:00Z", "data": {"name": "x"}}, "data"),
    ],
)
def test_bad_consent_names_the_field(consent, field):
    with pytest.raises(ValidationError) as raised:
        ReferralRequest(service_id="0" * 36, reason="r", consent=consent)
    assert raised.value.errors()[0]["loc"][:2] == ("consent", field)


def test_the_default_is_no_consent():
    assert ReferralRequest(service_id="0" * 36, reason="r").consent is None
