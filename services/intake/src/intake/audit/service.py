"""The access audit: written in the same transaction as the read it records, chained by hash."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import Database, new_id, utcnow
from intake.audit.chain import GENESIS, BrokenLink, entry_hash, first_broken_link
from intake.audit.models import AccessAuditEntry, AuditChainHead
from intake.audit.schemas import BREAK_GLASS_SUFFIX, AuditEntryOut

HEAD_ID = 1
VERIFY_PAGE = 1000


async def _locked_head(session: AsyncSession) -> AuditChainHead:
    # The migration creates the one head row; FOR UPDATE queues concurrent appends on PostgreSQL
    # (SQLite's writers are already one at a time).
    return (await session.scalars(select(AuditChainHead).where(AuditChainHead.id == HEAD_ID).with_for_update())).one()


async def record_access(
    session: AsyncSession,
    principal: Principal,
    *,
    action: str,
    record_type: str,
    record_id: str,
    interface: str,
    reason: str = "",
) -> None:
    head = await _locked_head(session)
    fields: dict[str, Any] = dict(
        id=new_id(),
        seq=head.seq + 1,
        at=utcnow(),
        actor_id=principal.subject,
        actor_role=str(principal.role),
        action=action,
        record_type=record_type,
        record_id=record_id,
        interface=interface,
        reason=reason,
        prev_hash=head.entry_hash,
    )
    entry = AccessAuditEntry(**fields, entry_hash=entry_hash(**fields))
    session.add(entry)
    head.seq, head.entry_hash = entry.seq, entry.entry_hash


async def list_entries(
    session: AsyncSession,
    principal: Principal,
    *,
    record_id: str | None = None,
    break_glass_only: bool = False,
    before_seq: int | None = None,
    limit: int = 100,
) -> list[AuditEntryOut]:
    """Newest first; `before_seq` pages back. Reading the audit is itself not audited (no caller data)."""
    require(principal, Permission.AUDIT_READ)
    stmt = select(AccessAuditEntry).order_by(AccessAuditEntry.seq.desc()).limit(limit)
    if record_id:
        stmt = stmt.where(AccessAuditEntry.record_id == record_id)
    if break_glass_only:
        stmt = stmt.where(AccessAuditEntry.action.like(f"%{BREAK_GLASS_SUFFIX}"))
    if before_seq:
        stmt = stmt.where(AccessAuditEntry.seq < before_seq)
    return [AuditEntryOut.model_validate(e, from_attributes=True) for e in (await session.scalars(stmt)).all()]


async def verify_chain(db: Database) -> tuple[int, BrokenLink | None]:
    """Check every entry, page by page; how many were checked and the first broken link."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    while True:
        async with db.reader() as session:
            page = (
                await session.scalars(
                    select(AccessAuditEntry)
                    .where(AccessAuditEntry.seq >= expected_seq)
                    .order_by(AccessAuditEntry.seq)
                    .limit(VERIFY_PAGE)
                )
            ).all()
            head = await session.get(AuditChainHead, HEAD_ID)
        start = expected_seq
        broken, expected_seq, prev_hash = first_broken_link(page, expected_seq, prev_hash)
        checked += expected_seq - start
        if broken:
            return checked, broken
        if len(page) < VERIFY_PAGE:
            break
    head_seq, head_hash = (head.seq, head.entry_hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (expected_seq - 1, prev_hash):
        return checked, BrokenLink(
            head_seq,
            "-",
            f"the chain ends at entry {expected_seq - 1} but its head "
            f"says {head_seq}: entries were removed from the end",
        )
    return checked, None
