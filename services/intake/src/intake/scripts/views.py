"""Advice scripts over HTTP: every script, the one for a call, saving a new version, the history."""

from typing import Annotated

from fastapi import APIRouter, Query

from hotline_common.web.deps import CurrentPrincipal, Db
from intake.scripts import service
from intake.scripts.schemas import ScriptSave, ScriptVersionOut

router = APIRouter(prefix="/api/v1", tags=["advice scripts"])


@router.get("/scripts", response_model=list[ScriptVersionOut])
async def list_(principal: CurrentPrincipal, db: Db) -> list[ScriptVersionOut]:
    async with db.reader() as session:
        return await service.list_scripts(session, principal)


@router.get("/scripts/find", response_model=ScriptVersionOut | None)
async def find(
    principal: CurrentPrincipal,
    db: Db,
    purpose: Annotated[str, Query(max_length=40)],
    language: Annotated[str, Query(max_length=5)],
    destination_country: Annotated[str, Query(max_length=2)] = "",
) -> ScriptVersionOut | None:
    async with db.reader() as session:
        return await service.find_script(
            session, principal, purpose=purpose, destination_country=destination_country, language=language
        )


@router.post("/scripts", response_model=ScriptVersionOut, status_code=201)
async def save(data: ScriptSave, principal: CurrentPrincipal, db: Db) -> ScriptVersionOut:
    async with db.transaction() as session:
        return await service.save_script(session, principal, data)


@router.get("/scripts/{script_id}/versions", response_model=list[ScriptVersionOut])
async def versions(script_id: str, principal: CurrentPrincipal, db: Db) -> list[ScriptVersionOut]:
    async with db.reader() as session:
        return await service.history(session, principal, script_id)


@router.get("/script-versions/{version_id}", response_model=ScriptVersionOut)
async def version(version_id: str, principal: CurrentPrincipal, db: Db) -> ScriptVersionOut:
    async with db.reader() as session:
        return await service.read_version(session, principal, version_id)
