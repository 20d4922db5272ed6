"""APScheduler wiring: thin jobs that call into the app. Every replica runs them; database
claims make each reminder and digest go out once."""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.bootstrap import App

log = logging.getLogger("wowbot.scheduler")
TICK_SECONDS = 15


def create_scheduler(app: App) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")

    async def due() -> None:
        await app.jobs.run_due(app.clock.now())

    async def deliver() -> None:
        await app.sender.deliver_due()

    # coalesce + max_instances=1: a slow run is never stacked, a missed run is not replayed
    # (the jobs themselves catch up on everything that fell due meanwhile).
    options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler.add_job(due, "interval", seconds=TICK_SECONDS, id="due", **options)
    scheduler.add_job(deliver, "interval", seconds=5, id="outbox", **options)
    return scheduler
