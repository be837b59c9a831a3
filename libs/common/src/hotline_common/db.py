"""Async SQLAlchemy: one engine per process, short transactions, UTC everywhere.

SQLite is the embedded default: WAL (readers never wait), and the process's writers queue on an
asyncio lock, because SQLite has one writer and its own busy handler waits by sleeping in growing
steps. PostgreSQL (asyncpg) is the production store.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any, cast

import uuid6
from sqlalchemy import DateTime, FromClause, TableClause, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult, Dialect, Result, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator


def new_id() -> str:
    """UUIDv7: time-ordered, so primary keys and event ids sort by creation."""
    return str(uuid6.uuid7())


def utcnow() -> datetime:
    return datetime.now(UTC)


async def insert_ignoring_conflict(
    session: AsyncSession, table: FromClause, values: dict[str, Any], key: list[str]
) -> bool:
    """INSERT .. ON CONFLICT DO NOTHING on SQLite and PostgreSQL; True if a row was inserted.
    `table`: a Table, or a model's `__table__` (which SQLAlchemy types as any FromClause)."""
    if not isinstance(table, TableClause):
        raise TypeError(f"insert_ignoring_conflict needs a table, not {type(table).__name__}")
    insert_fn = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    result = await session.execute(insert_fn(table).values(**values).on_conflict_do_nothing(index_elements=key))
    return rowcount(result) == 1


def rowcount(result: Result[Any]) -> int:
    """The rows an INSERT, UPDATE or DELETE matched. `session.execute()` is typed as returning any
    Result; for these statements it is a CursorResult, which has the count."""
    return cast(CursorResult[Any], result).rowcount


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always returns aware datetimes (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store UTC-aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: object) -> None:  # the driver's own connection
        # Let SQLAlchemy's "begin" hook below emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


class Database:
    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo}
        if self.dialect == "postgresql":
            # A server restart or a proxy drops connections; check each one as it is taken.
            kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
        self._commit_listeners: list[Callable[[], None]] = []
        # One writer at a time in this process (SQLite only); another process still meets the
        # busy timeout.
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False, info={"database": self})

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def on_outbox_commit(self, listener: Callable[[], None]) -> None:
        """Called after a transaction that wrote outbox rows commits (wakes the relay)."""
        self._commit_listeners.append(listener)

    def _notify_outbox_commit(self) -> None:
        for listener in self._commit_listeners:
            listener()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: the state change and its outbox rows commit together or not at all."""
        async with self._writer_turn(), self.sessionmaker() as session, session.begin():
            yield session

    @contextlib.asynccontextmanager
    async def _writer_turn(self) -> AsyncIterator[None]:
        if self._write_lock is None:
            yield
            return
        async with self._write_lock:
            yield

    @contextlib.asynccontextmanager
    async def reader(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("outbox_dirty", False):
        database = session.info.get("database")
        if database is not None:
            database._notify_outbox_commit()
