"""Referral lifecycle through the service layer (no HTTP): time per partner move (each one checked,
recorded with its transition row, status event and partner notice in one transaction), the partner's
list of 50 with consented values decrypted and the read logged, and one overdue sweep — on SQLite and
on PostgreSQL. A script, not a test.

    .venv/bin/python bench/referral_lifecycle.py [--referrals 2000] [--store sqlite|postgresql|both]

Results also go to bench/results/referral-lifecycle-<timestamp>.json (git-ignored)."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hotline_common.crypto import FieldCipher
from hotline_devstack.ports import free_port
from hotline_devstack.postgres import PostgresServer
from hotline_devstack.testing import migrated_database, principal
from referrals.database import MIGRATIONS, import_models
from referrals.directory.demo import load_demo_directory, service_id
from referrals.referral import service
from referrals.referral.policy import Policy
from referrals.referral.schemas import ConsentIn, ReferralCreate, StatusChange

RESULTS_DIR = Path(__file__).resolve().parent / "results"
ORG = "0190a000-0000-7000-8000-000000000002"  # the demo psychological centre: service 2
import_models()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 2)


async def run(url: str, n: int) -> dict:
    db = await migrated_database(MIGRATIONS, url)
    policy = Policy(cipher=FieldCipher(FieldCipher.generate_keyring()))
    operator = principal("operator", subject="op")
    partner = principal("partner", organisation_id=ORG, subject="p")
    async with db.transaction() as session:
        await load_demo_directory(session)
    ids, create_ms = [], []
    until = datetime.now(UTC) + timedelta(days=30)
    for i in range(n):
        started = time.perf_counter()
        async with db.transaction() as session:
            out = await service.create_referral(
                session,
                operator,
                ReferralCreate(
                    contact_id=f"0190a000-0000-7000-8000-{i:012d}",
                    service_id=service_id(2),
                    reason="support",
                    urgency="emergency" if i % 3 == 0 else "routine",
                    consent=ConsentIn(
                        fields=["name", "phone"],
                        purpose="support",
                        valid_until=until,
                        data={"name": f"Person {i}", "phone": "+994 50 000 00 00"},
                    ),
                ),
                policy,
            )
        create_ms.append((time.perf_counter() - started) * 1000)
        ids.append(out.id)
    move_ms = []
    for referral_id in ids[: n // 2]:
        for to in ("acknowledged", "accepted", "in_progress", "completed"):
            started = time.perf_counter()
            async with db.transaction() as session:
                await service.partner_change_status(session, partner, referral_id, StatusChange(to_status=to), policy)
            move_ms.append((time.perf_counter() - started) * 1000)
    list_ms = []
    for _ in range(50):
        started = time.perf_counter()
        async with db.transaction() as session:
            await service.partner_list(session, partner, policy, limit=50, channel="portal")
        list_ms.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    async with db.transaction() as session:
        escalated = await service.escalate_overdue(session, datetime.now(UTC) + timedelta(hours=3), limit=n)
    sweep_ms = (time.perf_counter() - started) * 1000
    await db.dispose()
    return {
        "referrals": n,
        "create_with_consent_ms": {"p50": pct(create_ms, 0.5), "p95": pct(create_ms, 0.95)},
        "partner_move_ms": {
            "count": len(move_ms),
            "p50": pct(move_ms, 0.5),
            "p95": pct(move_ms, 0.95),
            "mean": round(statistics.mean(move_ms), 2),
        },
        "partner_list_50_ms": {"p50": pct(list_ms, 0.5), "p95": pct(list_ms, 0.95)},
        "overdue_sweep": {"escalated": escalated, "ms": round(sweep_ms, 1)},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=2000)
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.store in ("sqlite", "both"):
            results["sqlite"] = asyncio.run(run(f"sqlite+aiosqlite:///{tmp}/bench.db", args.referrals))
            print("sqlite", json.dumps(results["sqlite"]))
        if args.store in ("postgresql", "both"):
            server = PostgresServer(Path(tmp) / "pg", free_port()).start()
            try:
                results["postgresql"] = asyncio.run(run(server.create_database("bench"), args.referrals))
                print("postgresql", json.dumps(results["postgresql"]))
            finally:
                server.stop()
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"referral-lifecycle-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(results, indent=2)
    )


if __name__ == "__main__":
    main()
