"""Information and experience exchange among the Group's participants (DOMAIN.md §2, functions 3-4).

Participants are the signed-in users the Group knows: members linked to a sign-in and office
holders (the secretary). A message goes to chosen participants or to all of them (the recipients
are fixed when it is sent, each with a read receipt); only its sender and recipients see it,
whatever its confidentiality mark (public / internal / confidential: a label telling recipients how
far they may pass it on). A reply goes to the original sender. A message marked as a proposal for
the Group is put on the next proposed meeting's agenda in one action by the head or the secretary.

The library holds documents and practices a body shares; everyone in the Group reads and searches
it (case-insensitive, Unicode-aware: done in Python, as SQLite's lower() knows only ASCII).
`may_set_agenda` says who puts a proposal on the agenda, here and on the message page."""

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.exchange.models import LibraryItem, Message, Recipient
from coordination.exchange.schemas import LibraryIn, LibraryOut, MessageIn, MessageOut, Participant, ReceiptOut
from coordination.meetings.models import PROPOSED, Meeting
from coordination.members import offices
from coordination.members.models import SECRETARY, Member, Office
from coordination.members.service import counts_on
from coordination.uploads import safe_content_type, safe_filename
from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hotline_common.i18n_markers import N_

LIBRARY_MAX_BYTES = 10 * 1024 * 1024


async def participants(session: AsyncSession, principal: Principal, zone: ZoneInfo) -> list[Participant]:
    require(principal, Permission.WG_READ)
    today = utcnow().astimezone(zone).date()
    found = {
        m.subject: Participant(subject=m.subject, name=m.full_name, body=m.body)
        for m in (await session.scalars(select(Member).where(counts_on(today), Member.subject.is_not(None)))).all()
    }
    for office in (
        await session.scalars(select(Office).where(Office.office == SECRETARY, Office.valid_from <= today))
    ).all():
        if office.valid_to is None or office.valid_to >= today:
            found.setdefault(
                office.subject, Participant(subject=office.subject, name=office.full_name, body="secretary")
            )
    return sorted(found.values(), key=lambda p: p.name)


async def send_message(
    session: AsyncSession, principal: Principal, data: MessageIn, zone: ZoneInfo, *, reply_to: str | None = None
) -> MessageOut:
    people = {p.subject: p for p in await participants(session, principal, zone)}
    if principal.subject not in people and not principal.can(Permission.WG_MANAGE):
        raise PermissionDenied(N_("only the Group's participants exchange messages"))
    if reply_to is not None:
        original = await _visible(session, principal, reply_to)
        chosen = [original.sender]
    elif data.to_all:
        chosen = [s for s in people if s != principal.subject]
    else:
        for index, subject in enumerate(data.recipients):
            if subject not in people:
                raise InvalidInput.single(f"recipients.{index}", N_("not a participant of the Group"))
        chosen = list(dict.fromkeys(s for s in data.recipients if s != principal.subject))
    if not chosen:
        raise InvalidInput.single("recipients", N_("choose at least one participant, or send to all"))
    message = Message(
        id=new_id(),
        sender=principal.subject,
        sender_name=principal.name or principal.subject,
        title=data.title,
        body=data.body,
        confidentiality=data.confidentiality,
        to_all=data.to_all and reply_to is None,
        reply_to=reply_to,
        is_proposal=data.is_proposal,
        sent_at=utcnow(),
    )
    session.add(message)
    await session.flush()
    for subject in chosen:
        session.add(Recipient(message_id=message.id, recipient=subject))
    await session.flush()
    return await _out(session, principal, message, people)


async def _visible(session: AsyncSession, principal: Principal, message_id: str) -> Message:
    require(principal, Permission.WG_READ)
    message = await session.get(Message, message_id)
    if message is None:
        raise NotFound(N_("no message {id}"), id=message_id)
    if message.sender != principal.subject and await session.get(Recipient, (message.id, principal.subject)) is None:
        # Not found rather than forbidden: whether a message exists is itself not shown.
        raise NotFound(N_("no message {id}"), id=message_id)
    return message


async def _out(
    session: AsyncSession, principal: Principal, message: Message, people: dict[str, Participant]
) -> MessageOut:
    out = MessageOut.model_validate(message, from_attributes=True)
    rows = (await session.scalars(select(Recipient).where(Recipient.message_id == message.id))).all()
    mine = next((r for r in rows if r.recipient == principal.subject), None)
    out.read_at = mine.read_at if mine else None
    if message.sender == principal.subject:
        out.receipts = [
            ReceiptOut(
                recipient=r.recipient,
                name=people[r.recipient].name if r.recipient in people else r.recipient,
                read_at=r.read_at,
            )
            for r in rows
        ]
    return out


async def inbox(session: AsyncSession, principal: Principal, zone: ZoneInfo) -> list[MessageOut]:
    """Messages sent to or by the reader, newest first (replies are listed under their message)."""
    require(principal, Permission.WG_READ)
    people = {p.subject: p for p in await participants(session, principal, zone)}
    received = select(Recipient.message_id).where(Recipient.recipient == principal.subject)
    rows = (
        await session.scalars(
            select(Message)
            .where((Message.sender == principal.subject) | Message.id.in_(received))
            .order_by(Message.sent_at.desc())
        )
    ).all()
    return [await _out(session, principal, m, people) for m in rows]


async def read_message(session: AsyncSession, principal: Principal, message_id: str, zone: ZoneInfo) -> MessageOut:
    """Opening a message is the read receipt (the first opening's time is kept)."""
    message = await _visible(session, principal, message_id)
    receipt = await session.get(Recipient, (message.id, principal.subject))
    if receipt is not None and receipt.read_at is None:
        receipt.read_at = utcnow()
        await session.flush()
    people = {p.subject: p for p in await participants(session, principal, zone)}
    out = await _out(session, principal, message, people)
    for reply in (
        await session.scalars(select(Message).where(Message.reply_to == message.id).order_by(Message.sent_at))
    ).all():
        if reply.sender == principal.subject or await session.get(Recipient, (reply.id, principal.subject)) is not None:
            out.replies.append(await _out(session, principal, reply, people))
    return out


async def may_set_agenda(session: AsyncSession, principal: Principal, zone: ZoneInfo) -> bool:
    """Putting a proposal for the Group on the next agenda: the head or the secretary, or the
    Coordinator's office."""
    today = utcnow().astimezone(zone).date()
    return principal.can(Permission.MEETING_SCHEDULE) or await offices.holds_office(session, principal, today)


async def put_on_agenda(session: AsyncSession, principal: Principal, message_id: str, zone: ZoneInfo) -> str:
    """One action: the proposal's title becomes the last item of the next meeting still proposed
    (an agreed agenda is fixed: the Coordinator agreed it as it was). Returns the meeting id."""
    message = await _visible(session, principal, message_id)
    if not await may_set_agenda(session, principal, zone):
        raise PermissionDenied(N_("only the head or the secretary set the agenda"))
    if not message.is_proposal:
        raise Conflict(N_("only a message marked as a proposal for the Group goes on the agenda"))
    if message.agenda_meeting_id is not None:
        raise Conflict(N_("already on the agenda of meeting {id}"), id=message.agenda_meeting_id)
    meeting = await session.scalar(
        select(Meeting)
        .where(Meeting.status == PROPOSED, Meeting.scheduled_for >= utcnow())
        .order_by(Meeting.scheduled_for)
        .limit(1)
        .with_for_update()
    )
    if meeting is None:
        raise Conflict(N_("no upcoming meeting is still open for its agenda; propose a meeting first"))
    if len(meeting.agenda) >= 50:
        raise Conflict(N_("the next meeting's agenda is full (50 items)"))
    meeting.agenda = [*meeting.agenda, message.title]
    message.agenda_meeting_id = meeting.id
    await session.flush()
    return meeting.id


async def require_contributor(session: AsyncSession, principal: Principal, zone: ZoneInfo) -> None:
    """Refuses whoever may not add to the library (a handler asks before reading the upload)."""
    people = {p.subject for p in await participants(session, principal, zone)}
    if principal.subject not in people and not principal.can(Permission.WG_MANAGE):
        raise PermissionDenied(N_("only the Group's participants add to the library"))


async def add_library_item(
    session: AsyncSession, principal: Principal, data: LibraryIn, file: tuple[str, str, bytes] | None, zone: ZoneInfo
) -> LibraryOut:
    await require_contributor(session, principal, zone)
    if file is not None and (not file[0] or not file[2] or len(file[2]) > LIBRARY_MAX_BYTES):
        raise InvalidInput.single("file", N_("a named document of 1 byte to {size} bytes"), size=LIBRARY_MAX_BYTES)
    item = LibraryItem(
        id=new_id(),
        title=data.title,
        kind=data.kind,
        description=data.description,
        body=data.body,
        filename=safe_filename(file[0]) if file else None,
        content_type=safe_content_type(file[1]) if file else None,
        content=file[2] if file else None,
        added_by=principal.subject,
        added_at=utcnow(),
    )
    session.add(item)
    await session.flush()
    return LibraryOut.model_validate(item, from_attributes=True)


async def search_library(
    session: AsyncSession, principal: Principal, *, query: str = "", body: str | None = None, kind: str | None = None
) -> list[LibraryOut]:
    require(principal, Permission.WG_READ)
    rows = (await session.scalars(select(LibraryItem).order_by(LibraryItem.added_at.desc()))).all()
    words = query.casefold().split()
    found = []
    for item in rows:
        if (body and item.body != body) or (kind and item.kind != kind):
            continue
        haystack = f"{item.title} {item.description} {item.body} {item.filename or ''}".casefold()
        if all(word in haystack for word in words):
            found.append(LibraryOut.model_validate(item, from_attributes=True))
    return found


async def library_file(session: AsyncSession, principal: Principal, item_id: str) -> LibraryItem:
    require(principal, Permission.WG_READ)
    item = await session.get(LibraryItem, item_id)
    if item is None or item.content is None:
        raise NotFound(N_("no document {id}"), id=item_id)
    return item


async def invite(session: AsyncSession, principal: Principal, meeting: Meeting, zone: ZoneInfo) -> int:
    """Invitations go out once the Coordinator agrees the meeting (DOMAIN.md §2): one message to all
    participants with the date, the place and the agreed agenda (in Azerbaijani, the Group's
    working language). Returns how many were invited."""
    people = [p.subject for p in await participants(session, principal, zone) if p.subject != principal.subject]
    if not people:
        return 0
    local = meeting.scheduled_for.astimezone(zone)
    agenda = "\n".join(f"{i}. {item}" for i, item in enumerate(meeting.agenda, start=1))
    where = meeting.place or "onlayn"
    message = Message(
        id=new_id(),
        sender=principal.subject,
        sender_name=principal.name or principal.subject,
        title=f"İclasa dəvət: {local:%Y-%m-%d %H:%M}",
        body=f"Yer: {where}\n\nGündəlik:\n{agenda}",
        confidentiality="internal",
        to_all=True,
        reply_to=None,
        is_proposal=False,
        sent_at=utcnow(),
    )
    session.add(message)
    await session.flush()
    for subject in people:
        session.add(Recipient(message_id=message.id, recipient=subject))
    await session.flush()
    return len(people)
