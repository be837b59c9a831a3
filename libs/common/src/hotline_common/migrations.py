"""Alembic, driven from code: each service's migrations/env.py calls run_env(); the service
(or `<service> migrate`, or the Helm hook Job) calls upgrade()."""

from __future__ import annotations

import asyncio

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData, pool
from sqlalchemy.ext.asyncio import create_async_engine


def alembic_config(location: str, database_url: str) -> Config:
    """`location` is Alembic's "package:folder" form (e.g. "intake:migrations"): the revisions are
    package data of the installed service, never looked up in a source tree."""
    cfg = Config()
    cfg.set_main_option("script_location", location)
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(location: str, database_url: str, revision: str = "head") -> None:
    """Synchronous; call it from a thread when an event loop is already running."""
    command.upgrade(alembic_config(location, database_url), revision)


async def upgrade_async(location: str, database_url: str) -> None:
    await asyncio.to_thread(upgrade, location, database_url)


def run_env(target_metadata: MetaData) -> None:
    """Body of every service's migrations/env.py (online mode, async engine)."""
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:  # alembic_config() always sets it
        raise RuntimeError("the Alembic config has no sqlalchemy.url")

    def do_run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())
