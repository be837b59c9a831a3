"""The referral lifecycle, consent, deadlines and one-time links through the service layer, on SQLite
and PostgreSQL: every allowed move, every refused one, who may make it, and what each writes."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from hotline.events.v1 import referrals_pb2
from hotline_common.crypto import FieldCipher
from hotline_common.errors import InvalidInput, NotFound, PermissionDenied
from hotline_common.events.schema import outbox
from hotline_devstack.testing import migrated_database, principal
from referrals.consent import service as consents
from referrals.consent.models import Consent
from referrals.database import MIGRATIONS
from referrals.directory.demo import ORGANISATIONS, load_demo_directory, service_id
from referrals.links import service as links
from referrals.links.models import ReferralLink
from referrals.referral import lifecycle
from referrals.referral import service as referrals
from referrals.referral.models import Referral, ReferralNote, ReferralTransition
from referrals.referral.policy import Policy
from referrals.referral.schemas import ConsentIn, NoteIn, ReferralCreate, StatusChange

CONTACT = "0190a000-0000-7000-8000-0000000000aa"
CALLER = "0190a000-0000-7000-8000-0000000000bb"
PSYCH_ORG = ORGANISATIONS[1][0]  # service 2 belongs to it
OTHER_ORG = ORGANISATIONS[2][0]
NAME, PHONE = "Leyla Məmmədova", "+994 50 123 45 67"
OPERATOR = principal("operator", subject="op-1")
PARTNER = principal("partner", organisation_id=PSYCH_ORG, subject="partner-1")
OTHER_PARTNER = principal("partner", organisation_id=OTHER_ORG, subject="partner-2")
POLICY = Policy(cipher=FieldCipher(FieldCipher.generate_keyring()))


@pytest.fixture
async def db(database_url):
    database = await migrated_database(MIGRATIONS, database_url)
    async with database.transaction() as session:
        await load_demo_directory(session)
    yield database
    await database.dispose()


def consent(fields=("name", "phone"), data=None, days=30) -> ConsentIn:
    return ConsentIn(
        fields=list(fields),
        purpose="psychological support",
        data=data or {"name": NAME, "phone": PHONE},
        valid_until=datetime.now(UTC) + timedelta(days=days),
    )


async def create(db, *, urgency="routine", with_consent=None, draft=False) -> str:
    async with db.transaction() as session:
        out = await referrals.create_referral(
            session,
            OPERATOR,
            ReferralCreate(
                contact_id=CONTACT,
                caller_id=CALLER,
                service_id=service_id(2),
                reason="crisis support after a call",
                urgency=urgency,
                consent=with_consent,
                draft=draft,
            ),
            POLICY,
            via_service=referrals.CONSENT_SOURCE,  # consented values come from intake
        )
    return out.id


async def move(db, who, referral_id, to_status, reason_code=None):
    async with db.transaction() as session:
        return await referrals.change_status(
            session, who, referral_id, StatusChange(to_status=to_status, reason_code=reason_code), POLICY
        )


async def events(db, subject_part: str = "") -> list:
    async with db.reader() as session:
        rows = (await session.execute(select(outbox).order_by(outbox.c.seq))).all()
    return [r for r in rows if subject_part in r.subject]


async def test_the_whole_way_to_completed_is_recorded_and_emitted(db):
    referral_id = await create(db, draft=True)
    await move(db, OPERATOR, referral_id, "sent")
    for to in ("acknowledged", "accepted", "in_progress", "completed"):
        await move(db, PARTNER, referral_id, to)
    async with db.reader() as session:
        history = (
            await session.scalars(
                select(ReferralTransition)
                .where(ReferralTransition.referral_id == referral_id)
                .order_by(ReferralTransition.at)
            )
        ).all()
        referral = await session.get(Referral, referral_id)
    assert [(t.from_status, t.to_status, t.actor_kind, t.actor) for t in history] == [
        (None, "draft", "hotline", "op-1"),
        ("draft", "sent", "hotline", "op-1"),
        ("sent", "acknowledged", "partner", "partner-1"),
        ("acknowledged", "accepted", "partner", "partner-1"),
        ("accepted", "in_progress", "partner", "partner-1"),
        ("in_progress", "completed", "partner", "partner-1"),
    ]
    assert referral.acknowledgement_due_at is not None, "the clock starts when the draft is sent"
    changed = [
        referrals_pb2.ReferralStatusChanged.FromString(r.payload)
        for r in await events(db, "referral.status_changed")
        if r.subject == "referrals.referral.status_changed.v1"
    ]
    assert [(e.from_status, e.to_status, e.actor_kind, e.caller_id) for e in changed] == [
        ("draft", "sent", "hotline", CALLER),
        ("sent", "acknowledged", "partner", CALLER),
        ("acknowledged", "accepted", "partner", CALLER),
        ("accepted", "in_progress", "partner", CALLER),
        ("in_progress", "completed", "partner", CALLER),
    ]
    [created] = await events(db, "referral.created")
    created_event = referrals_pb2.ReferralCreated.FromString(created.payload)
    assert (created_event.status, created_event.consent_given, created_event.caller_id) == ("draft", False, CALLER)
    partner_subjects = [r.subject for r in await events(db, "referrals.partner.")]
    assert (
        partner_subjects
        == [f"referrals.partner.{PSYCH_ORG}.referral.sent.v1"]
        + [f"referrals.partner.{PSYCH_ORG}.referral.status_changed.v1"] * 4
    ), "a draft is not announced"


async def test_every_move_outside_the_table_is_refused_naming_from_and_to(db):
    referral_id = await create(db)
    refused = 0
    for current in lifecycle.STATUSES:
        for target in lifecycle.STATUSES:
            if (current, target) in lifecycle.TRANSITIONS:
                continue
            async with db.transaction() as session:
                await session.execute(update(Referral).where(Referral.id == referral_id).values(status=current))
            for who in (OPERATOR, PARTNER):
                if who is PARTNER and current == lifecycle.DRAFT:
                    with pytest.raises(NotFound):  # a draft is not the partner's yet: no such referral
                        await move(db, who, referral_id, target)
                    refused += 1
                    continue
                with pytest.raises(lifecycle.InvalidTransition) as raised:
                    await move(db, who, referral_id, target, "other" if target in lifecycle.REASONS else None)
                assert f"from {current} to {target}" in raised.value.message
                refused += 1
    assert refused == 2 * (len(lifecycle.STATUSES) ** 2 - len(lifecycle.TRANSITIONS))
    async with db.reader() as session:
        assert (
            len(
                (
                    await session.scalars(
                        select(ReferralTransition).where(ReferralTransition.referral_id == referral_id)
                    )
                ).all()
            )
            == 1
        ), "nothing recorded for a refused move"
    assert len(await events(db, "status_changed")) == 0


async def test_each_side_makes_only_its_own_moves(db):
    referral_id = await create(db)
    with pytest.raises(PermissionDenied, match="from sent to acknowledged is for the link or partner"):
        await move(db, OPERATOR, referral_id, "acknowledged")
    with pytest.raises(NotFound):  # another organisation's referral is, for it, no referral at all
        await move(db, OTHER_PARTNER, referral_id, "acknowledged")
    with pytest.raises(PermissionDenied):
        await move(db, principal("analyst"), referral_id, "acknowledged")
    with pytest.raises(PermissionDenied, match="for the hotline"):
        await move(db, PARTNER, referral_id, "withdrawn")
    await move(db, PARTNER, referral_id, "acknowledged")
    with pytest.raises(InvalidInput) as raised:
        await move(db, PARTNER, referral_id, "declined")
    assert raised.value.problems[0].field == "reason_code"
    with pytest.raises(InvalidInput):
        await move(db, PARTNER, referral_id, "declined", "because I say so")
    with pytest.raises(InvalidInput):
        await move(db, PARTNER, referral_id, "accepted", "no_capacity")
    with pytest.raises(InvalidInput) as raised:
        await move(db, PARTNER, referral_id, "teleported")
    assert raised.value.problems[0].field == "to_status"
    out = await move(db, PARTNER, referral_id, "declined", "no_capacity")
    assert (out.status, out.reason_code) == ("declined", "no_capacity")
    [last] = [
        referrals_pb2.ReferralStatusChanged.FromString(r.payload)
        for r in await events(db, "referrals.referral.status_changed")
    ][-1:]
    assert (last.to_status, last.reason_code) == ("declined", "no_capacity")
    withdrawn = await create(db)
    assert (await move(db, OPERATOR, withdrawn, "withdrawn", "caller_withdrew")).status == "withdrawn"


async def test_partner_sees_only_consented_fields_only_of_its_own_organisation(db):
    with_consent = await create(db, with_consent=consent(fields=("name", "language"), data={"name": NAME}))
    without = await create(db)
    draft = await create(db, draft=True, with_consent=consent())
    async with db.reader() as session:
        seen = await referrals.partner_get(session, PARTNER, with_consent, POLICY)
        bare = await referrals.partner_get(session, PARTNER, without, POLICY)
        listed = await referrals.partner_list(session, PARTNER, POLICY)
        for other_referral in (with_consent, draft):
            with pytest.raises(NotFound):
                await referrals.partner_get(
                    session, OTHER_PARTNER if other_referral == with_consent else PARTNER, other_referral, POLICY
                )
        assert await referrals.partner_list(session, OTHER_PARTNER, POLICY) == []
        with pytest.raises(PermissionDenied):
            await referrals.partner_list(session, OPERATOR, POLICY)
        with pytest.raises(PermissionDenied, match="partner interface"):
            await referrals.get_referral(session, PARTNER, with_consent, POLICY)
        stored = await session.scalar(select(Consent).where(Consent.referral_id == with_consent))
    assert seen.shared == {"name": NAME} and seen.consented_fields == ["name", "language"] and seen.consent_active
    assert seen.need == "crisis support after a call" and seen.reference.startswith("R-")
    assert bare.shared == {} and not bare.consent_active and bare.consented_fields == [] and not bare.consent_ended
    assert {r.id for r in listed} == {with_consent, without}, "drafts are not the partner's yet"
    assert NAME.encode() not in stored.shared_data and stored.taken_by == "op-1"
    with pytest.raises(ValueError, match="not among the consented fields"):
        consent(fields=("name",), data={"name": NAME, "phone": PHONE})
    for row in await events(db):
        assert NAME.encode() not in row.payload and PHONE.encode() not in row.payload
        assert b"crisis support" not in row.payload, "free text stays out of events"
    notice = referrals_pb2.PartnerReferralNotice.FromString((await events(db, "referrals.partner."))[0].payload)
    assert list(notice.consented_fields) == ["name", "language"] and notice.consent_active


async def test_revocation_removes_the_data_at_once_and_emits_once(db):
    referral_id = await create(db, with_consent=consent())
    async with db.transaction() as session:
        with pytest.raises(PermissionDenied):
            await referrals.revoke_consent(session, PARTNER, referral_id, POLICY)
    async with db.transaction() as session:
        await referrals.revoke_consent(session, OPERATOR, referral_id, POLICY)
    async with db.transaction() as session:
        await referrals.revoke_consent(session, OPERATOR, referral_id, POLICY)  # again: nothing more happens
    async with db.reader() as session:
        seen = await referrals.partner_get(session, PARTNER, referral_id, POLICY)
        stored = await session.scalar(select(Consent).where(Consent.referral_id == referral_id))
        detail = await referrals.get_detail(session, OPERATOR, referral_id, POLICY)
    assert seen.shared == {} and not seen.consent_active and seen.consent_ended
    assert stored.shared_data is None and stored.revoked_by == "op-1"
    assert detail.consent.fields == ["name", "phone"] and not detail.consent.active, "the record itself stays"
    [revoked] = await events(db, "consent.revoked")
    assert referrals_pb2.ConsentRevoked.FromString(revoked.payload).referral_id == referral_id
    assert [r.subject.rsplit(".", 2)[-2] for r in await events(db, "referrals.partner.")] == ["sent", "consent_revoked"]


async def test_expired_consent_behaves_as_revoked(db):
    referral_id = await create(db, with_consent=consent())
    async with db.transaction() as session:
        await session.execute(update(Consent).values(valid_until=datetime.now(UTC) - timedelta(seconds=1)))
    async with db.reader() as session:
        assert (await referrals.partner_get(session, PARTNER, referral_id, POLICY)).shared == {}
    async with db.transaction() as session:
        assert await consents.expire_due(session) == 1
    async with db.transaction() as session:
        assert await consents.expire_due(session) == 0
    async with db.reader() as session:
        stored = await session.scalar(select(Consent))
    assert stored.shared_data is None and stored.revoked_by == consents.SYSTEM_EXPIRY
    assert len(await events(db, "consent.revoked")) == 1
    assert len(await events(db, f"partner.{PSYCH_ORG}.referral.consent_revoked")) == 1, "the partner is told too"


async def test_overdue_is_escalated_once_and_listed_for_the_director(db):
    emergency = await create(db, urgency="emergency")
    routine = await create(db, urgency="routine")
    later = datetime.now(UTC) + timedelta(hours=3)
    async with db.transaction() as session:
        assert await referrals.escalate_overdue(session, later) == 1
    async with db.transaction() as session:
        assert await referrals.escalate_overdue(session, later + timedelta(hours=1)) == 0, "once per referral"
    async with db.reader() as session:
        board = await referrals.list_overdue(session, principal("director"), later, policy=POLICY)
        with pytest.raises(PermissionDenied):
            await referrals.list_overdue(session, PARTNER, later, policy=POLICY)
    assert [r.id for r in board] == [emergency] and board[0].overdue_escalated_at is not None
    [raised] = await events(db, "referrals.referral.overdue")
    event = referrals_pb2.ReferralOverdue.FromString(raised.payload)
    assert (event.referral_id, event.urgency) == (emergency, "emergency")
    assert len(await events(db, f"partner.{PSYCH_ORG}.referral.overdue")) == 1
    await move(db, PARTNER, emergency, "acknowledged")
    async with db.reader() as session:
        assert await referrals.list_overdue(session, principal("director"), later, policy=POLICY) == []
        due = {r.id: r.acknowledgement_due_at for r in await referrals.list_referrals(session, OPERATOR, POLICY)}
    assert timedelta(hours=70) <= due[routine] - due[emergency] < timedelta(hours=70, seconds=5)


async def test_notes_are_encrypted_and_reach_the_hotline(db):
    referral_id = await create(db)
    async with db.transaction() as session:
        await referrals.partner_add_note(session, PARTNER, referral_id, NoteIn(body="She came in today."), POLICY)
    async with db.reader() as session:
        row = await session.scalar(select(ReferralNote))
        detail = await referrals.get_detail(session, OPERATOR, referral_id, POLICY)
        with pytest.raises(NotFound):
            await referrals.partner_get(session, OTHER_PARTNER, referral_id, POLICY)
    assert b"came in" not in row.body
    assert [(n.author_kind, n.body) for n in detail.notes] == [("partner", "She came in today.")]
    async with db.transaction() as session:
        with pytest.raises(Exception, match="ENCRYPTION_KEYRING"):
            await referrals.partner_add_note(session, PARTNER, referral_id, NoteIn(body="x"), Policy())


async def test_one_time_link_acknowledges_reports_once_then_refuses(db):
    referral_id = await create(db, with_consent=consent(fields=("name",), data={"name": NAME}))
    async with db.transaction() as session:
        token, _ = await links.issue_link(session, OPERATOR, referral_id, POLICY)
        with pytest.raises(PermissionDenied):
            await links.issue_link(session, PARTNER, referral_id, POLICY)
    async with db.reader() as session:
        seen = await links.view(session, token, POLICY)
        stored = (await session.scalars(select(ReferralLink))).one()
    assert seen.shared == {"name": NAME} and seen.notes == []
    assert token not in stored.token_hash and stored.token_hash == links.hash_token(token)
    async with db.transaction() as session:
        await links.acknowledge(session, token, POLICY)
    async with db.transaction() as session:
        reference = await links.report_outcome(session, token, "completed", None, "Seen twice, stable now.", POLICY)
    async with db.reader() as session:
        history = (
            await session.scalars(
                select(ReferralTransition)
                .where(ReferralTransition.referral_id == referral_id)
                .order_by(ReferralTransition.at)
            )
        ).all()
        detail = await referrals.get_detail(session, OPERATOR, referral_id, POLICY)
    assert reference == detail.reference and detail.status == "completed"
    assert [(t.to_status, t.actor_kind) for t in history[1:]] == [
        ("acknowledged", "link"),
        ("accepted", "link"),
        ("in_progress", "link"),
        ("completed", "link"),
    ]
    assert [n.body for n in detail.notes] == ["Seen twice, stable now."]
    for attempt in (links.view, links.acknowledge):
        async with db.transaction() as session:
            with pytest.raises(links.LinkRefused) as refused:
                await attempt(session, token, POLICY)
        assert refused.value.why == "used"
    async with db.reader() as session:
        with pytest.raises(links.LinkRefused) as refused:
            await links.view(session, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), POLICY)
    assert refused.value.why == "unknown"


async def test_expired_link_shows_nothing_and_declining_needs_a_reason(db):
    referral_id = await create(db)
    async with db.transaction() as session:
        token, _ = await links.issue_link(session, OPERATOR, referral_id, POLICY)
        fresh, _ = await links.issue_link(session, OPERATOR, referral_id, POLICY)
    async with db.transaction() as session:
        await links.acknowledge(session, fresh, POLICY)
    async with db.transaction() as session:
        with pytest.raises(InvalidInput):
            await links.report_outcome(session, fresh, "declined", None, None, POLICY)
    async with db.transaction() as session:
        with pytest.raises(InvalidInput):
            await links.report_outcome(session, fresh, "withdrawn", None, None, POLICY)
    async with db.transaction() as session:
        await links.report_outcome(session, fresh, "declined", "outside_area", None, POLICY)
    async with db.transaction() as session:
        await session.execute(
            update(ReferralLink)
            .where(ReferralLink.token_hash == links.hash_token(token))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    async with db.reader() as session:
        with pytest.raises(links.LinkRefused) as refused:
            await links.view(session, token, POLICY)
    assert refused.value.why == "expired"
    draft = await create(db, draft=True)
    async with db.transaction() as session:
        with pytest.raises(lifecycle.InvalidTransition):
            await links.issue_link(session, OPERATOR, draft, POLICY)
    withdrawn = await create(db)
    async with db.transaction() as session:
        unused, _ = await links.issue_link(session, OPERATOR, withdrawn, POLICY)
    await move(db, OPERATOR, withdrawn, "withdrawn", "caller_withdrew")
    async with db.reader() as session:
        with pytest.raises(links.LinkRefused) as refused:
            await links.view(session, unused, POLICY)
    assert refused.value.why == "closed", "a closed referral's link shows nothing"
    async with db.transaction() as session:
        with pytest.raises(lifecycle.InvalidTransition):
            await links.issue_link(session, OPERATOR, withdrawn, POLICY)


def test_path_to_walks_only_allowed_moves():
    assert lifecycle.path_to("sent", "completed", lifecycle.LINK) == [
        "acknowledged",
        "accepted",
        "in_progress",
        "completed",
    ]
    with pytest.raises(lifecycle.InvalidTransition):
        lifecycle.path_to("sent", "withdrawn", lifecycle.LINK)
    assert lifecycle.path_to("sent", "withdrawn", lifecycle.HOTLINE) == ["withdrawn"]


async def test_two_simultaneous_acknowledgements_record_one_move(db):
    """Two partner users click at once: one move is recorded, the other is refused, no double event."""
    import asyncio

    referral_id = await create(db)
    results = await asyncio.gather(
        move(db, PARTNER, referral_id, "acknowledged"),
        move(db, principal("partner", organisation_id=PSYCH_ORG, subject="partner-3"), referral_id, "acknowledged"),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["InvalidTransition", "ReferralOut"]
    async with db.reader() as session:
        moves = (
            await session.scalars(select(ReferralTransition).where(ReferralTransition.to_status == "acknowledged"))
        ).all()
    assert len(moves) == 1
    assert len([r for r in await events(db, "status_changed") if r.subject.startswith("referrals.referral")]) == 1


async def test_showing_consented_values_is_logged_for_the_hotline(db):
    with_consent = await create(db, with_consent=consent())
    without = await create(db)
    async with db.transaction() as session:
        await referrals.partner_get(session, PARTNER, with_consent, POLICY, channel="portal")
        await referrals.partner_get(session, PARTNER, without, POLICY, channel="portal")
        await referrals.partner_list(session, PARTNER, POLICY, channel="grpc")
        token, _ = await links.issue_link(session, OPERATOR, with_consent, POLICY)
    async with db.transaction() as session:
        await links.view(session, token, POLICY)
    async with db.transaction() as session:
        await referrals.revoke_consent(session, OPERATOR, with_consent, POLICY)
    async with db.transaction() as session:
        await referrals.partner_get(session, PARTNER, with_consent, POLICY)  # nothing shown any more
    async with db.reader() as session:
        detail = await referrals.get_detail(session, OPERATOR, with_consent, POLICY)
        bare = await referrals.get_detail(session, OPERATOR, without, POLICY)
    assert [(r.reader, r.reader_kind, r.channel, r.fields) for r in detail.shared_reads] == [
        ("partner-1", "partner", "portal", ["name", "phone"]),
        ("partner-1", "partner", "grpc", ["name", "phone"]),
        (detail.shared_reads[2].reader, "link", "link", ["name", "phone"]),
    ]
    assert detail.shared_reads[2].reader.startswith("link:")
    assert bare.shared_reads == [], "no consented values shown, nothing to log"
