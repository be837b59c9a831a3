"""The access audit is append-only and hash-chained; verification names the first broken link.
On SQLite and PostgreSQL, with the database's own append-only triggers."""

import asyncio
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from hotline_devstack.testing import migrated_database, principal
from intake.audit import service as audit
from intake.database import MIGRATIONS


async def write_entries(db, n: int) -> None:
    for i in range(n):
        async with db.transaction() as session:
            await audit.record_access(
                session,
                principal("operator", subject=f"op-{i % 3}"),
                action="contact.read",
                record_type="contact",
                record_id=f"c{i}",
                interface="http",
                reason="callback",
            )


async def as_database_owner(db, *statements: str) -> None:
    """What someone with direct database access could do: switch the guard off and edit rows."""
    async with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            await conn.execute(text("ALTER TABLE access_audit DISABLE TRIGGER access_audit_append_only"))
        else:
            await conn.execute(text("DROP TRIGGER access_audit_no_update"))
            await conn.execute(text("DROP TRIGGER access_audit_no_delete"))
        for statement in statements:
            await conn.execute(text(statement))


async def test_an_untouched_chain_verifies(db):
    await write_entries(db, 25)
    assert await audit.verify_chain(db) == (25, None)
    async with db.reader() as session:
        newest = await audit.list_entries(session, principal("director"), limit=3)
    assert [e.seq for e in newest] == [25, 24, 23]


async def test_concurrent_reads_still_make_one_unbroken_chain(db):
    await asyncio.gather(*(write_entries(db, 5) for _ in range(6)))
    assert await audit.verify_chain(db) == (30, None)


async def test_the_database_refuses_updates_and_deletes(db):
    await write_entries(db, 2)
    for statement in ("UPDATE access_audit SET reason = 'nothing to see'", "DELETE FROM access_audit"):
        with pytest.raises(Exception, match="append-only"):
            async with db.engine.begin() as conn:
                await conn.execute(text(statement))
    assert await audit.verify_chain(db) == (2, None)


@pytest.mark.parametrize(
    "tampering, broken_seq, problem",
    [
        ("UPDATE access_audit SET reason = 'routine' WHERE seq = 4", 4, "changed after it was written"),
        ("UPDATE access_audit SET actor_id = 'someone-else' WHERE seq = 7", 7, "changed after it was written"),
        ("DELETE FROM access_audit WHERE seq = 5", 6, "an entry is missing"),
        ("DELETE FROM access_audit WHERE seq = 10", 10, "removed from the end"),
    ],
)
async def test_tampering_is_found_at_its_first_broken_link(db, tampering, broken_seq, problem):
    await write_entries(db, 10)
    await as_database_owner(db, tampering)
    _checked, broken = await audit.verify_chain(db)
    assert broken is not None and problem in str(broken)
    assert broken.seq == (10 if "end" in problem else broken_seq)


def test_verify_audit_command_reports_and_exits_nonzero_on_a_broken_chain(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}"

    async def prepare(break_it: bool):
        db = await migrated_database(MIGRATIONS, url)
        if break_it:
            await as_database_owner(db, "UPDATE access_audit SET record_id = 'c99' WHERE seq = 2")
        else:
            await write_entries(db, 3)
        await db.dispose()

    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": url,
        "HTTP_PORT": "1",
        "GRPC_PORT": "2",
        "ENCRYPTION_KEYRING": "k1:" + "A" * 43 + "=",
        "REFERRALS_GRPC_TARGET": "127.0.0.1:1",
        "AUTH_PUBLIC_KEY_FILE": os.devnull,
    }
    asyncio.run(prepare(False))
    done = subprocess.run([sys.executable, "-m", "intake", "verify-audit"], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "access audit intact: 3 entries" in done.stdout
    asyncio.run(prepare(True))
    done = subprocess.run([sys.executable, "-m", "intake", "verify-audit"], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert "BROKEN after 1 good entries: entry 2" in done.stdout and "changed after it was written" in done.stdout
