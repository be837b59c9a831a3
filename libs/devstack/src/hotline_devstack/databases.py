"""Fresh databases for tests, each at a service's newest migration, without running Alembic per test.

Alembic runs once per service and store in a test process, into a template; each test's database is
then a copy of it: a file copy for SQLite, `CREATE DATABASE … TEMPLATE` for PostgreSQL. The copy is
exactly what the migrations made (they ran, for real, into the template), at a fraction of the cost:
the suite creates some 600 databases."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import URL, make_url

from hotline_common.migrations import upgrade

_lock = threading.Lock()
_templates: dict[tuple[str, str], str] = {}  # (migrations, server or "sqlite") -> template file or database
_template_dir = tempfile.TemporaryDirectory(prefix="hotline-db-templates-")


def migrate_fresh(migrations: str, url: str) -> None:
    """Bring the (new, empty) database at `url` to head; a database that already holds tables is
    simply upgraded, as the service would. Runs in a thread of its own: Alembic runs an event loop,
    which it cannot inside a caller's (an async test, Playwright's sync API)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_migrate_fresh, migrations, url).result()


def _migrate_fresh(migrations: str, url: str) -> None:
    parsed = make_url(url)
    with _lock:
        if parsed.get_backend_name() == "sqlite":
            _sqlite_copy(migrations, url, Path(parsed.database or ""))
        elif parsed.get_backend_name() == "postgresql":
            _postgres_copy(migrations, url, parsed)
        else:
            upgrade(migrations, url)


def _sqlite_copy(migrations: str, url: str, path: Path) -> None:
    if path.exists() and path.stat().st_size > 0:
        upgrade(migrations, url)
        return
    key = (migrations, "sqlite")
    if key not in _templates:
        template = Path(_template_dir.name) / f"{migrations.replace(':', '-')}.db"
        upgrade(migrations, f"sqlite+aiosqlite:///{template}")
        _templates[key] = str(template)
    shutil.copyfile(_templates[key], path)


def _postgres_copy(migrations: str, url: str, parsed: URL) -> None:
    # Alembic runs its own event loop: the admin statements each get theirs, never around it.
    target = parsed.database or ""
    if asyncio.run(_count_tables(parsed, target)):
        upgrade(migrations, url)
        return
    key = (migrations, f"{parsed.host}:{parsed.port}")
    if key not in _templates:
        template = f"template_{migrations.split(':')[0]}_{uuid.uuid4().hex[:8]}"
        asyncio.run(_admin(parsed, f'CREATE DATABASE "{template}"'))
        upgrade(migrations, parsed.set(database=template).render_as_string(hide_password=False))
        _templates[key] = template
    asyncio.run(_admin(parsed, f'DROP DATABASE "{target}"', f'CREATE DATABASE "{target}" TEMPLATE "{_templates[key]}"'))


async def _connect(parsed: URL, database: str) -> asyncpg.Connection:
    return await asyncpg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password, database=database
    )


async def _admin(parsed: URL, *statements: str) -> None:
    connection = await _connect(parsed, "postgres")
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _count_tables(parsed: URL, database: str) -> int:
    connection = await _connect(parsed, database)
    try:
        return int(await connection.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
    finally:
        await connection.close()
