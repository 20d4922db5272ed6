"""APScheduler wiring: thin jobs that call into the app. Every replica runs them; database
claims make each reminder and digest go out once."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.bootstrap import App
from bot.core.errors import Unavailable

log = logging.getLogger("wowbot.scheduler")
TICK_SECONDS = 15
INBOX_SECONDS = 5  # well inside the inbox's lease


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def quiet_when_down(job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    """A job that finds the database down says so in one line and waits for its next run."""

    @functools.wraps(job)
    async def run() -> None:
        try:
            await job()
        except Unavailable as error:
            log.warning("%s: the database is not answering (%s)", job.__name__, error)

    return run


def create_scheduler(app: App) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")

    @quiet_when_down
    async def due() -> None:
        await app.inbox.acks.wait()
        await app.jobs.run_due(app.clock.now())

    @quiet_when_down
    async def deliver() -> None:
        await app.sender.deliver_due()

    @quiet_when_down
    async def inbox() -> None:
        await app.inbox.acks.wait()
        await app.sender.renew()
        await app.inbox.tick()

    @quiet_when_down
    async def prune() -> None:
        await app.inbox.acks.wait()
        await app.inbox.prune()

    # Each job starts once a burst's acknowledgements are out (`AcksFirst`); the sender
    # waits before each message. coalesce + max_instances=1: a slow run is never stacked,
    # a missed run is not replayed (the jobs catch up on everything that fell due meanwhile).
    options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler.add_job(due, "interval", seconds=TICK_SECONDS, id="due", **options)
    scheduler.add_job(deliver, "interval", seconds=5, id="outbox", **options)
    # Renews this process's leases and takes up requests a stopped or crashed one left;
    # the first run is at start-up.
    scheduler.add_job(
        inbox, "interval", seconds=INBOX_SECONDS, id="inbox", next_run_time=now(), **options
    )
    scheduler.add_job(prune, "interval", hours=1, id="inbox-prune", **options)
    return scheduler
