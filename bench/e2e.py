"""End-to-end benchmark: calls recorded through intake's HTTP API until reporting counts them.

    .venv/bin/python bench/e2e.py [--calls N] [--concurrency C] [--store sqlite|postgresql|both]

For each store, in a fresh temp dir, with its own NATS (and PostgreSQL):
1. a raw baseline without services: N x (insert one row in its own transaction + JetStream publish);
2. the whole system (four services): after a warm-up of C calls, N calls POSTed to intake at
   concurrency C, while reporting's statistics are polled to see when each call is counted.

Accept→counted latency is an estimate: call i (in order of acceptance) counts as "counted" at the
first poll whose calls_total reaches i+1. That assumes reporting counts calls in the order intake
accepted them, and is only as fine as the poll interval plus the poll's own duration.

The poll interval defaults to 100 ms, not less: one GET /statistics costs reporting ~15 ms of CPU
in the same event loop as its consumer, so tighter polling slows down what it measures (with
--poll-ms 20 the accept→counted p50 doubled on an idle 2-CPU machine).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from hotline_devstack.nats import NatsServer
from hotline_devstack.ports import free_port
from hotline_devstack.postgres import PostgresServer
from hotline_devstack.system import SERVICES, System, SystemConfig
from hotline_devstack.testing import bearer, sign_in
from intake.contact.schemas import CALLER_ROLES, PURPOSES

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_POLL_MS = 100
# Give up waiting for reporting when calls_total has not moved for this long.
STALL_TIMEOUT = 60.0
RAW_STREAM, RAW_SUBJECT = "BENCHRAW", "benchraw.call"


# ---------------------------------------------------------------- figures


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(latencies_s: list[float], count: int, elapsed_s: float) -> dict:
    return {
        "count": count,
        "elapsed_s": round(elapsed_s, 3),
        "throughput_per_s": round(count / elapsed_s, 1) if elapsed_s > 0 else None,
        "p50_ms": _ms(percentile(latencies_s, 50)),
        "p99_ms": _ms(percentile(latencies_s, 99)),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def call_body(i: int) -> dict:
    # Cycle through every code so reporting's GROUP BYs see realistic variety.
    return {
        "line": "152",
        "caller_role": CALLER_ROLES[i % len(CALLER_ROLES)],
        "purpose": PURPOSES[i % len(PURPOSES)],
        "note": "benchmark call",
    }


async def run_concurrently(n: int, concurrency: int, operation) -> None:
    """operation(i) for i in range(n), at most `concurrency` at a time (a fixed set of workers)."""
    next_index = iter(range(n))

    async def worker():
        for i in next_index:  # a shared iterator: each index goes to exactly one worker
            await operation(i)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


# ---------------------------------------------------------------- raw baseline


async def raw_baseline(
    store: str, n: int, concurrency: int, nats_url: str, *, pg: PostgresServer | None, sqlite_path: Path | None
) -> dict:
    """What the store and JetStream manage without any service: insert + publish per call."""
    import nats

    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        await js.add_stream(name=RAW_STREAM, subjects=["benchraw.>"])
        if store == "postgresql":
            insert, close = await _postgres_inserter(pg, concurrency)
        else:
            insert, close = await _sqlite_inserter(sqlite_path)
        try:
            latencies: list[float] = []

            async def one(i: int) -> None:
                started = time.perf_counter()
                call_id = str(uuid.uuid4())
                body = call_body(i)
                await insert(call_id, body)
                await js.publish(
                    RAW_SUBJECT, json.dumps({"id": call_id, **body}).encode(), headers={"Nats-Msg-Id": call_id}
                )
                latencies.append(time.perf_counter() - started)

            started = time.perf_counter()
            await run_concurrently(n, concurrency, one)
            return summary(latencies, len(latencies), time.perf_counter() - started)
        finally:
            await close()
    finally:
        await nc.close()


RAW_TABLE = (
    "CREATE TABLE raw_calls (id TEXT PRIMARY KEY, line TEXT NOT NULL, caller_role TEXT NOT NULL, "
    "purpose TEXT NOT NULL, note TEXT NOT NULL, recorded_at TEXT NOT NULL)"
)


async def _postgres_inserter(pg: PostgresServer, concurrency: int):
    import asyncpg

    dsn = pg.create_database("bench_raw").replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(dsn, min_size=concurrency, max_size=concurrency)
    await pool.execute(RAW_TABLE)

    async def insert(call_id: str, body: dict) -> None:
        # Outside an explicit transaction each statement commits on its own: one row per transaction.
        await pool.execute(
            "INSERT INTO raw_calls VALUES ($1, $2, $3, $4, $5, $6)",
            call_id,
            body["line"],
            body["caller_role"],
            body["purpose"],
            body["note"],
            _now(),
        )

    return insert, pool.close


async def _sqlite_inserter(path: Path):
    import aiosqlite

    # One connection: SQLite has a single writer anyway, and queueing on one connection avoids
    # busy-timeout sleeps. WAL + synchronous=NORMAL as the services configure it.
    db = await aiosqlite.connect(path, isolation_level=None)
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("PRAGMA synchronous=NORMAL")
    await db.execute(RAW_TABLE)

    async def insert(call_id: str, body: dict) -> None:
        # Autocommit mode: each INSERT is its own transaction.
        await db.execute(
            "INSERT INTO raw_calls VALUES (?, ?, ?, ?, ?, ?)",
            (call_id, body["line"], body["caller_role"], body["purpose"], body["note"], _now()),
        )

    return insert, db.close


def _now() -> str:
    return datetime.now(UTC).isoformat()


# ---------------------------------------------------------------- through the services


@dataclass
class Load:
    sent: list[float] = field(default_factory=list)  # perf_counter when each request was sent
    accepted: list[float] = field(default_factory=list)  # ... and when its 201 arrived
    failures: list[str] = field(default_factory=list)


@dataclass
class Polls:
    target: int  # calls_total at which every accepted call is counted
    interval: float  # seconds between poll starts
    samples: list[tuple[float, int]] = field(default_factory=list)  # (response arrived, calls_total)
    errors: int = 0
    stalled: bool = False


async def record_calls(
    client: httpx.AsyncClient, intake: str, operator: dict, n: int, concurrency: int, load: Load
) -> None:
    async def one(i: int) -> None:
        sent = time.perf_counter()
        try:
            response = await client.post(f"{intake}/api/v1/contacts", json=call_body(i), headers=operator)
        except httpx.HTTPError as exc:
            load.failures.append(type(exc).__name__)
            return
        if response.status_code != 201:
            load.failures.append(f"HTTP {response.status_code}: {response.text[:200]}")
            return
        load.sent.append(sent)
        load.accepted.append(time.perf_counter())

    await run_concurrently(n, concurrency, one)


async def calls_total(client: httpx.AsyncClient, reporting: str, director: dict) -> int:
    response = await client.get(f"{reporting}/api/v1/statistics", headers=director)
    response.raise_for_status()
    return response.json()["calls_total"]


async def poll_counted(
    client: httpx.AsyncClient, reporting: str, director: dict, polls: Polls, load_done: asyncio.Event
) -> None:
    """Poll until calls_total reaches the target, or until it stops moving after the load ended."""
    last_total, last_change = -1, time.perf_counter()
    while True:
        started = time.perf_counter()
        try:
            total = await calls_total(client, reporting, director)
        except httpx.HTTPError:
            polls.errors += 1
        else:
            polls.samples.append((time.perf_counter(), total))
            if total >= polls.target:
                return
            if total != last_total:
                last_total, last_change = total, time.perf_counter()
        if load_done.is_set() and time.perf_counter() - last_change > STALL_TIMEOUT:
            polls.stalled = True
            return
        # Fixed cadence: a slow poll is followed by the next one at once.
        await asyncio.sleep(max(0.0, polls.interval - (time.perf_counter() - started)))


def counted_latencies(accepted: list[float], samples: list[tuple[float, int]], baseline: int) -> list[float]:
    """Per call (in acceptance order): first poll that saw it counted, minus when it was accepted."""
    latencies, s = [], 0
    for i, accepted_at in enumerate(sorted(accepted)):
        while s < len(samples) and samples[s][1] - baseline < i + 1:
            s += 1
        if s == len(samples):
            break  # never counted (stall)
        # A poll can beat the 201 to the client by a hair; that is "no delay", not a negative one.
        latencies.append(max(0.0, samples[s][0] - accepted_at))
    return latencies


async def warm_up(client, intake, reporting, operator, director, concurrency: int) -> int:
    """A few calls first, so connections, caches and consumers are warm; returns the counted total."""
    before = await calls_total(client, reporting, director)
    warm = Load()
    await record_calls(client, intake, operator, concurrency, concurrency, warm)
    if warm.failures:
        raise RuntimeError(f"warm-up calls failed: {warm.failures[:3]}")
    deadline = time.perf_counter() + STALL_TIMEOUT
    while (total := await calls_total(client, reporting, director)) < before + concurrency:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"warm-up calls not counted in reporting ({total - before}/{concurrency})")
        await asyncio.sleep(0.05)
    return total


async def service_bench(
    system: System, n: int, concurrency: int, poll_interval: float, operator: dict, director: dict
) -> dict:
    intake, reporting = system.http_url("intake"), system.http_url("reporting")
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    # The poller has its own connection so it never queues behind the load for a pooled one.
    async with httpx.AsyncClient(limits=limits, timeout=60) as client, httpx.AsyncClient(timeout=60) as poller:
        baseline = await warm_up(client, intake, reporting, operator, director, concurrency)
        load, polls, load_done = Load(), Polls(target=baseline + n, interval=poll_interval), asyncio.Event()
        polling = asyncio.create_task(poll_counted(poller, reporting, director, polls, load_done))
        started = time.perf_counter()
        try:
            await record_calls(client, intake, operator, n, concurrency, load)
        finally:
            # Rejected calls are never counted: wait only for the accepted ones.
            polls.target = baseline + len(load.accepted)
            load_done.set()
        await polling
    return service_figures(load, polls, baseline, started)


def service_figures(load: Load, polls: Polls, baseline: int, started: float) -> dict:
    ok = len(load.accepted)
    accept_latencies = [a - s for s, a in zip(load.sent, load.accepted, strict=False)]
    counted = counted_latencies(load.accepted, polls.samples, baseline)
    first_accept = min(load.accepted, default=started)
    all_counted_at = polls.samples[-1][0] if polls.samples and not polls.stalled else None
    final_total = polls.samples[-1][1] - baseline if polls.samples else 0
    accept = summary(accept_latencies, ok, (max(load.accepted) - started) if ok else 0.0)
    end_to_end = summary(counted, len(counted), (all_counted_at - first_accept) if all_counted_at else 0.0)
    # Defined over all accepted calls: no end-to-end throughput unless every one was counted.
    if not all_counted_at:
        end_to_end["throughput_per_s"] = None
    return {
        "accepted": ok,
        "failed": len(load.failures),
        "failure_samples": sorted(set(load.failures))[:5],
        "counted": final_total,
        "stalled": polls.stalled,
        "polls": len(polls.samples),
        "poll_errors": polls.errors,
        "mean_poll_interval_ms": _mean_interval_ms(polls.samples),
        "accept": accept,
        "accept_to_counted": end_to_end,
    }


def _mean_interval_ms(samples: list[tuple[float, int]]) -> float | None:
    if len(samples) < 2:
        return None
    return round((samples[-1][0] - samples[0][0]) / (len(samples) - 1) * 1000, 1)


# ---------------------------------------------------------------- one store, start to stop


def start_system(data_dir: Path, nats_url: str, pg: PostgresServer | None) -> System:
    databases = {s: pg.create_database(f"bench_{s}") for s in SERVICES} if pg else {}
    config = SystemConfig(
        data_dir=data_dir,
        ports={s: (free_port(), free_port()) for s in SERVICES},
        nats_url=nats_url,
        namespace="bench",
        database_urls=databases,
        extra_env={"LOG_LEVEL": "WARNING"},
    )
    system = System(config)
    try:
        return system.start()
    except BaseException:
        system.stop()  # start() may fail half-way: stop what did start
        raise


@contextlib.contextmanager
def sigint_ignored():
    """A second Ctrl-C during cleanup would otherwise leave servers running."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def machine_busy_seconds() -> float | None:
    """CPU time every process on the machine has used since boot (Linux only)."""
    try:
        # First line: "cpu  user nice system idle iowait irq softirq ..." in clock ticks.
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[1:8])
    except (OSError, ValueError):
        return None
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    # Children count once waited for: by then System.stop() and friends have reaped every one.
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def bench_store(store: str, root: Path, n: int, concurrency: int, poll_interval: float) -> dict:
    """One store, with a note of how much CPU other work on the machine took meanwhile."""
    busy, own, wall = machine_busy_seconds(), own_cpu_seconds(), time.perf_counter()
    result = run_store(store, root, n, concurrency, poll_interval)
    wall, own = time.perf_counter() - wall, own_cpu_seconds() - own
    others = machine_busy_seconds() - busy - own if busy is not None else None
    result["cpu"] = {
        "wall_s": round(wall, 1),
        "bench_cpu_s": round(own, 1),
        "other_processes_cpu_s": None if others is None else round(max(0.0, others), 1),
    }
    return result


def run_store(store: str, root: Path, n: int, concurrency: int, poll_interval: float) -> dict:
    data_dir = root / store
    nats_server = pg = system = None
    try:
        print(f"[{store}] starting NATS{' and PostgreSQL' if store == 'postgresql' else ''} in {data_dir}", flush=True)
        nats_server = NatsServer(data_dir / "nats", free_port()).start()
        if store == "postgresql":
            pg = PostgresServer(data_dir / "postgres", free_port()).start()

        print(f"[{store}] raw baseline: {n} x insert + publish at concurrency {concurrency}", flush=True)
        raw = asyncio.run(raw_baseline(store, n, concurrency, nats_server.url, pg=pg, sqlite_path=data_dir / "raw.db"))

        print(f"[{store}] starting the four services", flush=True)
        started = time.perf_counter()
        system = start_system(data_dir / "system", nats_server.url, pg)
        startup_s = time.perf_counter() - started
        intake = system.http_url("intake")
        operator, director = bearer(sign_in(intake, "operator")), bearer(sign_in(intake, "director"))

        print(f"[{store}] services: {n} calls at concurrency {concurrency}", flush=True)
        service = asyncio.run(service_bench(system, n, concurrency, poll_interval, operator, director))
        return {
            "store": store,
            "system_startup_s": round(startup_s, 1),
            "raw": raw,
            "service": service,
            "ratios": ratios(service, raw),
        }
    finally:
        with sigint_ignored():
            for running in (system, pg, nats_server):
                if running is not None:
                    running.stop()


def ratios(service: dict, raw: dict) -> dict:
    def ratio(value):
        return round(value / raw["throughput_per_s"], 3) if value and raw["throughput_per_s"] else None

    return {
        "recording_vs_raw": ratio(service["accept"]["throughput_per_s"]),
        "end_to_end_vs_raw": ratio(service["accept_to_counted"]["throughput_per_s"]),
    }


# ---------------------------------------------------------------- output


def format_table(results: list[dict], args: argparse.Namespace) -> str:
    def cell(value, unit=""):
        return "-" if value is None else f"{value:,.1f}{unit}"

    def percent(ratio):
        return "-" if ratio is None else f"{ratio:.1%}"

    n = args.calls
    lines = [
        f"End-to-end benchmark: {n} calls, concurrency {args.concurrency}, {os.cpu_count()} CPUs, "
        f"statistics polled every {args.poll_ms:.0f} ms",
        "",
    ]
    header = f"{'store':<11} {'measure':<36} {'calls':>6} {'calls/s':>9} {'p50 ms':>9} {'p99 ms':>9}"
    lines += [header, "-" * len(header)]
    for result in results:
        store = result["store"]
        if "error" in result:
            lines.append(f"{store:<11} FAILED: {result['error']}")
            continue
        service = result["service"]
        rows = [
            ("raw insert+publish (no services)", result["raw"]),
            ("service: accept (HTTP 201)", service["accept"]),
            ("service: accept→counted (estimate)", service["accept_to_counted"]),
        ]
        for label, figures in rows:
            lines.append(
                f"{store:<11} {label:<36} {figures['count']:>6} {cell(figures['throughput_per_s']):>9} "
                f"{cell(figures['p50_ms']):>9} {cell(figures['p99_ms']):>9}"
            )
        r = result["ratios"]
        lines.append(
            f"{'':<11} service/raw throughput: recording {percent(r['recording_vs_raw'])}, "
            f"end-to-end {percent(r['end_to_end_vs_raw'])}"
        )
        cpu = result["cpu"]
        if cpu["other_processes_cpu_s"] is not None:
            lines.append(
                f"{'':<11} CPU: this benchmark {cpu['bench_cpu_s']:.0f} s, other processes "
                f"{cpu['other_processes_cpu_s']:.0f} s, in {cpu['wall_s']:.0f} s on {os.cpu_count()} CPUs"
            )
        lines.append(
            f"{'':<11} failed {service['failed']}, counted {service['counted']}/{n}"
            f"{' (STALLED)' if service['stalled'] else ''}, {service['polls']} polls "
            f"every {cell(service['mean_poll_interval_ms'], ' ms')}, {service['poll_errors']} poll errors"
        )
        for sample in service["failure_samples"]:
            lines.append(f"{'':<11} failure: {sample}")
        lines.append("")
    lines.append(
        "calls/s: raw = N / wall time; accept = accepted / (last 201 - first request sent); "
        "accept→counted = accepted / (all counted - first 201)."
    )
    lines.append(
        f"accept→counted latency is an estimate: it assumes FIFO counting and resolves "
        f"~{args.poll_ms:.0f} ms plus one poll's duration."
    )
    return "\n".join(lines)


def write_json(results: list[dict], args: argparse.Namespace, duration_s: float, load_before: list[float]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"e2e-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "finished_at": datetime.now(UTC).isoformat(),
                "calls": args.calls,
                "concurrency": args.concurrency,
                "duration_s": round(duration_s, 1),
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    # Other work on the machine skews every figure: a high load average says so.
                    "loadavg_before": load_before,
                    "loadavg_after": load_average(),
                },
                "poll_interval_ms": args.poll_ms,
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    return path


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls to record per store (default 2000)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight (default 32)")
    parser.add_argument("--store", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--poll-ms",
        type=float,
        default=DEFAULT_POLL_MS,
        help="statistics poll interval (default 100; see the module docstring)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, databases) afterwards")
    args = parser.parse_args(argv)
    if args.calls < 1 or args.concurrency < 1 or args.poll_ms <= 0:
        parser.error("--calls, --concurrency and --poll-ms must be positive")
    return args


def main() -> int:
    args = parse_args()
    stores = ("sqlite", "postgresql") if args.store == "both" else (args.store,)
    root = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    results = []
    load_before = load_average()
    started = time.perf_counter()
    try:
        for store in stores:
            try:
                results.append(bench_store(store, root, args.calls, args.concurrency, args.poll_ms / 1000))
            except Exception as exc:  # noqa: BLE001 - report it and go on with the next store
                # The logs in the kept temp dir explain this one.
                print(f"[{store}] failed: {exc}\n  logs: {root / store / 'system' / 'logs'}", file=sys.stderr)
                error = f"{type(exc).__name__}: {exc}".splitlines()[0]
                results.append({"store": store, "data_dir": str(root / store), "error": error})
    except KeyboardInterrupt:
        # bench_store has stopped whatever it started before this arrives here.
        print(f"\nInterrupted; all servers stopped. Data left in {root}", file=sys.stderr)
        return 130
    keep = args.keep or any("error" in r for r in results)
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    duration = time.perf_counter() - started
    print("\n" + format_table(results, args))
    path = write_json(results, args, duration, load_before)
    print(f"Load average (1/5/15 min) before: {load_before}, after: {load_average()}")
    print(f"\nTook {duration:.0f} s. JSON: {path}" + (f"; data kept in {root}" if keep else ""))
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
