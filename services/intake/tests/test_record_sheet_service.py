"""The full statistical record sheet through the service layer, on SQLite and PostgreSQL: every code
checked (422 naming the field, nothing written), identity apart and encrypted, the full event with
codes only, high risk raising its alert in the same transaction."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hotline.events.v1 import intake_pb2
from hotline_common.db import new_id
from hotline_common.errors import InvalidInput, PermissionDenied
from hotline_common.events.schema import outbox
from hotline_devstack.testing import principal
from intake.callers.models import Caller
from intake.contact import service as contacts
from intake.contact.models import Contact, ContactAgency, ContactNote
from intake.contact.schemas import ContactCreate
from intake.draft import service as drafts
from intake.draft.models import CallDraft
from intake.screening import service as screening
from intake.screening.models import ScreeningAlert

NOTE = "Nigar Aliyeva, +994 55 765 43 21, lives near the Ganja bus station"
AGENCY = "Golden Star Recruitment, Ahmad Huseynov, +90 532 111 22 33"
PII = ["Nigar", "Aliyeva", "765 43 21", "Ganja bus", "Golden Star", "Huseynov", "111 22 33"]


def full_sheet(**changes) -> dict:
    started = datetime.now(UTC) - timedelta(minutes=30)
    sheet = {
        "line": "152",
        "caller_role": "presumed_victim",
        "purpose": "report_trafficking",
        "started_at": started,
        "ended_at": started + timedelta(minutes=17, seconds=5),
        "caller_sex": "female",
        "caller_age_group": "25_34",
        "caller_citizenship": "AZ",
        "caller_country": "TR",
        "caller_language": "az",
        "motive": "exploitation_now",
        "destination_country": "TR",
        "agency": AGENCY,
        "indicators": ["passport_taken", "threats_to_family", "excessive_hours"],
        "police_report": "consented",
        "exploitation_types": ["forced_labour"],
        "labour_industry": "domestic_work",
        "state_at_start": "frightened",
        "state_at_end": "anxious",
        "crisis_support": True,
        "tactics": ["safety_plan", "contact_embassy"],
        "advice_given": ["embassy_contacts", "copies_of_documents"],
        "services_informed": ["0190a000-0000-7000-8000-0000000000a1", "0190a000-0000-7000-8000-0000000000a2"],
        "follow_up_needed": True,
        "follow_up_due_at": started + timedelta(days=1),
        "note": NOTE,
    }
    sheet.update(changes)
    return sheet


OPERATOR = principal("operator", subject="op-1")


async def count(db, model) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def record(db, cipher, **changes):
    async with db.transaction() as session:
        return await contacts.record_contact(session, OPERATOR, cipher, ContactCreate(**full_sheet(**changes)))


async def add_caller(db, status: str = "active") -> str:
    caller_id = new_id()
    now = datetime.now(UTC)
    async with db.transaction() as session:
        session.add(
            Caller(
                id=caller_id,
                code=caller_id[-8:],
                status=status,
                danger_flags=[],
                created_by="op-1",
                created_at=now,
                last_activity_at=now,
            )
        )
    return caller_id


async def events(db) -> list[tuple[str, bytes]]:
    async with db.reader() as session:
        return [(row.subject, row.payload) for row in (await session.execute(select(outbox))).all()]


async def test_the_whole_sheet_is_stored_as_codes_and_read_back(db, cipher):
    contact = await record(db, cipher)
    assert contact.duration_seconds == 17 * 60 + 5
    assert contact.anonymous and contact.caller_id is None
    assert contact.risk_level == "high" and contact.revision == 1
    async with db.transaction() as session:
        detail = await contacts.read_contact(session, OPERATOR, cipher, contact.id, interface="http")
    assert (detail.note, detail.agency) == (NOTE, AGENCY)
    assert detail.indicators == ["passport_taken", "threats_to_family", "excessive_hours"]
    assert (detail.labour_industry, detail.tactics, detail.follow_up_needed) == (
        "domestic_work",
        ["safety_plan", "contact_embassy"],
        True,
    )
    async with db.reader() as session:
        agency = await session.get(ContactAgency, contact.id)
        row = (await session.execute(select(Contact.__table__).where(Contact.id == contact.id))).one()
    assert b"Golden" not in agency.ciphertext
    assert not any(p in str(tuple(row)) for p in PII), "the contact row holds codes only"


async def test_the_recorded_event_carries_every_coded_field_and_no_pii(db, cipher):
    contact = await record(db, cipher)
    recorded = [payload for subject, payload in await events(db) if subject.endswith("contact.recorded.v1")]
    event = intake_pb2.ContactRecorded.FromString(recorded[0])
    assert event.contact_id == contact.id and event.caller_id == ""
    assert (event.caller_sex, event.caller_age_group, event.caller_citizenship, event.caller_country) == (
        "female",
        "25_34",
        "AZ",
        "TR",
    )
    assert (event.motive, event.destination_country, event.risk_level) == ("exploitation_now", "TR", "high")
    assert list(event.indicator_groups) == ["documents_withheld", "threats_violence", "conditions"]
    assert list(event.methods_of_control) == [
        "meansOfControlExcessiveWorkingHours",
        "meansOfControlThreats",
        "meansOfControlWithholdsDocuments",
    ]
    assert (list(event.exploitation_types), event.labour_industry) == (["forced_labour"], "domestic_work")
    assert (event.state_at_start, event.state_at_end, event.crisis_support) == ("frightened", "anxious", True)
    assert list(event.advice_given) == ["embassy_contacts", "copies_of_documents"]
    assert (event.services_informed, event.follow_up_needed, event.duration_seconds) == (2, True, 1025)
    assert event.ended_at.ToDatetime(tzinfo=UTC) == contact.ended_at
    assert event.revision == 1 and not event.returning_caller


async def test_no_emitted_event_carries_demo_pii(db, cipher):
    await record(db, cipher)
    await record(db, cipher, indicators=[], police_report="", caller_id=await add_caller(db))
    emitted = await events(db)
    assert len(emitted) == 3  # two contacts recorded, one high-risk alert
    for subject, payload in emitted:
        for pii in PII:
            assert pii.encode() not in payload, (subject, pii)


async def test_high_risk_raises_one_alert_with_the_event_in_the_same_transaction(db, cipher):
    contact = await record(db, cipher)
    await record(db, cipher, indicators=["passport_taken"], police_report="")
    [alert_payload] = [p for s, p in await events(db) if s.endswith("screening.high_risk.v1")]
    alert = intake_pb2.HighRiskRaised.FromString(alert_payload)
    assert (alert.contact_id, alert.risk_level, alert.operator_id) == (contact.id, "high", "op-1")
    assert alert.police_report_consented
    assert list(alert.indicator_groups) == ["documents_withheld", "threats_violence", "conditions"]
    async with db.reader() as session:
        [open_alert] = await screening.list_open_alerts(session, principal("director"))
        with pytest.raises(PermissionDenied):
            await screening.list_open_alerts(session, OPERATOR)
    assert open_alert.contact_id == contact.id and open_alert.police_report == "consented"
    async with db.transaction() as session:
        await screening.close_alert(session, principal("director"), open_alert.id)
    async with db.reader() as session:
        assert await screening.list_open_alerts(session, principal("director")) == []


async def test_a_returning_caller_is_flagged_and_not_anonymous(db, cipher):
    caller = await add_caller(db)
    first = await record(db, cipher, caller_id=caller)
    await record(db, cipher, caller_id=caller)
    payloads = [intake_pb2.ContactRecorded.FromString(p) for s, p in await events(db) if "recorded" in s]
    assert [e.returning_caller for e in payloads] == [False, True]
    assert not first.anonymous and payloads[0].caller_id == caller


BAD = [
    ({"caller_sex": "robot"}, "caller_sex"),
    ({"caller_age_group": "ancient"}, "caller_age_group"),
    ({"caller_citizenship": "XX"}, "caller_citizenship"),
    ({"caller_country": "az"}, "caller_country"),
    ({"caller_language": "klingon"}, "caller_language"),
    ({"motive": "curiosity"}, "motive"),
    ({"destination_country": "Mars"}, "destination_country"),
    ({"indicators": ["passport_taken", "aliens"]}, "indicators.1"),
    ({"indicators": ["passport_taken", "passport_taken"]}, "indicators"),
    ({"police_report": "maybe"}, "police_report"),
    ({"exploitation_types": ["forced_labour", "piracy"]}, "exploitation_types.1"),
    ({"labour_industry": "mining_asteroids"}, "labour_industry"),
    ({"exploitation_types": ["sexual"]}, "labour_industry"),
    ({"state_at_start": "sleepy"}, "state_at_start"),
    ({"state_at_end": "x"}, "state_at_end"),
    ({"tactics": ["run"]}, "tactics.0"),
    ({"advice_given": ["buy_bitcoin"]}, "advice_given.0"),
    ({"advice_given": ["read_contract", "read_contract"]}, "advice_given"),
    ({"caller_region": "Ganja", "caller_country": "TR"}, "caller_region"),
    ({"caller_region": "Atlantis"}, "caller_region"),
    ({"follow_up_due_at": None}, "follow_up_due_at"),
    ({"follow_up_needed": False}, "follow_up_due_at"),
    ({"ended_at": datetime.now(UTC) - timedelta(hours=2)}, "ended_at"),
    ({"ended_at": datetime.now(UTC) + timedelta(hours=2)}, "ended_at"),
    ({"ended_at": datetime(2026, 1, 1, 10, 0)}, "ended_at"),
    ({"script_version_id": "0190a000-0000-7000-8000-0000000000ee"}, "script_version_id"),
    ({"services_informed": ["0190a000-0000-7000-8000-0000000000a1"] * 2}, "services_informed"),
    ({"caller_id": "0190a000-0000-7000-8000-0000000000f9"}, "caller_id"),
]


@pytest.mark.parametrize("change, field", BAD, ids=[f for _, f in BAD])
async def test_a_bad_code_is_refused_naming_the_field_and_nothing_is_written(db, cipher, change, field):
    async with db.transaction() as session:
        draft = await drafts.start_draft(session, OPERATOR, cipher)
    with pytest.raises(InvalidInput) as raised:
        await record(db, cipher, draft_id=draft.id, **change)
    assert field in [p.field for p in raised.value.problems]
    for model in (Contact, ContactNote, ContactAgency, ScreeningAlert, outbox):
        assert await count(db, model) == 0, model
    async with db.reader() as session:
        assert (await session.get(CallDraft, draft.id)).closed_at is None, "the draft stays open"


async def test_a_merged_caller_profile_is_refused(db, cipher):
    with pytest.raises(InvalidInput) as raised:
        await record(db, cipher, caller_id=await add_caller(db, status="merged"))
    assert raised.value.problems[0].field == "caller_id"
    assert await count(db, Contact) == 0


async def test_all_problems_come_back_at_once(db, cipher):
    with pytest.raises(InvalidInput) as raised:
        await record(db, cipher, caller_sex="robot", motive="x", tactics=["run"])
    assert {p.field for p in raised.value.problems} == {"caller_sex", "motive", "tactics.0"}


async def test_only_the_defaults_still_make_a_valid_minimal_call(db, cipher):
    async with db.transaction() as session:
        contact = await contacts.record_contact(
            session,
            OPERATOR,
            cipher,
            ContactCreate(line="562-21-12", caller_role="advice_seeker", purpose="information"),
        )
    assert (contact.risk_level, contact.anonymous, contact.ended_at, contact.indicators) == ("none", True, None, [])


async def test_follow_ups_close_once(db, cipher):
    contact = await record(db, cipher)
    async with db.transaction() as session:
        done = await contacts.mark_follow_up_done(session, OPERATOR, contact.id)
    async with db.transaction() as session:
        again = await contacts.mark_follow_up_done(session, OPERATOR, contact.id)
    assert done.follow_up_done_at == again.follow_up_done_at is not None
    plain = await record(db, cipher, follow_up_needed=False, follow_up_due_at=None)
    with pytest.raises(InvalidInput):
        async with db.transaction() as session:
            await contacts.mark_follow_up_done(session, OPERATOR, plain.id)


async def test_a_correction_bumps_the_revision_and_emits_the_sheet_again(db, cipher):
    contact = await record(db, cipher, indicators=["passport_taken"], police_report="")
    corrected = full_sheet(
        indicators=["passport_taken", "threats_to_caller"], note="corrected note", agency="", started_at=None
    )
    async with db.transaction() as session:
        out = await contacts.correct_contact(session, OPERATOR, cipher, contact.id, ContactCreate(**corrected))
    assert (out.revision, out.risk_level, out.started_at) == (2, "high", contact.started_at)
    recorded = [intake_pb2.ContactRecorded.FromString(p) for s, p in await events(db) if "recorded" in s]
    assert [(e.contact_id, e.revision, e.risk_level) for e in recorded] == [
        (contact.id, 1, "low"),
        (contact.id, 2, "high"),
    ]
    assert len([s for s, _ in await events(db) if "high_risk" in s]) == 1
    async with db.transaction() as session:
        detail = await contacts.read_contact(session, OPERATOR, cipher, contact.id, interface="http")
        await contacts.correct_contact(session, OPERATOR, cipher, contact.id, ContactCreate(**corrected))
    assert (detail.note, detail.agency) == ("corrected note", "")
    assert len([s for s, _ in await events(db) if "high_risk" in s]) == 1, "one alert per contact"


async def test_only_its_operator_or_the_director_corrects_and_bad_corrections_change_nothing(db, cipher):
    contact = await record(db, cipher)
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await contacts.correct_contact(
                session,
                principal("operator", subject="op-2"),
                cipher,
                contact.id,
                ContactCreate(**full_sheet(started_at=None)),
            )
    for change, field in (
        ({"caller_sex": "robot"}, "caller_sex"),
        ({"started_at": datetime.now(UTC) - timedelta(days=3)}, "started_at"),
    ):
        with pytest.raises(InvalidInput) as raised:
            async with db.transaction() as session:
                await contacts.correct_contact(
                    session, OPERATOR, cipher, contact.id, ContactCreate(**full_sheet(**{"started_at": None, **change}))
                )
        assert raised.value.problems[0].field == field
    async with db.transaction() as session:
        await contacts.correct_contact(
            session,
            principal("director", subject="dir-1"),
            cipher,
            contact.id,
            ContactCreate(**full_sheet(started_at=None, caller_sex="male")),
        )
    async with db.reader() as session:
        row = await session.get(Contact, contact.id)
    assert (row.revision, row.caller_sex) == (2, "male")
