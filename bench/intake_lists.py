"""How fast the contacts list answers with a million contacts, for the filters operators use.

    .venv/bin/python bench/intake_lists.py [--rows 1000000] [--samples 40] [--store sqlite|postgresql|both]

Fills a fresh intake database (SQLite file, or an embedded PostgreSQL from
hotline_devstack.postgres) at its newest migration, in bulk (secondary indexes dropped, then
sqlite3 executemany in large transactions or asyncpg COPY, then the indexes built again as the
migrations define them), with contacts spread over two years: lines, roles, purposes, risk
levels, 40 operators and follow-ups in realistic proportions. Then times
`intake.contact.service.list_contacts` (the function behind GET /api/v1/contacts: query, rows to
objects, next-page cursor), one call at a time, for each typical filter, and prints p50/p95 in ms.
A script, not a test: it writes nothing to the repository.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hotline_devstack.ports import free_port
from hotline_devstack.postgres import PostgresServer
from hotline_devstack.testing import migrated_database, principal
from intake.contact import codes
from intake.contact.service import list_contacts
from intake.database import MIGRATIONS

NOW = datetime.now(UTC).replace(microsecond=0)
SPAN = timedelta(days=730)
OPERATORS = [f"bench-operator-{i:02d}" for i in range(40)]
READER = principal("director", subject="bench-director")
CHUNK = 50_000

COLUMNS = [
    "id",
    "line",
    "caller_role",
    "purpose",
    "started_at",
    "recorded_at",
    "operator_id",
    "ended_at",
    "duration_seconds",
    "anonymous",
    "caller_sex",
    "caller_age_group",
    "caller_country",
    "risk_level",
    "indicators",
    "exploitation_types",
    "tactics",
    "advice_given",
    "services_informed",
    "follow_up_needed",
    "follow_up_due_at",
    "follow_up_done_at",
    "revision",
]


def weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


LINE_W = {"152": 80, "562-21-12": 15, "other": 5}
ROLE_W = {
    "advice_seeker": 45,
    "potential_victim": 15,
    "relative_friend": 12,
    "victim": 6,
    "presumed_victim": 6,
    "third_party": 8,
    "professional": 5,
    "other": 3,
}
PURPOSE_W = {
    "advice_work_abroad": 35,
    "information": 20,
    "advice_travel_abroad": 8,
    "advice_study_abroad": 6,
    "advice_marriage_foreign": 3,
    "report_trafficking": 10,
    "psychological_support": 8,
    "legal_question": 7,
    "other": 3,
}
RISK_W = {"none": 70, "low": 15, "medium": 10, "high": 5}


def rows(count: int, seed: int = 152):
    """Contacts as plain tuples in COLUMNS order, Python datetimes (UTC)."""
    rng = random.Random(seed)
    for _ in range(count):
        started = NOW - SPAN + timedelta(seconds=rng.randrange(int(SPAN.total_seconds())))
        duration = rng.randrange(60, 1800)
        follow = rng.random() < 0.10
        due = started + timedelta(days=1) if follow else None
        done = due if follow and rng.random() < 0.8 else None
        yield (
            str(uuid.UUID(int=rng.getrandbits(128))),
            weighted(rng, LINE_W),
            weighted(rng, ROLE_W),
            weighted(rng, PURPOSE_W),
            started,
            started + timedelta(seconds=duration),
            rng.choice(OPERATORS),
            started + timedelta(seconds=duration),
            duration,
            True,
            rng.choice(codes.CALLER_SEXES),
            rng.choice(codes.AGE_GROUPS),
            "AZ",
            weighted(rng, RISK_W),
            "[]",
            "[]",
            "[]",
            "[]",
            "[]",
            follow,
            due,
            done,
            1,
        )


def sqlite_time(value: datetime | None) -> str | None:
    # The text SQLAlchemy's SQLite DateTime type writes (UTC, as UTCDateTime binds it).
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if value else None


def fill_sqlite(path: Path, count: int) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-262144")
    # Bulk load: drop the secondary indexes, insert, build them again once (as the migration defines them).
    indexes = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        connection.execute(f"DROP INDEX {name}")
    placeholders = ", ".join("?" * len(COLUMNS))
    sql = f"INSERT INTO contacts ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    batch = []
    for i, row in enumerate(rows(count), 1):
        batch.append(tuple(sqlite_time(v) if isinstance(v, datetime) else v for v in row))
        if len(batch) == CHUNK or i == count:
            with connection:
                connection.executemany(sql, batch)
            batch.clear()
            print(f"\r  filled {i}/{count}", end="", file=sys.stderr, flush=True)
    for _, sql in indexes:
        with connection:
            connection.execute(sql)
    connection.execute("ANALYZE")
    connection.close()
    print(file=sys.stderr)


async def fill_postgresql(url: str, count: int) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        indexes = await connection.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'contacts' AND indexname <> 'contacts_pkey'"
        )
        for index in indexes:
            await connection.execute(f"DROP INDEX {index['indexname']}")
        batch = []
        for i, row in enumerate(rows(count), 1):
            batch.append(row)
            if len(batch) == CHUNK or i == count:
                await connection.copy_records_to_table("contacts", records=batch, columns=COLUMNS)
                batch.clear()
                print(f"\r  filled {i}/{count}", end="", file=sys.stderr, flush=True)
        for index in indexes:
            await connection.execute(index["indexdef"])
        await connection.execute("ANALYZE contacts")
    finally:
        await connection.close()
    print(file=sys.stderr)


def scenarios(rng: random.Random) -> dict:
    """Typical filters; each call draws its own parameters (a different week, operator, ...)."""

    def week():
        start = NOW - timedelta(days=rng.randrange(7, 700))
        return {"since": start, "until": start + timedelta(days=7)}

    return {
        "newest 50, no filter": dict,
        "one week": week,
        "line 562-21-12, last 30 days": lambda: {"line": "562-21-12", "since": NOW - timedelta(days=30)},
        "role victim": lambda: {"caller_role": "victim"},
        "purpose report + risk high": lambda: {"purpose": "report_trafficking", "risk_level": "high"},
        "risk high, one week": lambda: {"risk_level": "high", **week()},
        "one operator": lambda: {"operator_id": rng.choice(OPERATORS)},
        "one operator, one week": lambda: {"operator_id": rng.choice(OPERATORS), **week()},
        "open follow-ups": lambda: {"open_follow_up": True},
        "rare: role other + risk high + line other": lambda: {
            "caller_role": "other",
            "risk_level": "high",
            "line": "other",
        },
    }


async def measure(url: str, samples: int) -> dict[str, tuple[float, float, int]]:
    db = await migrated_database(MIGRATIONS, url)
    rng = random.Random(7)
    results = {}
    try:
        for name, make in scenarios(rng).items():
            timings, got = [], 0
            for _ in range(samples):
                filters = make()
                start = time.perf_counter()
                async with db.reader() as session:
                    page = await list_contacts(session, READER, limit=50, **filters)
                timings.append((time.perf_counter() - start) * 1000)
                got += len(page.items)
            results[name] = (statistics.median(timings), statistics.quantiles(timings, n=20)[18], got // samples)
        # Deep paging: follow the cursor 40 pages down, timing each page.
        timings, cursor = [], None
        for _ in range(40):
            start = time.perf_counter()
            async with db.reader() as session:
                page = await list_contacts(session, READER, limit=50, after=cursor)
            timings.append((time.perf_counter() - start) * 1000)
            cursor = page.next_cursor
        results["pages 1..40 by cursor"] = (statistics.median(timings), statistics.quantiles(timings, n=20)[18], 50)
    finally:
        await db.dispose()
    return results


def report(store: str, count: int, fill_seconds: float, results: dict) -> None:
    print(f"\n{store}: {count:,} contacts (filled in {fill_seconds:.0f} s)")
    print(f"  {'filter':45} {'p50 ms':>8} {'p95 ms':>8} {'rows':>5}")
    for name, (p50, p95, got) in results.items():
        print(f"  {name:45} {p50:8.1f} {p95:8.1f} {got:5d}")


async def run_sqlite(count: int, samples: int, directory: Path) -> None:
    path = directory / "intake.db"
    url = f"sqlite+aiosqlite:///{path}"
    await (await migrated_database(MIGRATIONS, url)).dispose()
    start = time.perf_counter()
    fill_sqlite(path, count)
    fill_seconds = time.perf_counter() - start
    report("SQLite", count, fill_seconds, await measure(url, samples))


async def run_postgresql(count: int, samples: int, directory: Path) -> None:
    server = PostgresServer(directory / "postgres", free_port()).start()
    try:
        url = server.create_database("intake_lists")
        await (await migrated_database(MIGRATIONS, url)).dispose()
        start = time.perf_counter()
        await fill_postgresql(url, count)
        fill_seconds = time.perf_counter() - start
        report("PostgreSQL", count, fill_seconds, await measure(url, samples))
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="intake-lists-") as tmp:
        if args.store in ("sqlite", "both"):
            asyncio.run(run_sqlite(args.rows, args.samples, Path(tmp)))
        if args.store in ("postgresql", "both"):
            asyncio.run(run_postgresql(args.rows, args.samples, Path(tmp)))


if __name__ == "__main__":
    main()
