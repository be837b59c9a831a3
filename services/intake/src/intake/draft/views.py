"""Call-sheet drafts over HTTP: saved continuously; a stale save answers 409 with both values."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from hotline_common.web.deps import CurrentPrincipal, Db
from intake.deps import Cipher
from intake.draft import service
from intake.draft.schemas import DraftOut, DraftSave

router = APIRouter(prefix="/api/v1", tags=["drafts"])


@router.post("/drafts", response_model=DraftOut, status_code=201)
async def start(principal: CurrentPrincipal, db: Db, cipher: Cipher) -> DraftOut:
    async with db.transaction() as session:
        return await service.start_draft(session, principal, cipher)


@router.get("/drafts/current", response_model=DraftOut, responses={204: {"description": "no open draft"}})
async def current(principal: CurrentPrincipal, db: Db, cipher: Cipher) -> DraftOut | Response:
    async with db.reader() as session:
        draft = await service.current_draft(session, principal, cipher)
    return draft if draft else Response(status_code=204)


def _stale(stale: service.StaleDraft) -> JSONResponse:
    return JSONResponse(
        status_code=409,
        content={
            "detail": stale.message,
            "current": stale.current.model_dump(mode="json"),
            "yours": stale.yours.model_dump(mode="json"),
        },
    )


@router.put("/drafts/{draft_id}", response_model=DraftOut, responses={409: {"description": "stale version"}})
async def save(
    draft_id: str, data: DraftSave, principal: CurrentPrincipal, db: Db, cipher: Cipher
) -> DraftOut | Response:
    try:
        async with db.transaction() as session:
            return await service.save_draft(session, principal, cipher, draft_id, data)
    except service.StaleDraft as stale:
        return _stale(stale)
