"""Migrations match the models; the database is created on start; timestamps stay UTC."""

from __future__ import annotations

import asyncio
import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage.engine import async_url, create_engine
from bot.storage.migrate import upgrade
from bot.storage.tables import Base
from tests.conftest import START, Harness


async def test_the_migrations_build_exactly_the_tables_the_models_describe(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade(engine)
    await upgrade(engine)  # running it again is harmless

    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as connection:
        assert await connection.run_sync(diff) == []
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    await engine.dispose()
    assert {"gifts", "followups", "outbox", "digest_runs", "alembic_version"} <= tables


async def test_the_scheduler_queries_have_indexes(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade(engine)

    def indexes(connection):
        inspector = inspect(connection)
        return {
            t: [tuple(i["column_names"]) for i in inspector.get_indexes(t)]
            for t in ("followups", "gifts", "outbox", "hero_moments")
        }

    async with engine.connect() as connection:
        found = await connection.run_sync(indexes)
    await engine.dispose()
    assert ("status", "reminded_at", "due_at") in found["followups"]
    assert ("status", "nudged_at", "nudge_due_at") in found["gifts"]
    assert ("status", "next_attempt_at") in found["outbox"]
    assert ("workspace_id", "created_at") in found["hero_moments"]


async def test_timestamps_come_back_aware_utc(harness: Harness) -> None:
    await harness.cmd("bob", "/wow followup Acme tomorrow 10am")
    async with harness.app.uow() as uow:
        followup = await uow.followups.get(1, 1)
    assert followup.due_at.tzinfo is not None
    assert followup.due_at.utcoffset() == dt.timedelta(0)
    assert followup.created_at == harness.clock.now()


def test_plain_database_urls_get_an_async_driver() -> None:
    assert async_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert async_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert async_url("sqlite+aiosqlite:///x.db") == "sqlite+aiosqlite:///x.db"


async def test_one_database_keeps_workspaces_apart(harness: Harness) -> None:
    await harness.cmd("bob", "/wow hero <@carol> fixed it")
    other = Harness(
        harness.app, harness.messenger, harness.clock, platform="teams", workspace="tenant-2"
    )
    assert "no hero moments yet" in await other.cmd("bob", "/wow leaderboard")
    assert "none" in await other.cmd("bob", "/wow gifts pending")
    assert "Carol: 1" in await harness.cmd("bob", "/wow leaderboard")


async def test_a_read_only_transaction_reads_beside_a_writer(harness: Harness) -> None:
    """On SQLite every writer takes its turn for the one write lock; the outbox's read of
    each message did too, behind handlers and claims. A reader reads the last committed
    state beside the writer (WAL) instead of waiting for it."""
    from bot.core.messages import Destination, Message, Outgoing

    await harness.cmd("bob", "/wow help")  # the workspace
    async with harness.app.uow() as writer:
        await writer.outbox.add(
            1, Outgoing(Message("hi"), Destination.to_channel("C1"), key="k"), START
        )
        await writer.session.flush()

        async def read() -> object:
            async with harness.app.uow().reading() as reader:
                return await reader.outbox.ref_of("k")

        # The writer holds its turn until it ends; a reader that waited for it would hang
        # here until the turn's 30 s ran out.
        assert await asyncio.wait_for(read(), 10) is None  # not committed yet
        await writer.commit()
    async with harness.app.uow().reading() as reader:
        assert await reader.outbox.ref_of("k") == ("pending", None)
