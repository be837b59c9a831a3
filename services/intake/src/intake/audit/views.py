from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from intake.audit import service
from intake.audit.schemas import AuditEntryOut


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["audit"])

    @api.get("/audit", response_model=list[AuditEntryOut])
    async def entries(
        record_id: Annotated[str | None, Query(max_length=36)] = None,
        break_glass_only: bool = False,
        before_seq: Annotated[int | None, Query(ge=1)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
            return await service.list_entries(
                session,
                principal,
                record_id=record_id,
                break_glass_only=break_glass_only,
                before_seq=before_seq,
                limit=limit,
            )

    return api
