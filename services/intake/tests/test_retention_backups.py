"""Retention survives backups (SQLite and PostgreSQL): the note and agency name of a call linked to a
caller profile are sealed with that caller's own key (also when the call is linked after it was
recorded), so once retention deletes the key a copy of the rows taken before (a backup) opens with no
key the service still has. Anonymous calls stay under the service keyring."""

import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from hotline_common.db import utcnow
from intake.callers import service as callers
from intake.callers.models import Caller, CallerKey
from intake.callers.retention import purge_expired
from intake.callers.schemas import CallerCreate
from intake.callers.vault import CallerVault, unwrap_data_key
from intake.contact import service as contacts
from intake.contact.models import ContactAgency, ContactNote
from intake.contact.schemas import ContactCreate
from intake.contact.sealing import agency_context, note_context

sys.path.insert(0, str(Path(__file__).parent))
from journal_helpers import make_vault, operator

CALL = {"line": "152", "caller_role": "victim", "purpose": "advice_work_abroad"}


async def record(db, cipher, caller_id=None, note="", agency=""):
    async with db.transaction() as session:
        return (
            await contacts.record_contact(
                session, operator(), cipher, ContactCreate(**CALL, caller_id=caller_id, note=note, agency=agency)
            )
        ).id


async def backup(db) -> list[tuple[str, str | None, bytes]]:
    """What a database backup holds of the free text: (context, sealed_by, ciphertext) per row."""
    async with db.reader() as session:
        notes = (await session.scalars(select(ContactNote))).all()
        agencies = (await session.scalars(select(ContactAgency))).all()
    return [(note_context(r.contact_id), r.sealed_by, bytes(r.ciphertext)) for r in notes] + [
        (agency_context(r.contact_id), r.sealed_by, bytes(r.ciphertext)) for r in agencies
    ]


async def service_keys(db, cipher) -> list[bytes]:
    """Every key the service holds now: its keyring and every caller key still stored (unwrapped)."""
    async with db.reader() as session:
        wrapped = (await session.scalars(select(CallerKey))).all()
    return list(cipher._keys.values()) + [unwrap_data_key(cipher, k.caller_id, k.wrapped_key) for k in wrapped]


def opens(cipher, keys: list[bytes], context: str, blob: bytes) -> str | None:
    """Try the keyring's own format, then every key as a caller key. None: nothing opens it."""
    try:
        return cipher.decrypt(blob, context=context)
    except Exception:  # noqa: BLE001 - any failure means "not with the keyring"
        pass
    for key in keys:
        try:
            return CallerVault.open(key, blob, context=context)
        except Exception:  # noqa: BLE001
            continue
    return None


async def test_a_backup_copy_is_unreadable_once_the_caller_key_is_deleted(db, cipher):
    vault = make_vault(cipher)
    async with db.transaction() as session:
        caller = await callers.create_caller(
            session, operator(), vault, CallerCreate(name="Lalə", phones=["+994 55 111 22 33"])
        )
        other = await callers.create_caller(
            session, operator(), vault, CallerCreate(name="Other", phones=["+994 55 999 88 77"])
        )
    linked = await record(
        db, cipher, caller.id, note="works in a Dubai hotel, passport taken", agency="Golden Tour MMC"
    )
    later = await record(db, cipher, note="called back from Antalya", agency="Sun Travel")
    anonymous = await record(db, cipher, note="asked about a visa", agency="Blue Sky")
    async with db.transaction() as session:  # linked after the fact: the same transaction reseals
        await callers.link_contact(session, operator(), vault, caller.id, later)
    await record(db, cipher, other.id, note="the other caller's note")

    async with db.transaction() as session:  # reads still work, through the caller's key
        detail = await contacts.read_contact(session, operator(), cipher, later, interface="http")
    assert (detail.note, detail.agency) == ("called back from Antalya", "Sun Travel")
    copy = await backup(db)
    sealed = {ctx.rsplit(":", 1)[1]: by for ctx, by, _ in copy}
    assert sealed[linked] == caller.id and sealed[later] == caller.id and sealed[anonymous] is None
    keys = await service_keys(db, cipher)
    assert all(opens(cipher, keys, ctx, blob) for ctx, _, blob in copy)  # the check below can fail

    assert await purge_expired(db, 365, now=utcnow() + timedelta(days=400)) == 2  # both callers are old

    keys = await service_keys(db, cipher)
    assert keys == list(cipher._keys.values())  # both caller keys are gone
    for ctx, by, blob in copy:
        if by is None:
            assert opens(cipher, keys, ctx, blob)  # an anonymous call's note: keyring, as before
        else:
            assert opens(cipher, keys, ctx, blob) is None, ctx


async def test_only_the_shredded_callers_copies_die(db, cipher):
    vault = make_vault(cipher)
    async with db.transaction() as session:
        old = await callers.create_caller(session, operator(), vault, CallerCreate(name="Old"))
        recent = await callers.create_caller(session, operator(), vault, CallerCreate(name="Recent"))
    gone = await record(db, cipher, old.id, note="old note", agency="Old Agency")
    kept = await record(db, cipher, recent.id, note="recent note")
    later = utcnow() + timedelta(days=400)
    async with db.transaction() as session:
        (await session.get(Caller, recent.id)).last_activity_at = later - timedelta(days=1)
    copy = await backup(db)
    assert await purge_expired(db, 365, now=later) == 1
    keys = await service_keys(db, cipher)
    readable = {ctx: opens(cipher, keys, ctx, blob) for ctx, _, blob in copy}
    assert readable[note_context(kept)] == "recent note"
    assert readable[note_context(gone)] is None and readable[agency_context(gone)] is None
    async with db.transaction() as session:  # the live record: statistics stay, the note is gone
        detail = await contacts.read_contact(session, operator(), cipher, gone, interface="http")
    assert detail.note == "" and detail.purpose == "advice_work_abroad"
