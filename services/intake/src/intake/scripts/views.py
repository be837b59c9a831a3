from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from intake.scripts import service
from intake.scripts.schemas import ScriptSave, ScriptVersionOut


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["advice scripts"])

    @api.get("/scripts", response_model=list[ScriptVersionOut])
    async def list_(principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.list_scripts(session, principal)

    @api.get("/scripts/find", response_model=ScriptVersionOut | None)
    async def find(
        purpose: Annotated[str, Query(max_length=40)],
        language: Annotated[str, Query(max_length=5)],
        destination_country: Annotated[str, Query(max_length=2)] = "",
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
            return await service.find_script(
                session, principal, purpose=purpose, destination_country=destination_country, language=language
            )

    @api.post("/scripts", response_model=ScriptVersionOut, status_code=201)
    async def save(data: ScriptSave, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.save_script(session, principal, data)

    @api.get("/scripts/{script_id}/versions", response_model=list[ScriptVersionOut])
    async def versions(script_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.history(session, principal, script_id)

    @api.get("/script-versions/{version_id}", response_model=ScriptVersionOut)
    async def version(version_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.read_version(session, principal, version_id)

    return api
