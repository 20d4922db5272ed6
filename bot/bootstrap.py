"""The composition root: the one place that wires storage, the core and the adapters."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.core import money
from bot.core.ports import Clock, Directory, JsonFetcher, Messenger
from bot.delivery import CONCURRENCY, OutboxSender
from bot.handlers.dispatch import Bot
from bot.handlers.feedback_polling import FeedbackPoller
from bot.handlers.jobs import Jobs
from bot.handlers.kpi_polling import KpiPoller
from bot.httpfetch import HttpJsonFetcher
from bot.inbox import Inbox
from bot.priority import AcksFirst
from bot.storage.engine import create_engine, session_factory
from bot.storage.migrate import upgrade
from bot.storage.turns import Turns
from bot.storage.uow import SqlUnitOfWork

log = logging.getLogger("wowbot")


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    bot: Bot
    jobs: Jobs
    sender: OutboxSender
    inbox: Inbox
    clock: Clock
    uow: Callable[[], SqlUnitOfWork]

    async def tick(self) -> None:
        """Run what fell due, then deliver what is queued."""
        await self.jobs.run_due(self.clock.now())
        await self.sender.deliver_due()

    async def healthy(self, timeout: float = 1.5) -> bool:
        """Whether the database answers, within `timeout` seconds (a stalled link is as
        down as a refused one)."""

        async def ping() -> None:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        try:
            await asyncio.wait_for(ping(), timeout)
            return True
        except TimeoutError:
            log.warning("database health check: no answer within %s s", timeout)
            return False
        except Exception as error:
            log.warning("database health check failed: %s", error)
            return False

    async def close(self) -> None:
        await self.engine.dispose()


async def build_app(
    settings: Settings,
    *,
    messenger: Messenger,
    directory: Directory,
    clock: Clock | None = None,
    migrate: bool = True,
    fetcher: JsonFetcher | None = None,
    sends_at_once: int = CONCURRENCY,
) -> App:
    money.warm()  # Babel reads its data on first use: not in a member's command
    engine = create_engine(settings.wowbot_database_url)
    if migrate:
        await upgrade(engine)
    sessions = session_factory(engine)
    # SQLite: this process's transactions queue for the one write lock (see Turns).
    turns = Turns() if engine.dialect.name == "sqlite" else None

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions, turns)

    clock = clock or SystemClock()
    core = settings.core()
    fetcher = fetcher or HttpJsonFetcher()
    acks = AcksFirst()  # shared: while a burst is acknowledged, its work and sends wait
    return App(
        settings=settings,
        engine=engine,
        bot=Bot(uow=uow, directory=directory, clock=clock, settings=core),
        jobs=Jobs(
            uow,
            core,
            KpiPoller(uow, fetcher),
            FeedbackPoller(uow, fetcher, directory, core),
        ),
        sender=OutboxSender(uow, messenger, clock, acks=acks, concurrency=sends_at_once),
        inbox=Inbox(uow, clock, acks=acks),
        clock=clock,
        uow=uow,
    )
