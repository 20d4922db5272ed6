"""Digests of many channels due the same minute, against Slack's per-channel limit.

`wowbot serve` as its own process with a local fake Slack Web API that answers 429
(`Retry-After: 1`) when a channel gets a second message within a second, as Slack does.
WORKSPACES × CHANNELS digest subscriptions fall due at the same minute; the workspaces
use the same channel ids, so each channel gets WORKSPACES digests: the floor is about
WORKSPACES - 1 seconds. Prints how long after the due minute the last digest was posted,
the 429s met, and the digests posted twice (0).

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/digests_due.py [workspaces] [channels]

The database's public schema is dropped and made again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.reminders import LimitedSlack, empty_and_upgrade, replica, serve, stop  # noqa: E402
from bench.slack_latency import free_port, wait_up  # noqa: E402
from bot.bootstrap import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.core.model import DigestSubscription  # noqa: E402
from bot.platforms import PlatformDirectory, PlatformMessenger  # noqa: E402


async def seed(url: str, workspaces: int, channels: int, due: dt.datetime) -> None:
    settings = load_settings(wowbot_database_url=url)
    app = await build_app(settings, messenger=PlatformMessenger(), directory=PlatformDirectory())
    try:
        async with app.uow() as uow:
            for w in range(workspaces):
                ws = await uow.workspaces.get_or_create("slack", f"T{w}", "UTC")
                for c in range(channels):
                    await uow.digests.save(
                        DigestSubscription(
                            id=0,
                            workspace_id=ws.id,
                            channel=f"C{c:03d}",
                            local_time=due.time(),
                            tz="UTC",
                            days=frozenset(range(7)),
                            created_at=due - dt.timedelta(days=1),
                        )
                    )
            await uow.commit()
    finally:
        await app.close()


async def main(workspaces: int, channels: int) -> None:
    url = await empty_and_upgrade()
    fake = LimitedSlack()
    runner, api_url = await serve(fake)

    now = dt.datetime.now(dt.UTC)
    due = (now + dt.timedelta(seconds=75)).replace(second=0, microsecond=0)
    due_mono = time.monotonic() + (due - now).total_seconds()
    await seed(url, workspaces, channels, due)
    log_path = os.environ.get("BENCH_BOT_LOG")
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
    port = free_port()
    bot = replica(url, api_url, port, log)
    wanted = workspaces * channels
    try:
        async with aiohttp.ClientSession() as session:
            await wait_up(session, f"http://127.0.0.1:{port}/slack/events")
        while len(fake.posted) < wanted and time.monotonic() - due_mono < 600:
            await asyncio.sleep(0.1)
        await asyncio.sleep(2)  # anything sent twice would come now
    finally:
        await stop([bot])
        await runner.cleanup()
    per_channel = Counter(channel for _, channel in fake.posted)
    last = max((t for t, _ in fake.posted), default=due_mono) - due_mono
    print(
        f"{wanted} digests due the same minute: {workspaces} workspaces × {channels} "
        f"channels, {workspaces} a channel, PostgreSQL"
    )
    print(f"  all posted by due + {last:.1f} s (floor {workspaces - 1} s at 1/s/channel)")
    print(
        f"  429s met: {fake.refused}; posted: {len(fake.posted)} "
        f"(twice: {max(0, len(fake.posted) - wanted)}; "
        f"channels with other than {workspaces}: "
        f"{sum(n != workspaces for n in per_channel.values())})"
    )


if __name__ == "__main__":
    numbers: list[Any] = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(numbers or [10, 50])))
