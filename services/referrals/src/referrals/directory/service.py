"""Directory operations: search during a call (fast, indexed), no HTTP or gRPC here."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from referrals.directory.models import DirectoryService
from referrals.directory.schemas import ServiceOut, ServiceSearch


def to_out(entry: DirectoryService) -> ServiceOut:
    return ServiceOut(
        id=entry.id, organisation_id=entry.organisation_id, organisation_name=entry.organisation.name,
        name=entry.name, service_type=entry.service_type, region=entry.region, city=entry.city,
        address=entry.address, languages=entry.language_list, phone=entry.phone,
        opening_hours=entry.opening_hours,
    )


async def search_services(session: AsyncSession, principal: Principal, query: ServiceSearch) -> list[ServiceOut]:
    require(principal, Permission.DIRECTORY_READ)
    stmt = select(DirectoryService)
    if query.service_type:
        stmt = stmt.where(DirectoryService.service_type == query.service_type)
    if query.region:
        stmt = stmt.where(DirectoryService.region == query.region)
    if query.language:
        stmt = stmt.where(DirectoryService.languages.like(f"%,{query.language},%"))
    if query.text:
        escaped = query.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(DirectoryService.name.ilike(f"%{escaped}%", escape="\\"))
    stmt = stmt.order_by(DirectoryService.region, DirectoryService.name).limit(query.limit)
    return [to_out(row) for row in (await session.scalars(stmt)).all()]


async def get_service(session: AsyncSession, service_id: str) -> DirectoryService | None:
    return await session.get(DirectoryService, service_id)
