from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from hotline_common.auth import Principal
from intake.draft import service
from intake.draft.schemas import DraftOut, DraftSave


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["drafts"])

    @api.post("/drafts", response_model=DraftOut, status_code=201)
    async def start(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.start_draft(session, principal, runtime.cipher)

    @api.get("/drafts/current", response_model=DraftOut, responses={204: {"description": "no open draft"}})
    async def current(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            draft = await service.current_draft(session, principal, runtime.cipher)
        return draft if draft else Response(status_code=204)

    @api.put("/drafts/{draft_id}", response_model=DraftOut, responses={409: {"description": "stale version"}})
    async def save(draft_id: str, data: DraftSave, principal: Principal = Depends(runtime.current_principal)):
        try:
            async with runtime.db.transaction() as session:
                return await service.save_draft(session, principal, runtime.cipher, draft_id, data)
        except service.StaleDraft as stale:
            return JSONResponse(
                status_code=409,
                content={
                    "detail": stale.message,
                    "current": stale.current.model_dump(mode="json"),
                    "yours": stale.yours.model_dump(mode="json"),
                },
            )

    return api
