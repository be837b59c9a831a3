"""The directory through its service layer, on SQLite and PostgreSQL: search by need, region,
language, eligibility and open now (Asia/Baku); editing with history; shelters' free places."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from hotline_common.errors import InvalidInput, NotFound, PermissionDenied
from hotline_devstack.testing import migrated_database, principal
from referrals.database import MIGRATIONS
from referrals.directory import service as directory
from referrals.directory.demo import ORGANISATIONS, load_demo_directory, service_id
from referrals.directory.models import DirectoryChange, DirectoryService
from referrals.directory.schemas import FreePlacesIn, ServiceSearch

OPERATOR = principal("operator")
ADMIN = principal("admin", subject="admin-1")
# Monday 23 November 2026: 06:30 UTC is 10:30 in Baku (UTC+4); 04:30 UTC is 08:30 there.
MONDAY_MORNING = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
MONDAY_EARLY = datetime(2026, 11, 23, 4, 30, tzinfo=UTC)
SATURDAY_NIGHT = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)  # Sunday 02:00 in Baku

NEW_SERVICE = {
    "organisation_id": ORGANISATIONS[1][0],
    "name": "Psixoloq (Quba)",
    "service_type": "psychologist",
    "region": "Quba",
    "city": "Quba",
    "address": "Heydər Əliyev pr. 1",
    "languages": ["az", "ru"],
    "opening_hours": "Mon-Fri 09:00-17:00",
    "eligibility": ["women", "children"],
    "phone": "+994 23 000 00 01",
}


@pytest.fixture
async def db(database_url):
    database = await migrated_database(MIGRATIONS, database_url)
    async with database.transaction() as session:
        assert await load_demo_directory(session)
    yield database
    await database.dispose()


async def search(db, now=MONDAY_MORNING, **filters):
    async with db.reader() as session:
        return await directory.search_services(session, OPERATOR, ServiceSearch(**filters), now=now)


async def test_search_by_eligibility_city_and_language(db):
    for_children = await search(db, eligibility=["children"], limit=100)
    assert for_children and all("children" in s.eligibility for s in for_children)
    assert service_id(6) in {s.id for s in for_children} and service_id(16) not in {s.id for s in for_children}
    foreign_women = await search(db, eligibility=["women", "foreigners"], service_type="shelter", limit=100)
    assert {s.region for s in foreign_women} == {"Baku", "Ganja"}, "Mingachevir's shelter takes no foreigners"
    uzbek = await search(db, language="uz")
    assert [s.service_type for s in uzbek] == ["consular"]
    in_sheki = await search(db, city="Şəki", limit=100)
    assert in_sheki and {s.region for s in in_sheki} == {"Shaki"}


async def test_open_now_is_computed_in_baku_time(db):
    open_morning = {s.id for s in await search(db, open_now=True, region="Baku", limit=100)}
    open_early = {s.id for s in await search(db, now=MONDAY_EARLY, open_now=True, region="Baku", limit=100)}
    assert service_id(3) in open_morning, "legal aid opens at 10:00 Baku time; 06:30 UTC is 10:30 there"
    assert service_id(3) not in open_early, "08:30 in Baku: not open yet, although 04:30 UTC"
    assert service_id(2) in open_early, "a 24/7 service is always open"
    night = {s.id for s in await search(db, now=SATURDAY_NIGHT, open_now=True, region="Lankaran", limit=100)}
    assert service_id(34) in night, "an overnight span (20:00-08:00) covers 02:00 of the next day"
    assert service_id(8) not in night
    [entry] = [s for s in await search(db, now=MONDAY_EARLY, region="Baku", limit=100) if s.id == service_id(3)]
    assert entry.open_now is False and entry.hours["mon"] == ["10:00-17:00"] and entry.hours["sun"] == []


async def test_shelters_show_free_places_and_partner_updates_its_own(db):
    [baku_shelter] = await search(db, service_type="shelter", region="Baku")
    assert (baku_shelter.capacity, baku_shelter.free_places) == (20, 6)
    own = principal("partner", organisation_id=ORGANISATIONS[3][0], subject="shelter-user")
    async with db.transaction() as session:
        out = await directory.update_free_places(session, own, service_id(4), FreePlacesIn(free_places=2))
    assert out.free_places == 2 and out.free_places_updated_at is not None
    other = principal("partner", organisation_id=ORGANISATIONS[1][0])
    for who in (other, OPERATOR):
        with pytest.raises(PermissionDenied):
            async with db.transaction() as session:
                await directory.update_free_places(session, who, service_id(4), FreePlacesIn(free_places=9))
    with pytest.raises(InvalidInput) as too_many:
        async with db.transaction() as session:
            await directory.update_free_places(session, ADMIN, service_id(4), FreePlacesIn(free_places=21))
    assert too_many.value.problems[0].field == "free_places"
    with pytest.raises(InvalidInput):
        async with db.transaction() as session:
            await directory.update_free_places(session, ADMIN, service_id(3), FreePlacesIn(free_places=1))
    async with db.reader() as session:
        history = await directory.history(session, ADMIN, entity_id=service_id(4))
    assert [(h.action, h.actor, h.before["free_places"], h.after["free_places"]) for h in history] == [
        ("free_places", "shelter-user", 6, 2)
    ]


async def test_create_update_deactivate_keep_history(db):
    async with db.transaction() as session:
        created = await directory.create_service(session, ADMIN, NEW_SERVICE)
    assert created.opening_hours == "mon-fri 09:00-17:00", "hours are stored in their canonical spelling"
    assert created.eligibility == ["women", "children"]
    async with db.transaction() as session:
        await directory.update_service(
            session, ADMIN, created.id, {"opening_hours": "mon-sat 09:00-17:00", "languages": ["az", "ru", "en"]}
        )
    async with db.transaction() as session:
        await directory.update_service(session, ADMIN, created.id, {"name": "Psixoloq (Quba)"})  # no change
    async with db.transaction() as session:
        await directory.set_service_active(session, ADMIN, created.id, False)
    assert created.id not in {s.id for s in await search(db, region="Quba")}, "deactivated: out of the search"
    async with db.reader() as session:
        history = await directory.history(session, ADMIN, entity_id=created.id)
    assert [h.action for h in history] == ["deactivated", "updated", "created"]
    assert history[1].changed == ["languages", "opening_hours"]
    assert history[1].before["opening_hours"] == "mon-fri 09:00-17:00"
    assert history[1].after["opening_hours"] == "mon-sat 09:00-17:00"
    assert history[0].changed == ["active"] and history[2].before is None
    assert {h.actor for h in history} == {"admin-1"}

    async with db.transaction() as session:
        await directory.set_organisation_active(session, ADMIN, ORGANISATIONS[2][0], False)
    assert not await search(db, service_type="legal_aid", region="Baku", text="Pulsuz"), (
        "a deactivated organisation's services leave the search"
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"service_type": "astrology"}, "service_type"),
        ({"opening_hours": "mon-fri 9-18"}, "opening_hours"),
        ({"latitude": 40.1, "longitude": None}, "longitude"),
        ({"languages": []}, "languages"),
        ({"email": "not-an-address"}, "email"),
        ({"free_places": 3}, "free_places"),
        ({"region": "  "}, "region"),
    ],
)
async def test_bad_service_named_by_field_and_nothing_written(db, change, field):
    async with db.reader() as session:
        before = await session.scalar(select(func.count()).select_from(DirectoryService))
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await directory.create_service(session, ADMIN, NEW_SERVICE | change)
    assert field in [p.field for p in raised.value.problems]
    with pytest.raises(InvalidInput):
        async with db.transaction() as session:
            await directory.update_service(session, ADMIN, service_id(1), change)
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(DirectoryService)) == before
        assert await session.scalar(select(func.count()).select_from(DirectoryChange)) == 0
        assert (await session.get(DirectoryService, service_id(1))).opening_hours == "mon-fri 09:00-18:00"


async def test_only_directory_keepers_edit(db):
    for who in (OPERATOR, principal("partner", organisation_id=ORGANISATIONS[1][0]), principal("analyst")):
        with pytest.raises(PermissionDenied):
            async with db.transaction() as session:
                await directory.create_service(session, who, NEW_SERVICE)
        with pytest.raises(PermissionDenied):
            async with db.reader() as session:
                await directory.history(session, who)
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await directory.create_service(session, ADMIN, NEW_SERVICE | {"organisation_id": "nope"})
    assert raised.value.problems[0].field == "organisation_id"
    with pytest.raises(NotFound):
        async with db.transaction() as session:
            await directory.update_service(session, ADMIN, "0190a000-0000-7000-9000-999999999999", {"name": "x"})


async def test_organisations_edited_with_history(db):
    async with db.transaction() as session:
        org = await directory.create_organisation(session, ADMIN, {"name": " Yeni  Təşkilat ", "kind": "ngo"})
    assert org.name == "Yeni Təşkilat"
    async with db.transaction() as session:
        await directory.update_organisation(session, ADMIN, org.id, {"phone": "+994 12 555 55 55"})
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await directory.update_organisation(session, ADMIN, org.id, {"kind": "cult"})
    assert raised.value.problems[0].field == "kind"
    async with db.reader() as session:
        history = await directory.history(session, ADMIN, organisation_id=org.id)
        listed = await directory.list_organisations(session, ADMIN)
    assert [(h.action, h.changed) for h in history] == [
        ("updated", ["phone"]),
        ("created", ["active", "email", "kind", "name", "phone", "website"]),
    ]
    assert len(listed) == len(ORGANISATIONS) + 1


async def test_keepers_list_filters_by_type_region_and_name(db):
    async with db.reader() as session:
        everything = await directory.list_organisations(session, ADMIN)
        shelters = await directory.list_organisations(session, ADMIN, service_type="shelter")
        in_ganja = await directory.list_organisations(session, ADMIN, region="Ganja", service_type="shelter")
        by_name = await directory.list_organisations(session, ADMIN, text="unhcr")
    assert len(everything) == len(ORGANISATIONS)
    assert {s.region for org in shelters for s in org.services} == {"Baku", "Ganja", "Mingachevir"}
    assert [(org.id, [s.id for s in org.services]) for org in in_ganja] == [(ORGANISATIONS[3][0], [service_id(28)])]
    assert [org.name for org in by_name] == ["UNHCR Azerbaijan"], "an organisation's own name matches too"


async def test_director_keeps_the_directory_too(db):
    director = principal("director", subject="director-1")
    async with db.transaction() as session:
        await directory.update_service(session, director, service_id(5), {"phone": "+994 22 111 11 11"})
    async with db.reader() as session:
        [change] = await directory.history(session, director, entity_id=service_id(5))
    assert (change.actor_role, change.changed) == ("director", ["phone"])
