"""The SQLAlchemy handle, the declarative base and small column types."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

from flask import has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, TypeDecorator, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (the only kind of datetime stored)."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always read back timezone-aware.

    SQLite keeps no zone; PostgreSQL would shift naive values. Storing UTC
    without zone on both keeps them identical.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):
    """Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.

    The sqlite3 module starts transactions only before data changes, so a
    SAVEPOINT would open (and its RELEASE commit) a transaction of its own:
    an article ingested inside a savepoint would be on disk before the unit
    of work that contains it commits. Foreign keys are enforced as well.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        _use_wal(cursor)
        cursor.close()


def map_sqlite_file(engine: Engine, size: int) -> None:
    """Each new connection of ``engine`` reads up to ``size`` bytes of the file through a
    memory map (``PRAGMA mmap_size``; see SQLITE_MMAP_SIZE in config.py). 0: read() calls."""
    if size <= 0:
        return

    @event.listens_for(engine, "connect")
    def _map(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA mmap_size={int(size)}")
        cursor.close()


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Write-ahead logging, so the app's readers never wait for a writer (the mode is
    kept in the file; in-memory databases ignore it). Another connection switching
    the mode at the same moment is harmless: the next connection tries again."""
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:
        pass


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """BEGIN IMMEDIATE for any unit that may write, plain BEGIN for reads.

    A deferred transaction that reads and then writes cannot wait for another
    writer: SQLite answers "database is locked" at once, whatever the busy
    timeout. Taking the write lock up front makes writers queue for it (the
    timeout applies), while GET requests, which only read, never take it.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN" if _reading_only() else "BEGIN IMMEDIATE")


_read_only: ContextVar[bool] = ContextVar("factcheck_read_only", default=False)


@contextmanager
def reading_only() -> Iterator[None]:
    """Units started inside only read: on SQLite they never wait for the write lock
    (commands that list or check, run while a worker holds it)."""
    token = _read_only.set(True)
    try:
        yield
    finally:
        _read_only.reset(token)


def _reading_only() -> bool:
    return _read_only.get() or (has_request_context() and request.method in ("GET", "HEAD", "OPTIONS"))
