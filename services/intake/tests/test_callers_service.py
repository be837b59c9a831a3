"""Caller profiles and their journal through the service layer, on SQLite and PostgreSQL: identity
sealed field by field under the caller's own key, a returning caller found by the keyed hash of their
number, every read audited, break-glass reads refused without a reason and flagged, merges undone
exactly, retention destroying the key, referral outcomes flowing into the journal."""

import asyncio
import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import insert, select, text

from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hotline_devstack.testing import eventually, principal
from intake.callers import service as callers
from intake.callers import tables
from intake.callers.events import on_referral_status_changed
from intake.callers.models import Caller, CallerField, CallerKey, CallerMerge, CallerPhone, ReferralStatusChange
from intake.callers.retention import purge_expired, run_periodically
from intake.callers.schemas import CallerCreate, CallerUpdate
from intake.callers.vault import CallerVault, IdentityDestroyed, field_context
from intake.contact.models import ContactNote, ContactReferral
from intake.director import service as director_service

sys.path.insert(0, str(Path(__file__).parent))  # pytest's importlib mode adds no test dir
from journal_helpers import (
    OPERATOR,
    OPERATOR2,
    add_contact,
    audit_entries,
    count,
    director,
    make_vault,
    operator,
    status_event,
)

NAME = "Gülnarə Məmmədova"
PHONE = "+994 50 123 45 67"
ADDRESS = "Sumqayıt, 9-cu mikrorayon"


@pytest.fixture
def vault(cipher) -> CallerVault:
    return make_vault(cipher)


async def new_caller(db, vault, who=None, **fields):
    data = {
        "name": NAME,
        "phones": [PHONE],
        "address": ADDRESS,
        "safe_times": "weekdays 10-12",
        "callback_ways": ["sms"],
        "danger_flags": ["caller_monitored"],
        **fields,
    }
    async with db.transaction() as session:
        return await callers.create_caller(session, who or operator(), vault, CallerCreate(**data))


async def journal(db, vault, caller_id, who=None, reason=""):
    async with db.transaction() as session:
        return await callers.open_journal(session, who or operator(), vault, caller_id, reason=reason, interface="http")


async def test_identity_is_sealed_field_by_field_and_found_again_by_phone(db, vault):
    profile = await new_caller(db, vault)
    assert re.fullmatch(r"[ACFHJKMNRUWXY]{2}-\d{4}", profile.code)
    async with db.reader() as session:
        fields = (await session.scalars(select(CallerField).where(CallerField.caller_id == profile.id))).all()
        phones = (await session.scalars(select(CallerPhone))).all()
        key = await session.get(CallerKey, profile.id)
    assert {f.field for f in fields} == {"name", "address", "safe_times", "callback_ways"}
    stored = b"".join(f.ciphertext for f in fields) + b"".join(p.ciphertext for p in phones) + key.wrapped_key
    for secret in (NAME.encode(), b"123 45 67", b"1234567", "Sumqayıt".encode()):
        assert secret not in stored
    # A field's ciphertext moved to another field fails to open: each is bound to its place.
    data_key = vault.unwrap(profile.id, key.wrapped_key)
    name = next(f for f in fields if f.field == "name")
    with pytest.raises(InvalidTag):
        vault.open(data_key, name.ciphertext, context=field_context(profile.id, "address"))

    # The same number typed another way finds the caller; another number finds nobody.
    for typed in ("0501234567", "00994501234567", "(050) 123-45-67"):
        async with db.transaction() as session:
            [hit] = await callers.find_by_phone(session, operator(OPERATOR2), vault, typed, interface="http")
        assert (hit.id, hit.code, hit.danger_flags, hit.linked) == (
            profile.id,
            profile.code,
            ["caller_monitored"],
            False,
        )
    async with db.transaction() as session:
        assert await callers.find_by_phone(session, operator(), vault, "+994 55 000 00 00", interface="http") == []
    lookups = [e for e in await audit_entries(db) if e.action == "caller.lookup"]
    assert len(lookups) == 3 and all(e.record_id == profile.id and e.actor_id == OPERATOR2 for e in lookups)


async def test_bad_phones_and_a_number_of_another_caller_change_nothing(db, vault):
    first = await new_caller(db, vault)
    with pytest.raises(InvalidInput) as bad:
        await new_caller(db, vault, phones=["+994 50 111 22 33", "12"])
    assert bad.value.problems[0].field == "phones.1"
    with pytest.raises(Conflict, match="already belongs"):
        await new_caller(db, vault, phones=["050 123 45 67"])
    async with db.reader() as session:
        assert (await session.scalars(select(Caller.id))).all() == [first.id]
    with pytest.raises(InvalidInput):
        async with db.transaction() as session:
            await callers.find_by_phone(session, operator(), vault, "abc", interface="http")


async def test_caller_codes_are_unique_and_sayable(db, vault):
    codes = {(await new_caller(db, vault, phones=[f"+994 50 000 00 {i:02d}"])).code for i in range(30)}
    assert len(codes) == 30
    assert not any(ch in "".join(codes) for ch in "BDEGILOPQSTVZ")


async def test_the_journal_shows_identity_and_everything_newest_first_and_each_read_is_audited(db, vault):
    profile = await new_caller(db, vault)
    now = utcnow()
    async with db.transaction() as session:
        first = await add_contact(
            session,
            vault,
            caller_id=profile.id,
            started_at=now - timedelta(days=3),
            note="she left the hostel at night",
        )
        second = await add_contact(
            session,
            vault,
            caller_id=profile.id,
            started_at=now - timedelta(days=1),
            follow_up_due_at=now + timedelta(hours=2),
        )
        await add_contact(session, vault, started_at=now)  # another caller's call: not in this journal
        await session.execute(
            insert(tables.screening_alerts).values(
                id=new_id(),
                contact_id=first,
                caller_id=profile.id,
                risk_level="high",
                indicator_groups=["debt"],
                operator_id=OPERATOR,
                police_report="consented",
                raised_at=now - timedelta(days=3, minutes=-5),
            )
        )
        session.add(
            ContactReferral(
                referral_id="r" * 36,
                contact_id=first,
                service_id="s" * 36,
                service_type="shelter",
                urgency="urgent",
                status="sent",
                created_at=now - timedelta(days=3) + timedelta(minutes=10),
            )
        )
    async with db.transaction() as session:
        await on_referral_status_changed(
            session,
            status_event(
                referral_id="r" * 36, contact_id=first, to_status="accepted", changed_at=now - timedelta(days=2)
            ),
        )
    before = len(await audit_entries(db))
    seen = await journal(db, vault, profile.id, reason="callback agreed yesterday")
    assert seen.identity.name == NAME and seen.identity.phones == [PHONE]
    assert seen.identity.callback_ways == ["sms"] and seen.identity.safe_times == "weekdays 10-12"
    assert seen.break_glass is False
    kinds = [(e.kind, e.contact_id) for e in seen.timeline]
    assert kinds == [
        ("follow_up", second),
        ("contact", second),
        ("referral_status", first),
        ("referral", first),
        ("screening", first),
        ("contact", first),
    ]
    assert seen.timeline[4].details == {
        "risk_level": "high",
        "indicator_groups": ["debt"],
        "police_report": "consented",
        "closed": False,
    }
    assert seen.timeline[-1].details["note"] == "she left the hostel at night"
    assert seen.timeline[2].details["to_status"] == "accepted"
    [entry] = (await audit_entries(db))[before:]
    assert (entry.action, entry.record_id, entry.reason, entry.actor_id) == (
        "caller.journal.read",
        profile.id,
        "callback agreed yesterday",
        OPERATOR,
    )


async def test_an_operator_without_a_link_must_state_a_reason_and_the_director_sees_the_flag(db, vault):
    profile = await new_caller(db, vault)  # created by `operator`
    before = len(await audit_entries(db))
    for reason in ("", "because"):
        with pytest.raises(callers.BreakGlassRequired, match="state why"):
            await journal(db, vault, profile.id, who=operator(OPERATOR2), reason=reason)
    assert len(await audit_entries(db)) == before  # a refused read leaves nothing behind

    seen = await journal(db, vault, profile.id, who=operator(OPERATOR2), reason="caller rang the night line, Aynur off")
    assert seen.break_glass is True and seen.identity.name == NAME
    async with db.reader() as session:
        rows = await director_service.audit(session, director(), break_glass_only=True)
    [row] = rows
    assert (row.actor_id, row.caller_code, row.reason, row.break_glass) == (
        OPERATOR2,
        profile.code,
        "caller rang the night line, Aynur off",
        True,
    )
    # The operator who holds the case reads without a flag; so does the supervising director.
    assert (await journal(db, vault, profile.id)).break_glass is False
    assert (await journal(db, vault, profile.id, who=director())).break_glass is False
    async with db.reader() as session:
        assert len(await director_service.audit(session, director(), break_glass_only=True)) == 1
    # Only the hotline reads journals.
    for role in ("partner", "analyst", "coordinator", "admin"):
        with pytest.raises(PermissionDenied):
            await journal(db, vault, profile.id, who=principal(role), reason="curious about this caller")
        with pytest.raises(PermissionDenied):
            async with db.transaction() as session:
                await callers.find_by_phone(session, principal(role), vault, PHONE, interface="http")


async def test_a_contact_or_an_assignment_is_a_link(db, vault):
    profile = await new_caller(db, vault)
    with pytest.raises(callers.BreakGlassRequired):
        await journal(db, vault, profile.id, who=operator(OPERATOR2))
    async with db.transaction() as session:
        contact_id = await add_contact(session, vault, operator_id=OPERATOR2)
        await callers.link_contact(session, operator(OPERATOR2), vault, profile.id, contact_id)
    assert (await journal(db, vault, profile.id, who=operator(OPERATOR2))).break_glass is False

    third = operator("0190b000-0000-7000-8000-0000000000ff")
    with pytest.raises(callers.BreakGlassRequired):
        await journal(db, vault, profile.id, who=third)
    async with db.transaction() as session:
        await director_service.reassign_caller(session, director(), profile.id, third.subject)
    assert (await journal(db, vault, profile.id, who=third)).break_glass is False


async def test_linking_rules(db, vault):
    profile = await new_caller(db, vault)
    other = await new_caller(db, vault, phones=[])
    async with db.transaction() as session:
        mine = await add_contact(session, vault)
        theirs = await add_contact(session, vault, operator_id=OPERATOR2)
    async with db.transaction() as session:
        await callers.link_contact(session, operator(), vault, profile.id, mine)
        await callers.link_contact(session, operator(), vault, profile.id, mine)  # again: nothing changes
    with pytest.raises(Conflict, match="already linked"):
        async with db.transaction() as session:
            await callers.link_contact(session, operator(), vault, other.id, mine)
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await callers.link_contact(session, operator(), vault, profile.id, theirs)
    with pytest.raises(InvalidInput) as bad:
        async with db.transaction() as session:
            await callers.link_contact(session, operator(), vault, profile.id, "0" * 36)
    assert bad.value.problems[0].field == "contact_id"
    with pytest.raises(NotFound):
        async with db.transaction() as session:
            await callers.link_contact(session, operator(), vault, "0" * 36, mine)


async def test_merge_is_recorded_and_undo_restores_exactly_the_state_before(db, vault):
    first = await new_caller(db, vault, danger_flags=["caller_monitored"])
    second = await new_caller(
        db, vault, name="G. Mammadova", phones=["+994 70 555 44 33"], danger_flags=["never_call_back_on_this_number"]
    )
    async with db.transaction() as session:
        await add_contact(session, vault, caller_id=first.id, started_at=utcnow() - timedelta(days=2))
        second_call = await add_contact(session, vault, caller_id=second.id, started_at=utcnow() - timedelta(days=1))

    async def state():
        async with db.reader() as session:
            rows = (await session.scalars(select(Caller).order_by(Caller.id))).all()
            return [{c.name: getattr(r, c.name) for c in Caller.__table__.columns} for r in rows]

    before = await state()
    async with db.transaction() as session:
        merged = await callers.merge(session, operator(), second.id, first.id, "same voice, same story, two numbers")
    async with db.transaction() as session:
        [hit] = await callers.find_by_phone(session, operator(), vault, "070 555 44 33", interface="http")
    assert hit.id == first.id and hit.danger_flags == ["caller_monitored", "never_call_back_on_this_number"]
    seen = await journal(db, vault, first.id)
    assert [p.identity.name for p in seen.merged_profiles] == ["G. Mammadova"]
    assert second_call in [e.contact_id for e in seen.timeline if e.kind == "contact"]
    assert (
        seen.timeline[0].kind == "merge" and seen.timeline[0].details["reason"] == "same voice, same story, two numbers"
    )
    async with db.reader() as session:
        record = await session.get(CallerMerge, merged.id)
    assert (record.merged_by, record.survivor_id, record.merged_id) == (OPERATOR, first.id, second.id)

    with pytest.raises(Conflict):  # a merged profile is not merged again, nor receives calls
        async with db.transaction() as session:
            await callers.merge(session, operator(), second.id, first.id, "again by mistake")

    async with db.transaction() as session:
        undone = await callers.unmerge(session, operator(), merged.id, "two sisters sharing a phone")
    assert undone.undone_by == OPERATOR and undone.undone_at is not None
    assert await state() == before
    async with db.transaction() as session:
        [hit] = await callers.find_by_phone(session, operator(), vault, "070 555 44 33", interface="http")
    assert hit.id == second.id
    seen = await journal(db, vault, first.id)
    assert seen.merged_profiles == [] and second_call not in [e.contact_id for e in seen.timeline]
    assert [e.kind for e in seen.timeline[:2]] == ["unmerge", "merge"]  # the history itself stays
    with pytest.raises(Conflict, match="already undone"):
        async with db.transaction() as session:
            await callers.unmerge(session, operator(), merged.id, "once more please")


async def test_merge_refuses_bad_requests_and_strangers(db, vault):
    first = await new_caller(db, vault)
    second = await new_caller(db, vault, phones=[], who=operator(OPERATOR2))
    with pytest.raises(InvalidInput):
        async with db.transaction() as session:
            await callers.merge(session, operator(), first.id, first.id, "the same profile")
    with pytest.raises(InvalidInput):
        async with db.transaction() as session:
            await callers.merge(session, operator(), first.id, "0" * 36, "no such profile")
    with pytest.raises(PermissionDenied, match="no link"):
        async with db.transaction() as session:
            await callers.merge(session, operator(), first.id, second.id, "I think they are one")
    async with db.transaction() as session:  # the director may
        merged = await callers.merge(session, director(), first.id, second.id, "confirmed with both operators")
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await callers.unmerge(session, operator(), merged.id, "not mine to undo")
    async with db.reader() as session:
        assert (await session.get(Caller, first.id)).status == "merged"


async def test_retention_destroys_the_key_and_keeps_the_statistics(db, vault):
    old = await new_caller(db, vault)
    recent = await new_caller(db, vault, phones=["+994 51 222 33 44"])
    async with db.transaction() as session:
        call = await add_contact(session, vault, caller_id=old.id, note="she is in Antalya, hotel kitchen")
    async with db.reader() as session:
        wrapped = (await session.get(CallerKey, old.id)).wrapped_key
    later = utcnow() + timedelta(days=400)
    async with db.transaction() as session:  # the recent caller called again just now (in the test's future)
        await add_contact(session, vault, caller_id=recent.id, started_at=utcnow())
        (await session.get(Caller, recent.id)).last_activity_at = later - timedelta(days=10)
    # The old caller's call is old too, as seen from "later".
    assert await purge_expired(db, 365, now=later) == 1
    assert await purge_expired(db, 365, now=later) == 0  # idempotent

    async with db.reader() as session:
        assert await session.get(CallerKey, old.id) is None
        fields = (await session.scalars(select(CallerField).where(CallerField.caller_id == old.id))).all()
        assert await session.get(ContactNote, call) is None
        assert await session.get(CallerKey, recent.id) is not None
    # The ciphertext rows are still there (so are backups), and nothing can open them any more.
    assert fields
    with pytest.raises(IdentityDestroyed):
        vault.unwrap(old.id, None)
    data_key = vault.unwrap(old.id, wrapped)  # only someone who kept the wrapped key from before could
    assert vault.open(data_key, fields[0].ciphertext, context=field_context(old.id, fields[0].field))
    for guess in (vault.new_data_key() for _ in range(3)):
        with pytest.raises(InvalidTag):
            vault.open(guess, fields[0].ciphertext, context=field_context(old.id, fields[0].field))

    seen = await journal(db, vault, old.id)
    assert seen.profile.status == "destroyed" and seen.identity is None and seen.profile.destroyed_at is not None
    assert [e.kind for e in seen.timeline] == ["contact"] and seen.timeline[0].details["note"] == ""
    async with db.transaction() as session:  # the number no longer finds anyone
        assert await callers.find_by_phone(session, operator(), vault, PHONE, interface="http") == []
    async with db.reader() as session:  # the statistics stay
        assert (await session.execute(text("SELECT count(*) FROM contacts"))).scalar() == 2
    with pytest.raises(Conflict):
        async with db.transaction() as session:
            await callers.update_caller(session, operator(), vault, old.id, CallerUpdate(name="again"))


async def test_referral_outcomes_flow_in_in_any_order_and_once(db, vault):
    profile = await new_caller(db, vault)
    async with db.transaction() as session:
        contact_id = await add_contact(session, vault, caller_id=profile.id)
    now = utcnow()
    later = status_event(
        referral_id="f" * 36,
        contact_id=contact_id,
        from_status="accepted",
        to_status="closed",
        reason_code="service_delivered",
        changed_at=now,
    )
    earlier = status_event(
        referral_id="f" * 36,
        contact_id=contact_id,
        from_status="sent",
        to_status="accepted",
        changed_at=now - timedelta(hours=1),
    )
    for event in (later, earlier, later):  # out of order, and one redelivered
        async with db.transaction() as session:
            await on_referral_status_changed(session, event)
    async with db.reader() as session:
        referral = await session.get(ContactReferral, "f" * 36)
    assert referral.status == "closed" and referral.service_type == "psychologist"
    assert await count(db, ReferralStatusChange) == 2
    async with db.transaction() as session:  # a contact this intake does not hold: nothing to do
        await on_referral_status_changed(
            session, status_event(referral_id="e" * 36, contact_id="0" * 36, to_status="accepted", changed_at=now)
        )
    assert await count(db, ReferralStatusChange) == 2


async def test_two_operators_saving_the_same_number_at_once_make_one_profile(db, vault):
    results = await asyncio.gather(
        *(new_caller(db, vault, who=operator(who), phones=["+994 77 100 20 30"]) for who in (OPERATOR, OPERATOR2)),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["CallerProfile", "Conflict"]
    assert await count(db, CallerPhone) == 1


async def test_the_service_purges_periodically_and_stops_cleanly(db, vault):
    profile = await new_caller(db, vault)
    async with db.transaction() as session:
        (await session.get(Caller, profile.id)).last_activity_at = utcnow() - timedelta(days=31)
    stop = asyncio.Event()
    task = asyncio.create_task(run_periodically(db, 30, 3600, stop))

    async def destroyed():
        async with db.reader() as session:
            return (await session.get(Caller, profile.id)).status == "destroyed"

    await eventually(destroyed, message="the periodic purge destroying an expired identity")
    stop.set()
    await asyncio.wait_for(task, 5)


async def test_overdue_referrals_on_the_board_carry_the_caller_code_and_codes_only(db, vault):
    from hotline.referrals.v1 import referrals_pb2

    profile = await new_caller(db, vault)
    async with db.transaction() as session:
        linked = await add_contact(session, vault, caller_id=profile.id)
        anonymous = await add_contact(session, vault)
    found = referrals_pb2.ReferralList(
        referrals=[
            referrals_pb2.Referral(
                id="a" * 36,
                contact_id=linked,
                service_type="shelter",
                urgency="urgent",
                region="Baku",
                status="sent",
                reason="she fears her employer",
                reference="R-1",
            ),
            referrals_pb2.Referral(
                id="b" * 36, contact_id=anonymous, service_type="legal_aid", urgency="routine", status="sent"
            ),
        ]
    )
    found.referrals[0].acknowledgement_due_at.FromDatetime(utcnow())
    async with db.reader() as session:
        rows = await director_service.overdue_referrals(session, director(), found)
        with pytest.raises(PermissionDenied):
            await director_service.overdue_referrals(session, operator(), found)
    assert [(r.caller_code, r.service_type, r.acknowledgement_due_at is not None) for r in rows] == [
        (profile.code, "shelter", True),
        (None, "legal_aid", False),
    ]
    assert "she fears" not in str([r.model_dump() for r in rows])  # the free-text reason stays out
