"""Protocols through the service layer, on SQLite and PostgreSQL: generated from the record, signed
by the head only, immutable (service and database), corrected by a linked protocol, verified;
a tampered body or signature fails; a rotated key still verifies what it signed."""

import base64
import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from coordination.decisions import service as decisions
from coordination.decisions.schemas import ProposalCreate, VoteIn
from coordination.meetings import service as meetings
from coordination.meetings.schemas import AssignmentIn, AttendanceIn, MeetingCreate, NotesIn
from coordination.members import service as members
from coordination.protocols import service as protocols
from coordination.protocols.canonical import FORMAT, canonical_bytes
from coordination.protocols.keys import KeyVault
from coordination.protocols.models import Protocol
from coordination.protocols.schemas import ExportedProtocol, SignIn
from hotline.events.v1 import coordination_pb2
from hotline_common.crypto import FieldCipher
from hotline_common.demo import ACCOUNT_IDS
from hotline_common.errors import Conflict, InvalidInput, PermissionDenied
from hotline_common.events.schema import outbox
from hotline_devstack.testing import principal

BAKU = ZoneInfo("Asia/Baku")
COORDINATOR = principal("coordinator")
HEAD = principal("wg_member", subject=ACCOUNT_IDS["head"])
SECRETARY = principal("wg_member", subject=ACCOUNT_IDS["secretary"])
MEMBER = principal("wg_member", subject=ACCOUNT_IDS["wgmember"])


@pytest.fixture
def vault():
    return KeyVault(FieldCipher.generate_keyring("s1"))


async def closed_meeting(db) -> str:
    """Scheduled by the head, agreed by the Coordinator, prepared and kept by the secretary; a 4-4
    tie the head breaks; notes and an assignment; closed."""
    async with db.reader() as session:
        ids = [m.id for m in await members.list_members(session, COORDINATOR)]  # head first
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(
            session,
            HEAD,
            MeetingCreate(
                scheduled_for="2026-12-10T10:00:00+04:00", place="Bakı, DİN", agenda=["NAP progress", "Sığınacaq"]
            ),
            BAKU,
        )
        await meetings.agree_meeting(session, COORDINATOR, meeting.id, BAKU)
        entries = [{"member_id": m, "presence": "in_person"} for m in ids[:8]]
        entries.append({"member_id": ids[8], "presence": "replaced", "replacement_name": "Deputy Ş. Çələbi"})
        await meetings.record_attendance(session, SECRETARY, meeting.id, AttendanceIn(entries=entries), BAKU)
        await meetings.open_meeting(session, SECRETARY, meeting.id, BAKU)
        proposal = await decisions.add_proposal(
            session, SECRETARY, meeting.id, ProposalCreate(agenda_item=2, text="İkinci sığınacaq açılsın"), BAKU
        )
    for i, member_id in enumerate(ids[:8]):
        async with db.transaction() as session:
            await decisions.cast_vote(
                session,
                SECRETARY,
                meeting.id,
                proposal.id,
                VoteIn(member_id=member_id, choice="for" if i % 2 == 0 else "against"),
                BAKU,
            )
    async with db.transaction() as session:
        decided = await decisions.decide_proposal(session, SECRETARY, meeting.id, proposal.id, BAKU)
        assert decided.outcome == "adopted" and decided.decided_by_head
        await meetings.write_notes(
            session, SECRETARY, meeting.id, NotesIn(notes="Müzakirə: ölçülər, ğ ı ş ç ö ü"), BAKU
        )
        await meetings.add_assignment(
            session,
            SECRETARY,
            meeting.id,
            AssignmentIn(agenda_item=2, text="Find a building", owner="Əmək Nazirliyi", deadline=date(2027, 3, 1)),
            BAKU,
        )
        await meetings.close_meeting(session, SECRETARY, meeting.id, BAKU)
    return meeting.id


async def sign(db, vault, meeting_id, who=HEAD, **kwargs):
    async with db.transaction() as session:
        return await protocols.sign_protocol(session, who, meeting_id, SignIn(**kwargs), BAKU, vault)


async def verify(db, protocol_id):
    async with db.reader() as session:
        return await protocols.verify_stored(session, MEMBER, protocol_id)


async def test_the_head_signs_a_protocol_generated_from_the_record_and_it_verifies(db, vault):
    meeting_id = await closed_meeting(db)
    signed = await sign(db, vault, meeting_id)
    doc = signed.document
    assert doc["format"] == FORMAT and doc["protocol_id"] == signed.id
    assert doc["quorum"] == {
        "members": 9,
        "present": 8,
        "needed": 6,
        "has_quorum": True,
        "rule": "3*present >= 2*members",
        "majority_rule": doc["quorum"]["majority_rule"],
    }
    replaced = [a for a in doc["attendance"] if a["presence"] == "replaced"]
    assert [a["replacement_name"] for a in replaced] == ["Deputy Ş. Çələbi"]
    [proposal] = doc["proposals"]
    assert (proposal["votes_for"], proposal["votes_against"], proposal["outcome"], proposal["decided_by_head"]) == (
        4,
        4,
        "adopted",
        True,
    )
    assert doc["assignments"] == [
        {"agenda_item": 2, "text": "Find a building", "owner": "Əmək Nazirliyi", "deadline": "2027-03-01"}
    ]
    assert doc["notes"].endswith("ğ ı ş ç ö ü") and doc["agenda"][1] == {"number": 2, "title": "Sığınacaq"}
    assert doc["signer"]["subject"] == ACCOUNT_IDS["head"]
    result = await verify(db, signed.id)
    assert result.valid and result.reason == "signature valid" and result.digest == signed.digest
    # The stored body is the canonical serialisation: sorted keys, no spaces, UTF-8 as itself.
    async with db.reader() as session:
        row = await session.get(Protocol, signed.id)
    assert row.body.encode() == canonical_bytes(json.loads(row.body)) and "ş" in row.body and '", "' not in row.body
    async with db.reader() as session:
        [event] = (
            await session.execute(select(outbox).where(outbox.c.subject == "coordination.protocol.signed.v1"))
        ).all()
    message = coordination_pb2.ProtocolSigned.FromString(event.payload)
    assert (message.protocol_id, message.digest, message.key_id) == (signed.id, signed.digest, signed.key_id)


async def test_only_the_head_signs_and_only_a_closed_meeting(db, vault):
    meeting_id = await closed_meeting(db)
    for who in (SECRETARY, MEMBER, COORDINATOR):
        with pytest.raises(PermissionDenied):
            await sign(db, vault, meeting_id, who=who)
    async with db.transaction() as session:
        other = await meetings.schedule_meeting(
            session, HEAD, MeetingCreate(scheduled_for="2026-12-20T10:00:00+04:00", online=True, agenda=["X"]), BAKU
        )
    with pytest.raises(Conflict, match="closed"):
        await sign(db, vault, other.id)
    with pytest.raises(Conflict, match="SIGNING_KEYRING"):
        await sign(db, KeyVault(None), meeting_id)


async def test_a_signed_protocol_is_immutable_and_a_correction_supersedes_it(db, vault):
    meeting_id = await closed_meeting(db)
    first = await sign(db, vault, meeting_id)
    with pytest.raises(Conflict, match="immutable"):
        await sign(db, vault, meeting_id)
    with pytest.raises(InvalidInput) as raised:
        await sign(db, vault, meeting_id, supersedes=first.id)
    assert raised.value.problems[0].field == "correction_reason"
    # The service refuses to change a stored protocol ...
    with pytest.raises(Conflict, match="immutable"):
        async with db.transaction() as session:
            row = await session.get(Protocol, first.id)
            row.correction_reason = "edited"
    # ... and so does the database, for a statement that bypasses the service.
    with pytest.raises((DBAPIError, IntegrityError, OperationalError)):
        async with db.transaction() as session:
            await session.execute(update(Protocol).where(Protocol.id == first.id).values(body="{}"))
    async with db.transaction() as session:
        await meetings.write_notes(session, SECRETARY, meeting_id, NotesIn(notes="Corrected notes"), BAKU)
    second = await sign(db, vault, meeting_id, supersedes=first.id, correction_reason="notes were incomplete")
    assert second.document["notes"] == "Corrected notes" and second.document["supersedes"] == first.id
    with pytest.raises(Conflict, match="current protocol"):
        await sign(db, vault, meeting_id, supersedes=first.id, correction_reason="again")
    async with db.reader() as session:
        listed = await protocols.list_protocols(session, MEMBER, meeting_id)
    assert [(p.id, p.superseded_by) for p in listed] == [(first.id, second.id), (second.id, None)]
    assert (await verify(db, first.id)).valid and (await verify(db, second.id)).valid


async def _disable_immutability(session) -> None:
    """What only a database superuser could do: switch off the append-only triggers."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("ALTER TABLE wg_protocols DISABLE TRIGGER wg_protocols_immutable"))
    else:
        await session.execute(text("DROP TRIGGER wg_protocols_no_update"))


@pytest.mark.parametrize("tamper", ["body", "whitespace", "signature", "digest_and_body"])
async def test_a_tampered_protocol_fails_verification(db, vault, tamper):
    meeting_id = await closed_meeting(db)
    signed = await sign(db, vault, meeting_id)
    async with db.reader() as session:
        row = await session.get(Protocol, signed.id)
        body, signature = row.body, row.signature
    changes = {
        "body": {"body": body.replace('"votes_against":4', '"votes_against":5')},
        "whitespace": {"body": body.replace('{"agenda"', '{ "agenda"', 1)},
        "signature": {"signature": bytes([signature[0] ^ 1]) + signature[1:]},
    }
    if tamper == "digest_and_body":
        from coordination.protocols.canonical import digest

        forged = body.replace('"outcome":"adopted"', '"outcome":"not_adopted"')
        changes[tamper] = {"body": forged, "digest": digest(forged.encode())}
    async with db.transaction() as session:
        await _disable_immutability(session)
        await session.execute(
            update(Protocol)
            .where(Protocol.id == signed.id)
            .values(**changes[tamper])
            .execution_options(synchronize_session=False)
        )
    result = await verify(db, signed.id)
    assert not result.valid
    expected = {
        "body": "digest",
        "whitespace": "canonical",
        "signature": "signature does not match",
        "digest_and_body": "signature does not match",
    }[tamper]
    assert expected in result.reason


async def test_an_exported_protocol_verifies_and_a_forged_one_does_not(db, vault):
    signed = await sign(db, vault, await closed_meeting(db))
    async with db.reader() as session:
        exported = await protocols.export_protocol(session, MEMBER, signed.id)
        assert (await protocols.verify_exported(session, MEMBER, exported)).valid
        forged = ExportedProtocol(
            body=exported.body.replace("Find a building", "Buy a building"), signature=exported.signature
        )
        assert not (await protocols.verify_exported(session, MEMBER, forged)).valid
        with pytest.raises(InvalidInput):
            await protocols.verify_exported(session, MEMBER, ExportedProtocol(body="{}", signature="%%%"))
        with pytest.raises(PermissionDenied):
            await protocols.verify_exported(session, principal("operator"), exported)


async def test_after_rotation_old_protocols_still_verify_and_new_ones_use_the_new_key(db, vault):
    meeting_id = await closed_meeting(db)
    first = await sign(db, vault, meeting_id)
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await protocols.rotate_key(session, SECRETARY, vault, BAKU)
    async with db.transaction() as session:
        new_key = await protocols.rotate_key(session, HEAD, vault, BAKU)
    assert new_key.id != first.key_id
    async with db.reader() as session:
        listed = {k.id: k for k in await protocols.list_keys(session, MEMBER)}
    assert listed[first.key_id].retired_at is not None and listed[new_key.id].retired_at is None
    old = await verify(db, first.id)
    assert old.valid and old.key_retired
    second = await sign(db, vault, meeting_id, supersedes=first.id, correction_reason="re-signed with the new key")
    assert second.key_id == new_key.id and (await verify(db, second.id)).valid


async def test_the_private_key_is_sealed_at_rest(db, vault):
    signed = await sign(db, vault, await closed_meeting(db))
    from coordination.protocols.models import SigningKey

    async with db.reader() as session:
        key = await session.get(SigningKey, signed.key_id)
    assert key.private_key_sealed and len(key.public_key) == 32
    # Another service secret cannot open it.
    with pytest.raises(Exception):
        KeyVault(FieldCipher.generate_keyring("s1")).unseal(key)
    assert base64.b64encode(key.public_key)


def run_cli(database_url: str, *args: str):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP_", "GRPC_", "DATABASE_"))}
    env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "coordination", "verify-protocol", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_the_cli_verifies_by_id_and_from_an_exported_file(db, vault, database_url, tmp_path):
    signed = await sign(db, vault, await closed_meeting(db))
    async with db.reader() as session:
        exported = await protocols.export_protocol(session, MEMBER, signed.id)
    by_id = run_cli(database_url, signed.id)
    assert by_id.returncode == 0 and "VALID" in by_id.stdout and signed.digest in by_id.stdout
    good = tmp_path / "protocol.json"
    good.write_text(exported.model_dump_json(), encoding="utf-8")
    assert run_cli(database_url, str(good)).returncode == 0
    bad = tmp_path / "forged.json"
    bad.write_text(
        json.dumps({"body": exported.body.replace('"votes_for":4', '"votes_for":5'), "signature": exported.signature}),
        encoding="utf-8",
    )
    forged = run_cli(database_url, str(bad))
    assert forged.returncode == 1 and "INVALID" in forged.stdout
    assert run_cli(database_url, "no-such-protocol").returncode == 2
