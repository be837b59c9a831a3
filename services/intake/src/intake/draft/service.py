"""Drafts of the call sheet: saved continuously, brought back after a reload, a crash or in a
second tab; a save based on an old version is refused with both values, never overwritten."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.crypto import FieldCipher
from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict, NotFound
from intake.draft.models import CallDraft
from intake.draft.schemas import DraftFields, DraftOut, DraftSave


class StaleDraft(Conflict):
    """Someone (another tab) saved a newer version: both values go back to the operator."""

    def __init__(self, current: DraftOut, yours: DraftFields):
        super().__init__(
            "this draft was changed elsewhere (now version {version}); choose which values to keep",
            version=current.version,
        )
        self.current = current
        self.yours = yours


def _context(draft_id: str) -> str:
    return f"call_drafts.ciphertext:{draft_id}"


def _out(draft: CallDraft, cipher: FieldCipher) -> DraftOut:
    fields = DraftFields.model_validate_json(cipher.decrypt(draft.ciphertext, context=_context(draft.id)))
    return DraftOut(id=draft.id, version=draft.version, fields=fields, updated_at=draft.updated_at)


async def _own_open_draft(session: AsyncSession, principal: Principal, draft_id: str, *, lock: bool) -> CallDraft:
    stmt = select(CallDraft).where(CallDraft.id == draft_id)
    draft = await session.scalar(stmt.with_for_update() if lock else stmt)
    if draft is None or draft.operator_id != principal.subject or draft.closed_at is not None:
        raise NotFound("no such open draft of yours")
    return draft


async def start_draft(session: AsyncSession, principal: Principal, cipher: FieldCipher) -> DraftOut:
    require(principal, Permission.CONTACT_RECORD)
    draft_id = new_id()
    draft = CallDraft(
        id=draft_id,
        operator_id=principal.subject,
        version=1,
        updated_at=utcnow(),
        ciphertext=cipher.encrypt(DraftFields().model_dump_json(), context=_context(draft_id)),
    )
    session.add(draft)
    return _out(draft, cipher)


async def current_draft(session: AsyncSession, principal: Principal, cipher: FieldCipher) -> DraftOut | None:
    """The operator's newest open draft: what a reloaded page or a second tab shows."""
    require(principal, Permission.CONTACT_RECORD)
    draft = await session.scalar(
        select(CallDraft)
        .where(CallDraft.operator_id == principal.subject, CallDraft.closed_at.is_(None))
        .order_by(CallDraft.updated_at.desc())
        .limit(1)
    )
    return _out(draft, cipher) if draft else None


async def save_draft(
    session: AsyncSession, principal: Principal, cipher: FieldCipher, draft_id: str, data: DraftSave
) -> DraftOut:
    require(principal, Permission.CONTACT_RECORD)
    draft = await _own_open_draft(session, principal, draft_id, lock=True)
    if data.version != draft.version:
        raise StaleDraft(_out(draft, cipher), data.fields)
    draft.version += 1
    draft.updated_at = utcnow()
    draft.ciphertext = cipher.encrypt(data.fields.model_dump_json(), context=_context(draft.id))
    return _out(draft, cipher)


async def close_draft(session: AsyncSession, principal: Principal, draft_id: str, contact_id: str) -> None:
    """In the transaction that records the call: the draft is done."""
    draft = await _own_open_draft(session, principal, draft_id, lock=True)
    draft.closed_at = utcnow()
    draft.contact_id = contact_id
