"""APScheduler wiring: thin jobs that call into the app. Every replica runs them; database
claims make each reminder and digest go out once."""

from __future__ import annotations

import asyncio
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
PLAN_AT_MOST_EVERY = 1.0  # seconds between two plans of the due job's next run


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


async def next_due(app: App, now: dt.datetime) -> dt.datetime | None:
    """The earliest moment after `now` anything falls due: a reminder, a nudge, an SLA
    nudge, a digest, or an outbox row (a retry, a conversation's pause ending)."""
    async with app.uow() as uow:
        outbox = await uow.outbox.next_due(now)
    moments = [m for m in (await app.jobs.next_moment(now), outbox) if m is not None]
    return min(moments, default=None)


class DueSoon:
    """Keeps the "due" job's next run at the moment the next thing falls due, so work
    starts on time rather than at the next tick. Planned after each run and after every
    change (a command that schedules something, a message put off); the job's interval,
    TICK_SECONDS, is the latest it runs (what another replica scheduled: that replica's
    own job normally runs it on time, and the claims make it run once)."""

    def __init__(self, app: App, scheduler: AsyncIOScheduler) -> None:
        self.app, self.scheduler = app, scheduler
        self._planning: asyncio.Task[None] | None = None
        self._again = False

    def wake(self) -> None:
        """Plan again soon. A burst of wakes makes one plan, plus one if more came meanwhile."""
        if self._planning is not None and not self._planning.done():
            self._again = True
            return
        self._planning = asyncio.get_running_loop().create_task(self._plan_while_woken())

    async def _plan_while_woken(self) -> None:
        while True:
            self._again = False
            await self.app.inbox.acks.wait()
            try:
                await self.plan()
            except Unavailable as error:  # the next run plans again
                log.warning("planning the next run: the database is not answering (%s)", error)
            except Exception:
                log.exception("planning the next run failed")
            if not self._again:
                return
            # Woken again meanwhile (a burst of commands): plan once more after a pause,
            # not once per command; a second or two late is still on time.
            await asyncio.sleep(PLAN_AT_MOST_EVERY)

    async def plan(self) -> None:
        at = await next_due(self.app, self.app.clock.now())
        job = self.scheduler.get_job("due")
        if at is not None and job is not None:
            current = getattr(job, "next_run_time", None)  # None: paused, or not added yet
            if current is None or at < current:
                self.scheduler.modify_job("due", next_run_time=at)


def create_scheduler(app: App) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    soon = DueSoon(app, scheduler)
    app.bot.on_change = soon.wake  # something may fall due sooner now
    app.sender.on_later = soon.wake  # a message was put off until a given time

    @quiet_when_down
    async def due() -> None:
        await app.inbox.acks.wait()
        await app.jobs.run_due(app.clock.now(), helpdesks=False)
        await app.sender.pick_up()  # what was just queued; each conversation sends on its own
        await soon.plan()

    @quiet_when_down
    async def helpdesks() -> None:  # apart from `due`: a slow helpdesk holds up nothing else
        await app.inbox.acks.wait()
        await app.jobs.feedback_sources(app.clock.now())
        await app.sender.pick_up()

    @quiet_when_down
    async def deliver() -> None:  # a net under the kicks and the plan: rows left by others
        await app.sender.pick_up()

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
    scheduler.add_job(
        due, "interval", seconds=TICK_SECONDS, id="due", next_run_time=now(), **options
    )
    scheduler.add_job(deliver, "interval", seconds=5, id="outbox", **options)
    scheduler.add_job(
        helpdesks, "interval", seconds=TICK_SECONDS, id="helpdesks", next_run_time=now(), **options
    )
    # Renews this process's leases and takes up requests a stopped or crashed one left;
    # the first run is at start-up.
    scheduler.add_job(
        inbox, "interval", seconds=INBOX_SECONDS, id="inbox", next_run_time=now(), **options
    )
    scheduler.add_job(prune, "interval", hours=1, id="inbox-prune", **options)
    return scheduler
