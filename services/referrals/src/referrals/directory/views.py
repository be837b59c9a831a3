"""REST for the directory: search (operators, partners), editing with history (director, admin),
free places (also the shelter's own partner users), CSV import and export."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hotline_common.web.deps import CurrentPrincipal, Db
from referrals.deps import Zone
from referrals.directory import csvio, service
from referrals.directory.schemas import (
    ChangeOut,
    FreePlacesIn,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    ServiceIn,
    ServiceOut,
    ServicePatch,
    ServiceSearch,
)

MAX_CSV_BYTES = 5 * 1024 * 1024

router = APIRouter(prefix="/api/v1", tags=["directory"])


@router.get("/services", response_model=list[ServiceOut])
async def search(
    query: Annotated[ServiceSearch, Query()], principal: CurrentPrincipal, db: Db, zone: Zone
) -> list[ServiceOut]:
    async with db.reader() as session:
        return await service.search_services(session, principal, query, zone=zone)


@router.post("/services", response_model=ServiceOut, status_code=201)
async def create_service(body: ServiceIn, principal: CurrentPrincipal, db: Db) -> ServiceOut:
    async with db.transaction() as session:
        return await service.create_service(session, principal, body.model_dump())


@router.get("/services/{service_id}", response_model=ServiceOut)
async def read_service(service_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> ServiceOut:
    async with db.reader() as session:
        return await service.read_service(session, principal, service_id, zone=zone)


@router.patch("/services/{service_id}", response_model=ServiceOut)
async def update_service(service_id: str, body: ServicePatch, principal: CurrentPrincipal, db: Db) -> ServiceOut:
    async with db.transaction() as session:
        return await service.update_service(session, principal, service_id, body)


@router.post("/services/{service_id}/deactivate", response_model=ServiceOut)
async def deactivate_service(service_id: str, principal: CurrentPrincipal, db: Db) -> ServiceOut:
    async with db.transaction() as session:
        return await service.set_service_active(session, principal, service_id, False)


@router.post("/services/{service_id}/reactivate", response_model=ServiceOut)
async def reactivate_service(service_id: str, principal: CurrentPrincipal, db: Db) -> ServiceOut:
    async with db.transaction() as session:
        return await service.set_service_active(session, principal, service_id, True)


@router.put("/services/{service_id}/free-places", response_model=ServiceOut)
async def free_places(service_id: str, body: FreePlacesIn, principal: CurrentPrincipal, db: Db) -> ServiceOut:
    async with db.transaction() as session:
        return await service.update_free_places(session, principal, service_id, body)


@router.get("/organisations", response_model=list[OrganisationOut])
async def organisations(principal: CurrentPrincipal, db: Db, zone: Zone) -> list[OrganisationOut]:
    async with db.reader() as session:
        return await service.list_organisations(session, principal, zone=zone)


@router.post("/organisations", response_model=OrganisationOut, status_code=201)
async def create_organisation(body: OrganisationIn, principal: CurrentPrincipal, db: Db) -> OrganisationOut:
    async with db.transaction() as session:
        return await service.create_organisation(session, principal, body.model_dump())


@router.get("/organisations/{organisation_id}", response_model=OrganisationOut)
async def read_organisation(organisation_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> OrganisationOut:
    async with db.reader() as session:
        return await service.read_organisation(session, principal, organisation_id, zone=zone)


@router.patch("/organisations/{organisation_id}", response_model=OrganisationOut)
async def update_organisation(
    organisation_id: str, body: OrganisationPatch, principal: CurrentPrincipal, db: Db
) -> OrganisationOut:
    async with db.transaction() as session:
        return await service.update_organisation(session, principal, organisation_id, body)


@router.post("/organisations/{organisation_id}/deactivate", response_model=OrganisationOut)
async def deactivate_organisation(organisation_id: str, principal: CurrentPrincipal, db: Db) -> OrganisationOut:
    async with db.transaction() as session:
        return await service.set_organisation_active(session, principal, organisation_id, False)


@router.post("/organisations/{organisation_id}/reactivate", response_model=OrganisationOut)
async def reactivate_organisation(organisation_id: str, principal: CurrentPrincipal, db: Db) -> OrganisationOut:
    async with db.transaction() as session:
        return await service.set_organisation_active(session, principal, organisation_id, True)


@router.get("/directory/history", response_model=list[ChangeOut])
async def history(
    principal: CurrentPrincipal,
    db: Db,
    entity_id: Annotated[str | None, Query(max_length=36)] = None,
    organisation_id: Annotated[str | None, Query(max_length=36)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[ChangeOut]:
    async with db.reader() as session:
        return await service.history(
            session, principal, entity_id=entity_id, organisation_id=organisation_id, limit=limit
        )


@router.get("/directory/export")
async def export_csv(principal: CurrentPrincipal, db: Db) -> Response:
    async with db.reader() as session:
        text = await csvio.export_directory(session, principal)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="directory.csv"'},
    )


@router.post("/directory/import", response_model=csvio.ImportReport)
async def import_csv(request: Request, principal: CurrentPrincipal, db: Db) -> csvio.ImportReport:
    """The body is the CSV file itself (text/csv, UTF-8). A file with any bad row imports nothing:
    422 lists every bad row by line number and column."""
    body = await request.body()
    async with db.transaction() as session:
        return await csvio.import_directory(session, principal, csvio.decode(body, MAX_CSV_BYTES))
