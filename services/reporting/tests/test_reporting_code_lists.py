"""Reporting labels the shared code lists (hotline_common.codes) from the shared catalogs: every coded
dimension it counts names its list, its catalogs keep only reporting's own labels, and projected
referral regions spelled "Guba" become "Quba" (migration 0007), on SQLite and PostgreSQL."""

import asyncio
from datetime import UTC, datetime

from babel.messages.pofile import read_po
from sqlalchemy import select

from hotline_common import codes as shared
from hotline_common.db import Database
from hotline_common.i18n import LANGUAGES, Translator
from hotline_common.migrations import upgrade
from reporting import labels
from reporting.database import MIGRATIONS
from reporting.i18n import LOCALES
from reporting.statistics.models import ReferralFact
from reporting.statistics.schemas import CALL_DIMENSIONS, REFERRAL_DIMENSIONS

# Dimensions whose keys are not codes of a list: time parts, the hour, organisation ids.
UNLABELLED = {"day", "week", "month", "quarter", "year", "hour", "organisation"}


def test_every_coded_dimension_takes_its_codes_from_a_shared_list_or_is_reporting_own():
    for dimension in (*CALL_DIMENSIONS, *REFERRAL_DIMENSIONS):
        assert (
            dimension in labels.SHARED_LIST
            or dimension in labels.COUNTRY_DIMENSIONS
            or dimension in labels.YES_NO_DIMENSIONS
            or dimension in UNLABELLED
        ), dimension
    assert set(labels.SHARED_LIST.values()) <= set(shared.CODE_LISTS)
    for dimension, values in labels.CODES.items():
        if dimension in labels.SHARED_LIST:
            assert values is shared.CODE_LISTS[labels.SHARED_LIST[dimension]], dimension
        else:
            assert dimension in labels.OWN_CODES, f"{dimension}: a copy of another service's list"


def test_shared_codes_read_as_the_shared_catalogs_say():
    t = Translator()
    for dimension, name in labels.SHARED_LIST.items():
        for code in shared.CODE_LISTS[name]:
            for lang in LANGUAGES:
                assert labels.label(lang, dimension, code) == t.gettext(lang, shared.msgid(name, code)), (
                    dimension,
                    code,
                )
    assert labels.label("az", "referral_region", "Quba") == "Quba"
    assert labels.label("ru", "region", "Quba") == "Губа"
    assert labels.label("en", "nap_status", "not_started") == "Not started"


def test_reporting_catalogs_keep_only_reporting_own_labels():
    shared_msgids = shared.label_msgids()
    for lang in LANGUAGES:
        with open(LOCALES / f"{lang}.po", "rb") as fh:
            own = {message.id for message in read_po(fh) if message.id}
        assert not own & shared_msgids, sorted(own & shared_msgids)
        copies = {m for m in own if m.startswith("label:") and m.split(":")[1] in labels.SHARED_LIST}
        assert not copies, sorted(copies)


async def test_projected_guba_becomes_quba(database_url):
    await asyncio.to_thread(upgrade, MIGRATIONS, database_url, "0006")
    db = Database(database_url)
    at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    try:
        async with db.transaction() as session:
            for n, region in enumerate(("Guba", "guba", "Baku", "Quba")):
                session.add(
                    ReferralFact(
                        referral_id=f"0190c000-0000-7000-8000-00000000000{n}",
                        service_type="shelter",
                        organisation_id="0190a000-0000-7000-8000-000000000001",
                        region=region,
                        urgency="routine",
                        created_at=at,
                        event_at=at,
                    )
                )

        await asyncio.to_thread(upgrade, MIGRATIONS, database_url, "head")

        async with db.reader() as session:
            regions = (await session.scalars(select(ReferralFact.region).order_by(ReferralFact.referral_id))).all()
        assert regions == ["Quba", "Quba", "Baku", "Quba"]
    finally:
        await db.dispose()
