"""Engines and sessions. SQLite runs in WAL mode with immediate transactions so that
concurrent writers queue instead of failing (read-only ones read beside them);
PostgreSQL runs on asyncpg."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

CONNECT_TIMEOUT = 5  # seconds to open a connection
STATEMENT_TIMEOUT = 10  # seconds any one statement may take
POOL_TIMEOUT = 5  # seconds to wait for a free pooled connection
READ_ONLY = "wowbot_read_only"  # an execution option: this transaction only reads


def async_url(url: str) -> str:
    """Accept the plain URLs people write and pick the async driver."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    url = async_url(url)
    # A failed statement's parameters (an auth header, a response_url) stay out of its error.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # NORMAL is crash-safe in WAL mode (a power cut may lose the last commits).
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(conn: Any) -> None:
            # A reader (`SqlUnitOfWork.reading`) reads a snapshot beside the one writer
            # (WAL); a writer takes the write lock from its first statement.
            read_only = conn.get_execution_options().get(READ_ONLY)
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # A stalled link must fail, not hang: bounded connects, statements and pool waits.
    kwargs.setdefault("pool_timeout", POOL_TIMEOUT)
    if url.startswith("postgresql+asyncpg"):
        connect_args = kwargs.setdefault("connect_args", {})
        connect_args.setdefault("timeout", CONNECT_TIMEOUT)
        connect_args.setdefault("command_timeout", STATEMENT_TIMEOUT)
    return create_async_engine(url, **kwargs)


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database could not be reached (refused, dropped, stalled),
    as opposed to a statement it refused."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, exc.OperationalError | exc.InterfaceError | exc.TimeoutError):
        return True
    if isinstance(error, exc.DBAPIError):
        return is_unavailable(error.orig) if error.orig is not None else False
    return (
        isinstance(error, OSError | TimeoutError | ConnectionError)
        or type(error).__name__ in UNAVAILABLE_DRIVER_ERRORS
    )


# asyncpg's own names for a lost or unusable connection (checked by name: the driver is optional).
UNAVAILABLE_DRIVER_ERRORS = {
    "ConnectionDoesNotExistError",
    "ConnectionFailureError",
    "InterfaceError",
    "CannotConnectNowError",
    "TooManyConnectionsError",
    "AdminShutdownError",
    "CrashShutdownError",
}


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
