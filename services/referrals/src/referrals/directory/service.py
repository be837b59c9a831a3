"""Directory operations: search during a call (fast, indexed), editing with history, shelters' free
places. No HTTP or gRPC here: every rule and permission check of the directory lives in this module."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import Integer, Row, Select, and_, bindparam, exists, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import FieldProblem, InvalidInput, NotFound, PermissionDenied
from referrals.directory import hours
from referrals.directory.models import DirectoryChange, DirectoryService, OpeningSpan, Organisation
from referrals.directory.schemas import (
    ELIGIBILITY,
    ChangeOut,
    DirectoryPage,
    FreePlacesIn,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    ServiceIn,
    ServiceOut,
    ServicePatch,
    ServiceSearch,
)

DEFAULT_ZONE = "Asia/Baku"
ORGANISATION_FIELDS = ("name", "kind", "phone", "email", "website")
SERVICE_FIELDS = (
    "organisation_id",
    "name",
    "service_type",
    "region",
    "city",
    "address",
    "latitude",
    "longitude",
    "languages",
    "phone",
    "email",
    "website",
    "opening_hours",
    "eligibility",
    "capacity",
    "free_places",
)


def may_keep_directory(principal: Principal) -> bool:
    """The directory's keepers (director, admin) edit it; the pages show them its editing screens."""
    return principal.can(Permission.DIRECTORY_MANAGE)


def local_time(now: datetime | None, zone: str) -> datetime:
    return (now or utcnow()).astimezone(ZoneInfo(zone))


@lru_cache(maxsize=4096)
def _week(canonical_text: str) -> hours.Week:
    try:
        return hours.parse(canonical_text)
    except ValueError:  # text stored before hours were checked: shown as it is, never "open now"
        return {day: [] for day in range(7)}


@lru_cache(maxsize=4096)
def hours_by_day(canonical_text: str) -> dict[str, list[str]]:
    return hours.by_day(_week(canonical_text))  # shared between results: never mutated


def week_of(entry: DirectoryService) -> hours.Week:
    """From the stored canonical text (the spans table is for the "open now" query): a handful of
    distinct schedules cover a whole directory, so parsing is cached."""
    return _week(entry.opening_hours)


def eligibility_of(entry: DirectoryService) -> list[str]:
    return [group for group in ELIGIBILITY if getattr(entry, f"for_{group}")]


def to_out(entry: DirectoryService, now_local: datetime) -> ServiceOut:
    week = week_of(entry)
    return ServiceOut(
        id=entry.id,
        organisation_id=entry.organisation_id,
        organisation_name=entry.organisation.name,
        organisation_kind=entry.organisation.kind,
        name=entry.name,
        service_type=entry.service_type,
        region=entry.region,
        city=entry.city,
        address=entry.address,
        latitude=entry.latitude,
        longitude=entry.longitude,
        languages=entry.language_list,
        phone=entry.phone,
        email=entry.email,
        website=entry.website,
        opening_hours=entry.opening_hours,
        hours=hours.by_day(week),
        open_now=hours.is_open(week, now_local),
        eligibility=eligibility_of(entry),
        capacity=entry.capacity,
        free_places=entry.free_places,
        free_places_updated_at=entry.free_places_updated_at,
        active=entry.active and entry.organisation.active,
    )


def organisation_out(org: Organisation, services: list[DirectoryService], now_local: datetime) -> OrganisationOut:
    return OrganisationOut(
        id=org.id,
        name=org.name,
        kind=org.kind,
        phone=org.phone,
        email=org.email,
        website=org.website,
        active=org.active,
        services=[to_out(s, now_local) for s in services],
    )


# --- search --------------------------------------------------------------------------------------


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


SEARCH_COLUMNS = (
    DirectoryService.id,
    DirectoryService.organisation_id,
    Organisation.name.label("organisation_name"),
    Organisation.kind.label("organisation_kind"),
    DirectoryService.name,
    DirectoryService.service_type,
    DirectoryService.region,
    DirectoryService.city,
    DirectoryService.address,
    DirectoryService.latitude,
    DirectoryService.longitude,
    DirectoryService.languages,
    DirectoryService.phone,
    DirectoryService.email,
    DirectoryService.website,
    DirectoryService.opening_hours,
    DirectoryService.for_women,
    DirectoryService.for_men,
    DirectoryService.for_children,
    DirectoryService.for_foreigners,
    DirectoryService.capacity,
    DirectoryService.free_places,
    DirectoryService.free_places_updated_at,
)


def _found(row: Row[Any], now_local: datetime) -> ServiceOut:
    """A search row as the API shows it; built without re-validating what the database holds."""
    week = _week(row.opening_hours)
    return ServiceOut.model_construct(
        id=row.id,
        organisation_id=row.organisation_id,
        organisation_name=row.organisation_name,
        organisation_kind=row.organisation_kind,
        name=row.name,
        service_type=row.service_type,
        region=row.region,
        city=row.city,
        address=row.address,
        latitude=row.latitude,
        longitude=row.longitude,
        languages=[code for code in row.languages.split(",") if code],
        phone=row.phone,
        email=row.email,
        website=row.website,
        opening_hours=row.opening_hours,
        hours=hours_by_day(row.opening_hours),
        open_now=hours.is_open(week, now_local),
        eligibility=[group for group in ELIGIBILITY if getattr(row, f"for_{group}")],
        capacity=row.capacity,
        free_places=row.free_places,
        free_places_updated_at=row.free_places_updated_at,
        active=True,
    )


@lru_cache(maxsize=256)
def _search_statement(
    service_type: bool,
    region: bool,
    city: bool,
    language: bool,
    eligibility: tuple[str, ...],
    open_now: bool,
    text: bool,
) -> tuple[Select[Any], frozenset[str]]:
    """One statement per combination of filters, with bound parameters, built once: SQLAlchemy then
    reuses its cache key and compiled SQL instead of redoing them on every search."""
    stmt = (
        select(*SEARCH_COLUMNS)
        .join(Organisation, DirectoryService.organisation_id == Organisation.id)
        .where(DirectoryService.active.is_(True), Organisation.active.is_(True))
    )
    if service_type:
        stmt = stmt.where(DirectoryService.service_type == bindparam("service_type"))
    if region:
        stmt = stmt.where(DirectoryService.region == bindparam("region"))
    if city:
        stmt = stmt.where(DirectoryService.city == bindparam("city"))
    if language:
        stmt = stmt.where(DirectoryService.languages.like(bindparam("language")))
    for group in eligibility:
        stmt = stmt.where(getattr(DirectoryService, f"for_{group}").is_(True))
    if open_now:
        stmt = stmt.where(
            exists().where(
                OpeningSpan.service_id == DirectoryService.id,
                OpeningSpan.weekday == bindparam("weekday"),
                OpeningSpan.opens <= bindparam("minute"),
                OpeningSpan.closes > bindparam("minute"),
            )
        )
    if text:
        stmt = stmt.where(DirectoryService.name.ilike(bindparam("text"), escape="\\"))
    stmt = stmt.order_by(DirectoryService.region, DirectoryService.name, DirectoryService.id).limit(
        bindparam("limit", type_=Integer)
    )
    names = {"limit"} | {
        name
        for name, used in (
            ("service_type", service_type),
            ("region", region),
            ("city", city),
            ("language", language),
            ("weekday", open_now),
            ("minute", open_now),
            ("text", text),
        )
        if used
    }
    return stmt, frozenset(names)


async def search_services(
    session: AsyncSession,
    principal: Principal,
    query: ServiceSearch,
    *,
    now: datetime | None = None,
    zone: str = DEFAULT_ZONE,
) -> list[ServiceOut]:
    """Active services of active organisations. Plain columns, no ORM objects: this runs during a
    call and must stay fast at 10,000 services (bench/directory_search.py)."""
    require(principal, Permission.DIRECTORY_READ)
    now_local = local_time(now, zone)
    weekday, minute = hours.local_slot(now_local)
    stmt, names = _search_statement(
        bool(query.service_type),
        bool(query.region),
        bool(query.city),
        bool(query.language),
        tuple(sorted(set(query.eligibility))),
        query.open_now,
        bool(query.text),
    )
    params = {
        "service_type": query.service_type,
        "region": query.region,
        "city": query.city,
        "language": f"%,{query.language},%",
        "weekday": weekday,
        "minute": minute,
        "text": f"%{_escape_like(query.text or '')}%",
        "limit": query.limit,
    }
    rows = (await session.execute(stmt, {name: params[name] for name in names})).all()
    return [_found(row, now_local) for row in rows]


async def get_service(session: AsyncSession, service_id: str) -> DirectoryService | None:
    return await session.get(DirectoryService, service_id)


async def read_service(
    session: AsyncSession,
    principal: Principal,
    service_id: str,
    *,
    now: datetime | None = None,
    zone: str = DEFAULT_ZONE,
) -> ServiceOut:
    require(principal, Permission.DIRECTORY_READ)
    entry = await session.get(DirectoryService, service_id)
    if entry is None:
        raise NotFound("no such service in the directory")
    return to_out(entry, local_time(now, zone))


async def list_organisations(
    session: AsyncSession,
    principal: Principal,
    *,
    now: datetime | None = None,
    zone: str = DEFAULT_ZONE,
    service_type: str | None = None,
    region: str | None = None,
    text: str | None = None,
) -> list[OrganisationOut]:
    """The directory, deactivated entries included, for the people who keep it. With a filter, only
    the organisations whose name or one of whose services matches, with those services."""
    require(principal, Permission.DIRECTORY_MANAGE)
    now_local = local_time(now, zone)
    services_stmt = select(DirectoryService).order_by(DirectoryService.region, DirectoryService.name)
    if service_type:
        services_stmt = services_stmt.where(DirectoryService.service_type == service_type)
    if region:
        services_stmt = services_stmt.where(DirectoryService.region == region)
    pattern = f"%{_escape_like(text)}%" if text else None
    if pattern:
        services_stmt = services_stmt.where(DirectoryService.name.ilike(pattern, escape="\\"))
    services = (await session.scalars(services_stmt)).unique().all()
    by_org: dict[str, list[DirectoryService]] = {}
    for entry in services:
        by_org.setdefault(entry.organisation_id, []).append(entry)
    orgs = (await session.scalars(select(Organisation).order_by(Organisation.name, Organisation.id))).all()
    filtered = bool(service_type or region or text)

    def name_matches(org: Organisation) -> bool:
        # (text is set exactly when pattern is)
        return bool(text and not (service_type or region) and text.casefold() in org.name.casefold())

    return [
        organisation_out(org, by_org.get(org.id, []), now_local)
        for org in orgs
        if not filtered or org.id in by_org or name_matches(org)
    ]


async def organisation_choices(session: AsyncSession, principal: Principal) -> list[OrganisationOut]:
    """The organisations, without their services: what a service form's organisation list needs."""
    require(principal, Permission.DIRECTORY_MANAGE)
    orgs = (await session.scalars(select(Organisation).order_by(Organisation.name, Organisation.id))).all()
    return [organisation_out(org, [], utcnow()) for org in orgs]


DIRECTORY_PAGE_SIZE = 50


async def list_directory_page(
    session: AsyncSession,
    principal: Principal,
    *,
    page: int = 1,
    page_size: int = DIRECTORY_PAGE_SIZE,
    now: datetime | None = None,
    zone: str = DEFAULT_ZONE,
    service_type: str | None = None,
    region: str | None = None,
    text: str | None = None,
) -> DirectoryPage:
    """One page of the keepers' directory (same filters and order as list_organisations). A page is
    `page_size` rows, a row being one service, or an organisation shown without services: with
    10,000 services a page still loads 50 entries. An organisation cut by a page boundary is shown
    on both pages, with the services that fall on each."""
    require(principal, Permission.DIRECTORY_MANAGE)
    if page < 1:
        raise InvalidInput.single("page", "must be 1 or more")
    matches = []
    if service_type:
        matches.append(DirectoryService.service_type == service_type)
    if region:
        matches.append(DirectoryService.region == region)
    pattern = f"%{_escape_like(text)}%" if text else None
    if pattern:
        matches.append(DirectoryService.name.ilike(pattern, escape="\\"))
    rows = (
        select(Organisation.id.label("organisation_id"), DirectoryService.id.label("service_id"))
        .select_from(Organisation)
        .outerjoin(DirectoryService, and_(DirectoryService.organisation_id == Organisation.id, *matches))
    )
    if matches:
        # Filtered: organisations with a matching service, or (text alone) whose own name matches.
        name_matches = (
            Organisation.name.ilike(pattern, escape="\\") if pattern and not (service_type or region) else false()
        )
        rows = rows.where(or_(DirectoryService.id.is_not(None), name_matches))
    total = await session.scalar(select(func.count()).select_from(rows.subquery())) or 0
    pages = max(1, -(-total // page_size))
    found = (
        await session.execute(
            rows.order_by(
                Organisation.name, Organisation.id, DirectoryService.region, DirectoryService.name, DirectoryService.id
            )
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
    ).all()
    service_ids = [row.service_id for row in found if row.service_id]
    services = (
        {
            entry.id: entry
            for entry in (await session.scalars(select(DirectoryService).where(DirectoryService.id.in_(service_ids))))
            .unique()
            .all()
        }
        if service_ids
        else {}
    )
    orgs = {
        org.id: org
        for org in (
            await session.scalars(
                select(Organisation).where(Organisation.id.in_({row.organisation_id for row in found}))
            )
        ).all()
    }
    now_local = local_time(now, zone)
    grouped: list[tuple[Organisation, list[DirectoryService]]] = []
    for row in found:
        if not grouped or grouped[-1][0].id != row.organisation_id:
            grouped.append((orgs[row.organisation_id], []))
        if row.service_id:
            grouped[-1][1].append(services[row.service_id])
    return DirectoryPage(
        organisations=[organisation_out(org, entries, now_local) for org, entries in grouped],
        page=page,
        pages=pages,
        total=total,
        page_size=page_size,
    )


async def read_organisation(
    session: AsyncSession,
    principal: Principal,
    organisation_id: str,
    *,
    now: datetime | None = None,
    zone: str = DEFAULT_ZONE,
) -> OrganisationOut:
    require(principal, Permission.DIRECTORY_READ)
    org = await session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("no such organisation in the directory")
    services = (
        (
            await session.scalars(
                select(DirectoryService)
                .where(DirectoryService.organisation_id == organisation_id)
                .order_by(DirectoryService.name)
            )
        )
        .unique()
        .all()
    )
    return organisation_out(org, list(services), local_time(now, zone))


async def shelters_for(session: AsyncSession, principal: Principal, *, zone: str = DEFAULT_ZONE) -> list[ServiceOut]:
    """The shelters whose free places this principal keeps: every shelter for the directory's keepers,
    the own organisation's for a partner user, none for anyone else."""
    if may_keep_directory(principal):
        organisations = await list_organisations(session, principal, zone=zone, service_type="shelter")
    elif principal.organisation_id:
        organisations = [await read_organisation(session, principal, principal.organisation_id, zone=zone)]
    else:
        organisations = []
    return [s for org in organisations for s in org.services if s.service_type == "shelter"]


# --- history -------------------------------------------------------------------------------------


def organisation_snapshot(org: Organisation) -> dict:
    return {field: getattr(org, field) for field in ORGANISATION_FIELDS} | {"active": org.active}


def service_snapshot(entry: DirectoryService) -> dict:
    values = {field: getattr(entry, field) for field in SERVICE_FIELDS if field not in ("languages", "eligibility")}
    return values | {"languages": entry.language_list, "eligibility": eligibility_of(entry), "active": entry.active}


def record(
    session: AsyncSession,
    principal: Principal,
    *,
    entity: str,
    entity_id: str,
    organisation_id: str,
    action: str,
    before: dict | None,
    after: dict | None,
    at: datetime,
) -> None:
    def dump(v: dict | None) -> str | None:
        return None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)

    session.add(
        DirectoryChange(
            id=new_id(),
            entity=entity,
            entity_id=entity_id,
            organisation_id=organisation_id,
            action=action,
            actor=principal.subject,
            actor_role=str(principal.role),
            actor_name=principal.name or principal.subject,
            at=at,
            before=dump(before),
            after=dump(after),
        )
    )


def change_out(row: DirectoryChange) -> ChangeOut:
    before = json.loads(row.before) if row.before else None
    after = json.loads(row.after) if row.after else None
    keys = sorted(set(before or {}) | set(after or {}))
    changed = [k for k in keys if (before or {}).get(k) != (after or {}).get(k)]
    return ChangeOut(
        id=row.id,
        entity=row.entity,
        entity_id=row.entity_id,
        organisation_id=row.organisation_id,
        action=row.action,
        actor=row.actor,
        actor_role=row.actor_role,
        actor_name=row.actor_name,
        at=row.at,
        before=before,
        after=after,
        changed=changed,
    )


async def history(
    session: AsyncSession,
    principal: Principal,
    *,
    entity_id: str | None = None,
    organisation_id: str | None = None,
    limit: int = 200,
) -> list[ChangeOut]:
    require(principal, Permission.DIRECTORY_MANAGE)
    stmt = select(DirectoryChange)
    if entity_id:
        stmt = stmt.where(DirectoryChange.entity_id == entity_id)
    if organisation_id:
        stmt = stmt.where(DirectoryChange.organisation_id == organisation_id)
    rows = (
        await session.scalars(stmt.order_by(DirectoryChange.at.desc(), DirectoryChange.id.desc()).limit(limit))
    ).all()
    return [change_out(row) for row in rows]


# --- editing -------------------------------------------------------------------------------------


def _invalid(exc: ValidationError) -> InvalidInput:
    return InvalidInput(InvalidInput.from_pydantic(exc).problems)


def check_service(data: ServiceIn) -> list[FieldProblem]:
    """Rules across fields, each named by the field a person has to correct."""
    problems = []
    if (data.latitude is None) != (data.longitude is None):
        problems.append(
            FieldProblem(
                "latitude" if data.latitude is None else "longitude", "give both latitude and longitude, or neither"
            )
        )
    if data.service_type != "shelter":
        for field in ("capacity", "free_places"):
            if getattr(data, field) is not None:
                problems.append(FieldProblem(field, "only shelters have places"))
    elif data.capacity is not None and data.free_places is not None and data.free_places > data.capacity:
        problems.append(FieldProblem("free_places", "more than the capacity"))
    return problems


def validate_service(values: dict) -> ServiceIn:
    try:
        data = ServiceIn.model_validate(values)
    except ValidationError as exc:
        raise _invalid(exc) from None
    problems = check_service(data)
    if problems:
        raise InvalidInput(problems)
    return data


def validate_organisation(values: dict) -> OrganisationIn:
    try:
        return OrganisationIn.model_validate(values)
    except ValidationError as exc:
        raise _invalid(exc) from None


async def _organisation(session: AsyncSession, organisation_id: str, *, field: str | None = None) -> Organisation:
    org = await session.get(Organisation, organisation_id)
    if org is None:
        if field:
            raise InvalidInput.single(field, "no such organisation in the directory")
        raise NotFound("no such organisation in the directory")
    return org


async def _service(session: AsyncSession, service_id: str) -> DirectoryService:
    entry = await session.get(DirectoryService, service_id)
    if entry is None:
        raise NotFound("no such service in the directory")
    return entry


def apply_organisation(org: Organisation, data: OrganisationIn) -> None:
    for field in ORGANISATION_FIELDS:
        setattr(org, field, getattr(data, field))


def apply_service(entry: DirectoryService, data: ServiceIn) -> None:
    for field in (
        "organisation_id",
        "name",
        "service_type",
        "region",
        "city",
        "address",
        "latitude",
        "longitude",
        "phone",
        "email",
        "website",
        "opening_hours",
        "capacity",
        "free_places",
    ):
        setattr(entry, field, getattr(data, field))
    entry.languages = "," + ",".join(data.languages) + ","
    for group in ELIGIBILITY:
        setattr(entry, f"for_{group}", group in data.eligibility)
    week = hours.parse(data.opening_hours)
    entry.spans = [OpeningSpan(weekday=day, opens=o, closes=c) for day, spans in week.items() for o, c in spans]


async def create_organisation(
    session: AsyncSession,
    principal: Principal,
    values: dict,
    *,
    organisation_id: str | None = None,
    action: str = "created",
) -> OrganisationOut:
    require(principal, Permission.DIRECTORY_MANAGE)
    data = validate_organisation(values)
    now = utcnow()
    org = Organisation(id=organisation_id or new_id(), created_at=now, active=True)
    apply_organisation(org, data)
    session.add(org)
    await session.flush()
    record(
        session,
        principal,
        entity="organisation",
        entity_id=org.id,
        organisation_id=org.id,
        action=action,
        before=None,
        after=organisation_snapshot(org),
        at=now,
    )
    return organisation_out(org, [], local_time(now, DEFAULT_ZONE))


async def update_organisation(
    session: AsyncSession,
    principal: Principal,
    organisation_id: str,
    patch: OrganisationPatch | dict,
    *,
    action: str = "updated",
) -> OrganisationOut:
    require(principal, Permission.DIRECTORY_MANAGE)
    org = await _organisation(session, organisation_id)
    given = patch.model_dump(exclude_unset=True) if isinstance(patch, OrganisationPatch) else patch
    before = organisation_snapshot(org)
    data = validate_organisation({field: before[field] for field in ORGANISATION_FIELDS} | given)
    apply_organisation(org, data)
    await after_edit(
        session, principal, "organisation", org.id, org.id, action, before, organisation_snapshot(org), org
    )
    return await read_organisation(session, principal, org.id)


async def set_organisation_active(
    session: AsyncSession, principal: Principal, organisation_id: str, active: bool
) -> OrganisationOut:
    """A deactivated organisation's services leave the search; nothing is deleted (referrals point at them)."""
    require(principal, Permission.DIRECTORY_MANAGE)
    org = await _organisation(session, organisation_id)
    before = organisation_snapshot(org)
    org.active = active
    await after_edit(
        session,
        principal,
        "organisation",
        org.id,
        org.id,
        "reactivated" if active else "deactivated",
        before,
        organisation_snapshot(org),
        org,
    )
    return await read_organisation(session, principal, org.id)


async def create_service(
    session: AsyncSession, principal: Principal, values: dict, *, service_id: str | None = None, action: str = "created"
) -> ServiceOut:
    require(principal, Permission.DIRECTORY_MANAGE)
    data = validate_service(values)
    await _organisation(session, data.organisation_id, field="organisation_id")
    now = utcnow()
    entry = DirectoryService(id=service_id or new_id(), created_at=now, active=True)
    apply_service(entry, data)
    if data.free_places is not None:
        entry.free_places_updated_at = now
    session.add(entry)
    await session.flush()
    await session.refresh(entry, ["organisation"])
    record(
        session,
        principal,
        entity="service",
        entity_id=entry.id,
        organisation_id=entry.organisation_id,
        action=action,
        before=None,
        after=service_snapshot(entry),
        at=now,
    )
    return to_out(entry, local_time(now, DEFAULT_ZONE))


async def update_service(
    session: AsyncSession, principal: Principal, service_id: str, patch: ServicePatch | dict, *, action: str = "updated"
) -> ServiceOut:
    require(principal, Permission.DIRECTORY_MANAGE)
    entry = await _service(session, service_id)
    given = patch.model_dump(exclude_unset=True) if isinstance(patch, ServicePatch) else patch
    before = service_snapshot(entry)
    data = validate_service({field: before[field] for field in SERVICE_FIELDS} | given)
    if data.organisation_id != entry.organisation_id:
        await _organisation(session, data.organisation_id, field="organisation_id")
    apply_service(entry, data)
    after = service_snapshot(entry)
    if before["free_places"] != after["free_places"]:
        entry.free_places_updated_at = utcnow()
    await after_edit(session, principal, "service", entry.id, entry.organisation_id, action, before, after, entry)
    await session.refresh(entry, ["organisation"])
    return to_out(entry, local_time(None, DEFAULT_ZONE))


async def set_service_active(session: AsyncSession, principal: Principal, service_id: str, active: bool) -> ServiceOut:
    require(principal, Permission.DIRECTORY_MANAGE)
    entry = await _service(session, service_id)
    before = service_snapshot(entry)
    entry.active = active
    await after_edit(
        session,
        principal,
        "service",
        entry.id,
        entry.organisation_id,
        "reactivated" if active else "deactivated",
        before,
        service_snapshot(entry),
        entry,
    )
    return to_out(entry, local_time(None, DEFAULT_ZONE))


async def places_keeper_of(session: AsyncSession, principal: Principal, service_id: str) -> DirectoryService:
    """The service whose free places `principal` may change, or a refusal (a page asks before reading
    its form): the hotline's directory keepers, or the shelter's own partner users."""
    entry = await _service(session, service_id)
    if not may_keep_directory(principal):
        require(principal, Permission.DIRECTORY_READ)
        if principal.organisation_id != entry.organisation_id:
            raise PermissionDenied("only the shelter's own organisation or the hotline may change its places")
    return entry


async def update_free_places(
    session: AsyncSession, principal: Principal, service_id: str, data: FreePlacesIn
) -> ServiceOut:
    """The hotline's directory keepers, or the shelter's own partner users, say how many beds are free."""
    entry = await places_keeper_of(session, principal, service_id)
    if entry.service_type != "shelter":
        raise InvalidInput.single("free_places", "only shelters have places")
    capacity = data.capacity if data.capacity is not None else entry.capacity
    if capacity is not None and data.free_places > capacity:
        raise InvalidInput.single("free_places", "more than the capacity ({capacity})", capacity=capacity)
    before = service_snapshot(entry)
    entry.free_places, entry.capacity = data.free_places, capacity
    entry.free_places_updated_at = utcnow()
    await after_edit(
        session,
        principal,
        "service",
        entry.id,
        entry.organisation_id,
        "free_places",
        before,
        service_snapshot(entry),
        entry,
    )
    return to_out(entry, local_time(None, DEFAULT_ZONE))


async def after_edit(
    session: AsyncSession,
    principal: Principal,
    entity: str,
    entity_id: str,
    organisation_id: str,
    action: str,
    before: dict,
    after: dict,
    row: Organisation | DirectoryService,
) -> None:
    """A change that changes nothing leaves no history; a real one is stamped and recorded."""
    if before == after:
        return
    now = utcnow()
    row.updated_at = now
    await session.flush()
    record(
        session,
        principal,
        entity=entity,
        entity_id=entity_id,
        organisation_id=organisation_id,
        action=action,
        before=before,
        after=after,
        at=now,
    )
