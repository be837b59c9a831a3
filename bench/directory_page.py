"""The keepers' directory page `/directory` at 10,000 services: p50/p95 and size of the paged HTML
page (50 entries) over real HTTP, against the unpaged organisations list (the whole directory, what
the page used to render), on SQLite and PostgreSQL. A script, not a test.

    .venv/bin/python bench/directory_page.py [--services 10000] [--rounds 40] [--store sqlite|postgresql|both]
                                             [--no-unpaged]

The directory is loaded as bench/directory_search.py loads it (same synthetic data); a referrals
process is started on it and asked by one client, one request at a time, after a warm-up. Results
also go to bench/results/directory-page-<timestamp>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from directory_search import RESULTS_DIR, load, percentile

from hotline_common.auth import SESSION_COOKIE, Role, TokenIssuer, generate_signing_keypair
from hotline_devstack.nats import NatsServer
from hotline_devstack.ports import free_port, wait_for_port
from hotline_devstack.postgres import PostgresServer

REQUESTS = {
    "page 1": "/directory",
    "page 100": "/directory?page=100",
    "last page": "/directory?page=200",
    "filtered (shelters in Baku), page 1": "/directory?service_type=shelter&region=Baku",
    "filtered (name contains 'psix'), page 2": "/directory?text=psix&page=2",
    "unpaged list (GET /api/v1/organisations, JSON)": "/api/v1/organisations",
}


def start(workdir: Path, database_url: str, nats_url: str, public_key: Path) -> tuple[subprocess.Popen, str]:
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
    wait_for_port(http_port, "127.0.0.1", 60)
    return process, f"http://127.0.0.1:{http_port}"


def measure(base: str, token: str, rounds: int, unpaged: bool = True) -> dict:
    results = {}
    requests = {name: path for name, path in REQUESTS.items() if unpaged or not path.startswith("/api/")}
    with httpx.Client(
        base_url=base, cookies={SESSION_COOKIE: token}, headers={"Authorization": f"Bearer {token}"}, timeout=120
    ) as client:
        for path in requests.values():  # warm-up
            client.get(path).raise_for_status()
        timings = {name: [] for name in requests}
        sizes = {}
        for _ in range(rounds):
            for name, path in requests.items():
                started = time.perf_counter()
                response = client.get(path)
                timings[name].append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                sizes[name] = len(response.content)
    for name, values in timings.items():
        results[name] = {
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "bytes": sizes[name],
        }
    return results


def run_store(store: str, args, root: Path) -> dict:
    workdir = root / store
    workdir.mkdir()
    nats = NatsServer(workdir / "nats", free_port()).start()
    postgres = process = None
    try:
        if store == "postgresql":
            postgres = PostgresServer(workdir / "postgres", free_port()).start()
            database_url = postgres.create_database("bench")
        else:
            database_url = f"sqlite+aiosqlite:///{workdir / 'referrals.db'}"
        asyncio.run(load(database_url, args.services))
        private, public = generate_signing_keypair()
        (workdir / "issuer.pub.pem").write_bytes(public)
        token = TokenIssuer(private, issuer="hotline-embedded", audience="hotline").issue(
            subject="bench-director", role=Role.DIRECTOR, name="bench"
        )
        process, base = start(workdir, database_url, nats.url, workdir / "issuer.pub.pem")
        return {
            "store": store,
            "services": args.services,
            "rounds": args.rounds,
            "requests": measure(base, token, args.rounds, not args.no_unpaged),
        }
    finally:
        if process is not None:
            process.terminate()
            process.wait(20)
        if postgres is not None:
            postgres.stop()
        nats.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--store", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--no-unpaged", action="store_true", help="skip the slow unpaged list")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-directory-page-"))
    try:
        runs = [
            run_store(store, args, root)
            for store in (("sqlite", "postgresql") if args.store == "both" else (args.store,))
        ]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    for run in runs:
        print(f"\n{run['store']}: {run['services']} services, {run['rounds']} rounds")
        for name, row in run["requests"].items():
            print(f"  {name:<50} p50 {row['p50_ms']:>8} ms  p95 {row['p95_ms']:>8} ms  {row['bytes']:>9} bytes")
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"directory-page-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(runs, indent=2))
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
