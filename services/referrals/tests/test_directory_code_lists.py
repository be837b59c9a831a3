"""Referrals' code lists are the shared ones (hotline_common.codes) wherever another service uses them
too; the demo directory uses listed codes; the shared labels are not repeated in referrals' catalogs;
and stored regions spelled "Guba" become "Quba" (migration 0008), on SQLite and PostgreSQL."""

import asyncio
from datetime import UTC, datetime
from typing import get_args

from babel.messages.pofile import read_po
from sqlalchemy import select, text

from hotline_common import codes as shared
from hotline_common.db import Database
from hotline_common.migrations import upgrade
from referrals.database import MIGRATIONS
from referrals.directory import demo, schemas
from referrals.directory.models import DirectoryService
from referrals.directory.pages import LOCALES
from referrals.referral import lifecycle
from referrals.referral import schemas as referral_schemas
from referrals.referral.models import Referral


def test_the_directory_types_are_the_shared_lists():
    assert get_args(schemas.ServiceType) == schemas.SERVICE_TYPES == shared.SERVICE_TYPES
    assert get_args(schemas.LanguageCode) == schemas.LANGUAGES
    assert set(schemas.LANGUAGES) <= set(shared.LANGUAGES) and len(schemas.LANGUAGES) >= 14
    assert schemas.REGIONS == shared.REGIONS
    # The directory's own lists are not shared ones under another name.
    assert schemas.ORGANISATION_KINDS not in shared.CODE_LISTS.values()
    assert schemas.ELIGIBILITY not in shared.CODE_LISTS.values()


def test_referrals_lists_are_the_shared_lists():
    assert lifecycle.STATUSES == shared.REFERRAL_STATUSES
    assert get_args(referral_schemas.Urgency) == shared.URGENCIES
    assert referral_schemas.SHAREABLE_FIELDS == shared.CONSENT_FIELDS


def test_the_demo_directory_uses_listed_codes():
    for _n, _org, _name, service_type, region, _address, languages, *_rest in demo.SERVICES:
        assert shared.is_code("service_type", service_type), service_type
        assert shared.is_code("region", region), region
        assert all(shared.is_code("language", code) for code in languages.split()), languages
    assert set(demo.CENTRES) <= set(shared.REGIONS) and set(demo.CITIES) <= set(shared.REGIONS)


def test_referrals_catalogs_leave_the_shared_labels_to_the_shared_catalogs():
    shared_msgids = shared.label_msgids()
    for lang in ("az", "en", "ru"):
        with open(LOCALES / f"{lang}.po", "rb") as fh:
            own = {message.id for message in read_po(fh) if message.id}
        assert not own & shared_msgids, sorted(own & shared_msgids)


REFERRAL = "0190a000-0000-7000-8000-0000000000ab"


async def test_stored_guba_becomes_quba(database_url):
    await asyncio.to_thread(upgrade, MIGRATIONS, database_url, "0007")
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            await demo.load_demo_directory(session)
        async with db.transaction() as session:
            await session.execute(
                text("UPDATE directory_services SET region = 'Guba', city = 'Guba' WHERE id = :id"),
                {"id": demo.service_id(1)},
            )
            await session.execute(
                text("UPDATE directory_services SET region = 'guba', city = 'Qusar' WHERE id = :id"),
                {"id": demo.service_id(2)},
            )
        async with db.transaction() as session:  # a referral as 0007 stored it (its need still in clear)
            await session.execute(
                text(
                    "INSERT INTO referrals (id, contact_id, service_id, organisation_id, service_type, region,"
                    " reason, urgency, status, created_by, created_at) VALUES (:id, :contact, :service, :org,"
                    " 'psychologist', 'Guba', 'support', 'routine', 'sent', 'operator', :at)"
                ),
                {
                    "id": REFERRAL,
                    "contact": "0190a000-0000-7000-8000-0000000000aa",
                    "service": demo.service_id(1),
                    "org": demo.ORGANISATIONS[0][0],
                    "at": datetime.now(UTC),
                },
            )
        async with db.reader() as session:
            assert await session.scalar(select(Referral.region).where(Referral.id == REFERRAL)) == "Guba"
            before = dict((await session.execute(select(DirectoryService.id, DirectoryService.region))).all())

        await asyncio.to_thread(upgrade, MIGRATIONS, database_url, "0008")

        async with db.reader() as session:
            rows = {row.id: row for row in (await session.scalars(select(DirectoryService))).all()}
            assert await session.scalar(select(Referral.region).where(Referral.id == REFERRAL)) == "Quba"
        assert (rows[demo.service_id(1)].region, rows[demo.service_id(1)].city) == ("Quba", "Quba")
        assert (rows[demo.service_id(2)].region, rows[demo.service_id(2)].city) == ("Quba", "Qusar")
        untouched = set(rows) - {demo.service_id(1), demo.service_id(2)}
        assert untouched and all(rows[i].region == before[i] for i in untouched)
        assert all(row.region in shared.REGIONS for row in rows.values())
    finally:
        await db.dispose()
