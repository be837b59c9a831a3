"""How fast a returning caller is found by phone and their journal opened, with many profiles.

    .venv/bin/python bench/caller_journal.py [--callers 20000] [--contacts-per-caller 3]
                                             [--samples 300] [--store sqlite|postgresql|both]

Fills a fresh intake database (SQLite file, or an embedded PostgreSQL) through the service layer:
each profile with a name, a phone and safe times sealed under its own key, and its contacts. Then
measures, one at a time (as an operator does): the phone lookup (keyed hash, no decryption, one
audit entry per hit) and the journal open (key unwrap, identity decrypt, timeline, audit entry).
A script, not a test: it prints p50/p95/p99 in milliseconds and writes nothing to the repository.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from hotline_common.crypto import FieldCipher
from hotline_common.db import new_id, utcnow
from hotline_devstack.ports import free_port
from hotline_devstack.postgres import PostgresServer
from hotline_devstack.testing import migrated_database, principal
from intake.callers import service
from intake.callers.schemas import CallerCreate
from intake.callers.vault import CallerVault
from intake.contact.models import Contact
from intake.database import MIGRATIONS

OPERATOR = principal("operator", subject="bench-operator")
BATCH = 200


def phone(i: int) -> str:
    return f"+994 50 {i // 10000 % 1000:03d} {i // 100 % 100:02d} {i % 100:02d}"


async def fill(db, vault: CallerVault, callers: int, per_caller: int) -> list[str]:
    ids = []
    for start in range(0, callers, BATCH):
        async with db.transaction() as session:
            for i in range(start, min(start + BATCH, callers)):
                profile = await service.create_caller(
                    session,
                    OPERATOR,
                    vault,
                    CallerCreate(
                        name=f"Caller {i}", phones=[phone(i)], safe_times="after 20:00", callback_ways=["sms"]
                    ),
                )
                ids.append(profile.id)
                now = utcnow()
                await session.execute(
                    insert(Contact.__table__).values(
                        [
                            {
                                "id": new_id(),
                                "caller_id": profile.id,
                                "operator_id": OPERATOR.subject,
                                "line": "152",
                                "caller_role": "victim",
                                "purpose": "information",
                                "started_at": now,
                                "recorded_at": now,
                                "anonymous": False,
                            }
                            for _ in range(per_caller)
                        ]
                    )
                )
        print(f"\r  filled {min(start + BATCH, callers)}/{callers}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return ids


def summary(name: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    pick = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    return (
        f"  {name:<14} n={len(ms):<5} p50={statistics.median(ms):7.2f} ms  p95={pick(0.95):7.2f} ms  "
        f"p99={pick(0.99):7.2f} ms"
    )


async def measure(url: str, args) -> None:
    db = await migrated_database(MIGRATIONS, url)
    vault = CallerVault(FieldCipher(FieldCipher.generate_keyring()), os.urandom(32))
    try:
        started = time.perf_counter()
        await fill(db, vault, args.callers, args.contacts_per_caller)
        print(f"  fill: {args.callers} profiles in {time.perf_counter() - started:.1f}s")
        rng = random.Random(7)
        lookups, journals = [], []
        for _ in range(args.samples):
            i = rng.randrange(args.callers)
            t0 = time.perf_counter()
            async with db.transaction() as session:
                [hit] = await service.find_by_phone(
                    session, OPERATOR, vault, phone(i).replace("+994 ", "0"), interface="bench"
                )
            lookups.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            async with db.transaction() as session:
                journal = await service.open_journal(session, OPERATOR, vault, hit.id, interface="bench")
            journals.append(time.perf_counter() - t0)
            assert journal.identity.name == f"Caller {i}" and len(journal.timeline) == args.contacts_per_caller
        print(summary("phone lookup", lookups))
        print(summary("journal open", journals))
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--callers", type=int, default=20000)
    parser.add_argument("--contacts-per-caller", type=int, default=3)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.store in ("sqlite", "both"):
            print(f"sqlite, {args.callers} callers x {args.contacts_per_caller} contacts")
            asyncio.run(measure(f"sqlite+aiosqlite:///{Path(tmp) / 'intake.db'}", args))
        if args.store in ("postgresql", "both"):
            server = PostgresServer(Path(tmp) / "pg", free_port()).start()
            try:
                print(f"postgresql, {args.callers} callers x {args.contacts_per_caller} contacts")
                asyncio.run(measure(server.create_database("bench_journal"), args))
            finally:
                server.stop()


if __name__ == "__main__":
    main()
