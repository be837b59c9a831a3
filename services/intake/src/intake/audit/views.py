"""The access audit as the API reads it (director only; see service.list_entries)."""

from typing import Annotated

from fastapi import APIRouter, Query

from hotline_common.web.deps import CurrentPrincipal, Db
from hotline_common.web.inputs import INT64_MAX
from intake.audit import service
from intake.audit.schemas import AuditEntryOut

router = APIRouter(prefix="/api/v1", tags=["audit"])


@router.get("/audit", response_model=list[AuditEntryOut])
async def entries(
    principal: CurrentPrincipal,
    db: Db,
    record_id: Annotated[str | None, Query(max_length=36)] = None,
    break_glass_only: bool = False,
    before_seq: Annotated[int | None, Query(ge=1, le=INT64_MAX)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditEntryOut]:
    async with db.reader() as session:
        return await service.list_entries(
            session,
            principal,
            record_id=record_id,
            break_glass_only=break_glass_only,
            before_seq=before_seq,
            limit=limit,
        )
