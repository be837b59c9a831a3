"""Directory search during a call: p50/p95 of typical searches over a real gRPC socket, against a
referrals process serving 10,000 services, on SQLite and on PostgreSQL. A script, not a test.

    .venv/bin/python bench/directory_search.py [--services 10000] [--rounds 300] [--store sqlite|postgresql|both]

For each store: a fresh temp dir, its own nats-server and (PostgreSQL) its own embedded PostgreSQL;
the directory is written through the service layer's own models (hours spans, languages,
eligibility as the service stores them), then `python -m referrals serve` is started and searched
by one client, one request at a time (the latency an operator sees), after a warm-up. Results
also go to bench/results/directory-search-<timestamp>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc

from hotline.referrals.v1 import referrals_pb2, referrals_pb2_grpc
from hotline_common.auth import Role, TokenIssuer, generate_signing_keypair
from hotline_common.db import Database, utcnow
from hotline_common.migrations import upgrade_async
from hotline_devstack.nats import NatsServer
from hotline_devstack.ports import free_port, wait_for_port
from hotline_devstack.postgres import PostgresServer
from referrals.database import MIGRATIONS
from referrals.directory.models import DirectoryService, Organisation
from referrals.directory.schemas import ELIGIBILITY, SERVICE_TYPES, OrganisationIn, ServiceIn
from referrals.directory.service import apply_organisation, apply_service

RESULTS_DIR = Path(__file__).resolve().parent / "results"
REGIONS = (
    "Baku",
    "Ganja",
    "Sumgait",
    "Lankaran",
    "Shaki",
    "Mingachevir",
    "Shirvan",
    "Nakhchivan",
    "Quba",
    "Khachmaz",
    "Barda",
    "Yevlakh",
    "Shamakhi",
    "Jalilabad",
    "Zaqatala",
    "Absheron",
    "Masalli",
    "Agdam",
    "Shusha",
    "Gabala",
)
LANGS = ("az", "ru", "en", "tr", "fa", "uz", "ka", "ar")
HOURS = (
    "mon-fri 09:00-18:00",
    "24/7",
    "mon-sat 10:00-17:00",
    "mon-fri 09:00-13:00,14:00-18:00; sat 10:00-14:00",
    "tue-sat 10:00-16:00",
    "mon-fri 18:00-22:00",
    "daily 20:00-08:00",
    "",
)
KINDS = ("state_body", "ngo", "international", "private_practice")

# What operators search for during a call (name, request fields).
QUERIES = {
    "need+region": dict(service_type="psychologist", region="Baku"),
    "need+region+language": dict(service_type="legal_aid", region="Ganja", language="ru"),
    "need+region+open_now": dict(service_type="medical", region="Sumgait", open_now=True),
    "need+region+eligibility": dict(service_type="shelter", region="Baku", eligibility=["women", "children"]),
    "region+language+open_now": dict(region="Lankaran", language="fa", open_now=True),
    "need+open_now+foreigners (country)": dict(service_type="legal_aid", open_now=True, eligibility=["foreigners"]),
    "all filters": dict(
        service_type="social_assistance", region="Shaki", language="az", eligibility=["women"], open_now=True
    ),
    "text (name contains)": dict(text="psix"),
}


def synthetic_directory(count: int, seed: int = 7) -> tuple[list[OrganisationIn], list[dict]]:
    rnd = random.Random(seed)
    orgs = [
        OrganisationIn(name=f"Təşkilat {i}", kind=rnd.choice(KINDS), phone=f"+994 12 {i:07d}")
        for i in range(max(1, count // 5))
    ]
    services = []
    for i in range(count):
        kind = rnd.choice(SERVICE_TYPES)
        shelter = kind == "shelter"
        capacity = rnd.randint(4, 40) if shelter else None
        services.append(
            dict(
                organisation=rnd.randrange(len(orgs)),
                name=f"{'Psixoloq' if kind == 'psychologist' else 'Xidmət'} {i}",
                service_type=kind,
                region=rnd.choice(REGIONS),
                city=f"Şəhər {i % 97}",
                address=f"Küçə {i}",
                latitude=round(38.5 + rnd.random() * 3, 5),
                longitude=round(45 + rnd.random() * 5, 5),
                languages=["az", *rnd.sample(LANGS[1:], rnd.randint(0, 3))],
                opening_hours=rnd.choice(HOURS),
                eligibility=rnd.sample(ELIGIBILITY, rnd.randint(1, 4)),
                phone=f"+994 50 {i:07d}",
                capacity=capacity,
                free_places=rnd.randint(0, capacity) if shelter else None,
            )
        )
    return orgs, services


async def load(database_url: str, count: int) -> float:
    started = time.perf_counter()
    await upgrade_async(MIGRATIONS, database_url)
    db = Database(database_url)
    orgs, services = synthetic_directory(count)
    now = utcnow()
    org_ids = []
    async with db.transaction() as session:
        for i, data in enumerate(orgs):
            org = Organisation(id=f"00000000-0000-7000-8000-{i:012d}", created_at=now, active=True)
            apply_organisation(org, data)
            session.add(org)
            org_ids.append(org.id)
        await session.flush()
        for i, values in enumerate(services):
            org_index = values.pop("organisation")
            entry = DirectoryService(id=f"00000000-0000-7000-9000-{i:012d}", created_at=now, active=True)
            apply_service(entry, ServiceIn(organisation_id=org_ids[org_index], **values))
            session.add(entry)
            if i % 1000 == 999:
                await session.flush()
    # Planner statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` would gather them in use.
    async with db.engine.begin() as conn:
        await conn.exec_driver_sql("ANALYZE")
    await db.dispose()
    return time.perf_counter() - started


def start_referrals(workdir: Path, database_url: str, nats_url: str, public_key: Path) -> tuple[subprocess.Popen, str]:
    http_port, grpc_port = free_port(), free_port()
    env = dict(
        os.environ,
        HTTP_PORT=str(http_port),
        GRPC_PORT=str(grpc_port),
        DATABASE_URL=database_url,
        NATS_URL=nats_url,
        AUTH_PUBLIC_KEY_FILE=str(public_key),
        EVENTS_NAMESPACE="bench",
        LOG_LEVEL="WARNING",
        OTEL_TRACES_EXPORTER="none",
        MIGRATE_ON_START="false",
    )
    with open(workdir / "referrals.log", "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "referrals", "serve"], env=env, stdout=log, stderr=log)
    wait_for_port(grpc_port, "127.0.0.1", 60)
    wait_for_port(http_port, "127.0.0.1", 60)
    return process, f"127.0.0.1:{grpc_port}"


def cpu_seconds(pids: list[int]) -> float:
    """User+system CPU of these processes and their children (Linux /proc): the work a search
    costs, whatever else the machine is doing."""
    tick = os.sysconf("SC_CLK_TCK")
    wanted, total = set(pids), 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid in wanted or ppid in wanted:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(target: str, token: str, rounds: int, server_pids: list[int]) -> dict:
    metadata = (("authorization", f"Bearer {token}"),)
    results: dict[str, dict] = {}
    async with grpc.aio.insecure_channel(target) as channel:
        stub = referrals_pb2_grpc.ReferralsServiceStub(channel)
        requests = {name: referrals_pb2.SearchServicesRequest(**fields, limit=20) for name, fields in QUERIES.items()}
        for request in list(requests.values()) * 20:  # warm-up: connections, caches, plans
            await stub.SearchServices(request, metadata=metadata, timeout=10)
        timings: dict[str, list[float]] = {name: [] for name in requests}
        found: dict[str, int] = {}
        cpu_before = cpu_seconds(server_pids)
        for _ in range(rounds):  # interleaved, so drift hits every query alike
            for name, request in requests.items():
                started = time.perf_counter()
                response = await stub.SearchServices(request, metadata=metadata, timeout=10)
                timings[name].append((time.perf_counter() - started) * 1000)
                found[name] = len(response.services)
    server_cpu_ms = (cpu_seconds(server_pids) - cpu_before) * 1000 / (rounds * len(requests))
    everything = [t for values in timings.values() for t in values]
    for name, values in timings.items():
        results[name] = {
            "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 0.95), 2),
            "max_ms": round(max(values), 2),
            "results": found[name],
        }
    results["all searches"] = {
        "p50_ms": round(statistics.median(everything), 2),
        "p95_ms": round(percentile(everything, 0.95), 2),
        "max_ms": round(max(everything), 2),
        "results": None,
    }
    results["server CPU per search (ms)"] = round(server_cpu_ms, 2)
    return results


def run_store(store: str, args, root: Path) -> dict:
    workdir = root / store
    workdir.mkdir()
    nats = NatsServer(workdir / "nats", free_port()).start()
    postgres = None
    process = None
    try:
        if store == "postgresql":
            postgres = PostgresServer(workdir / "postgres", free_port()).start()
            database_url = postgres.create_database("bench")
        else:
            database_url = f"sqlite+aiosqlite:///{workdir / 'referrals.db'}"
        load_seconds = asyncio.run(load(database_url, args.services))
        private, public = generate_signing_keypair()
        (workdir / "issuer.pub.pem").write_bytes(public)
        token = TokenIssuer(private, issuer="hotline-embedded", audience="hotline").issue(
            subject="bench-operator", role=Role.OPERATOR, name="bench"
        )
        process, target = start_referrals(workdir, database_url, nats.url, workdir / "issuer.pub.pem")
        server_pids = [process.pid] + ([postgres.process.pid] if postgres is not None else [])
        results = asyncio.run(measure(target, token, args.rounds, server_pids))
        return {
            "store": store,
            "services": args.services,
            "rounds": args.rounds,
            "load_seconds": round(load_seconds, 1),
            "queries": results,
        }
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        if postgres is not None:
            postgres.stop()
        nats.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=300, help="requests per query kind")
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, databases)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="directory-bench-"))
    stores = ["sqlite", "postgresql"] if args.store == "both" else [args.store]
    load_before = os.getloadavg()
    runs = []
    try:
        for store in stores:
            runs.append(run_store(store, args, root))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    for run in runs:
        print(
            f"\n{run['store']}: {run['services']} services (loaded in {run['load_seconds']} s), "
            f"{run['rounds']} requests per query, one client, real gRPC"
        )
        print(f"  {'query':38} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'found':>6}")
        queries = dict(run["queries"])
        server_cpu = queries.pop("server CPU per search (ms)")
        for name, figures in queries.items():
            found = "" if figures["results"] is None else figures["results"]
            print(f"  {name:38} {figures['p50_ms']:8.2f} {figures['p95_ms']:8.2f} {figures['max_ms']:8.2f} {found:>6}")
        print(
            f"  server CPU per search (referrals{' + PostgreSQL' if run['store'] == 'postgresql' else ''}): "
            f"{server_cpu:.2f} ms"
        )
    print(f"\nload average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"directory-search-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"runs": runs, "load_before": load_before, "load_after": os.getloadavg()}, indent=2))
    print(f"results: {path}")


if __name__ == "__main__":
    main()
