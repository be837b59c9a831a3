"""The access audit: written in the same transaction as the read it records."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from intake.audit.models import AccessAuditEntry
from intake.audit.schemas import AuditEntryOut


async def record_access(session: AsyncSession, principal: Principal, *, action: str, record_type: str,
                        record_id: str, interface: str, reason: str = "") -> None:
    session.add(AccessAuditEntry(
        id=new_id(), at=utcnow(), actor_id=principal.subject, actor_role=str(principal.role), action=action,
        record_type=record_type, record_id=record_id, interface=interface, reason=reason,
    ))


async def list_entries(session: AsyncSession, principal: Principal, *, record_id: str | None = None,
                       limit: int = 100) -> list[AuditEntryOut]:
    require(principal, Permission.AUDIT_READ)
    stmt = select(AccessAuditEntry).order_by(AccessAuditEntry.at.desc()).limit(limit)
    if record_id:
        stmt = stmt.where(AccessAuditEntry.record_id == record_id)
    return [AuditEntryOut.model_validate(e, from_attributes=True) for e in (await session.scalars(stmt)).all()]
