"""The outbox at Slack's speed limit: many messages to many channels at once.

A local fake Slack Web API answers 429 with `Retry-After: 1` when a channel gets a second
message within a second (as Slack does, "1 message per second per channel"). The bot's
outbox, with its real Slack messenger, sends CHANNELS × PER_CHANNEL messages queued at the
same moment; the floor is PER_CHANNEL seconds (each channel at 1 a second, channels side
by side). Prints the time to send them all, the 429s met, and messages sent twice or out of
order (both should be 0).

    .venv/bin/python bench/fanout.py [channels] [per channel]

BENCH_DATABASE_URL picks the database (default: a fresh SQLite file).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fresh import fresh
from bot.adapters.slack.app import create_client
from bot.adapters.slack.messenger import SlackMessenger
from bot.bootstrap import build_app
from bot.config import load_settings
from bot.core.messages import Destination, Message, Outgoing
from bot.core.model import Profile, Workspace
from bot.platforms import PlatformMessenger


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LimitedSlack:
    """chat.postMessage with Slack's per-channel limit."""

    def __init__(self) -> None:
        self.last: dict[str, float] = {}
        self.posted: list[tuple[str, str]] = []
        self.refused = 0

    async def api(self, request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            args = await request.json()  # slack_sdk posts chat.postMessage as JSON
        else:
            args = dict(await request.post())
        channel, text = str(args.get("channel")), str(args.get("text"))
        now = time.monotonic()
        if now - self.last.get(channel, -10.0) < 1.0:
            self.refused += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        self.last[channel] = now
        self.posted.append((channel, text))
        return web.json_response({"ok": True, "channel": channel, "ts": f"{len(self.posted)}.1"})


class NoDirectory:
    async def profile(self, workspace: Workspace, user_id: str) -> Profile:
        return Profile(user_id)


async def main(channels: int, per_channel: int) -> None:
    fake = LimitedSlack()
    api = web.Application()
    api.router.add_post("/api/chat.postMessage", fake.api)
    runner = web.AppRunner(api, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()

    workdir = tempfile.mkdtemp(prefix="wowfanout-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/fanout.db"
    await fresh(url)
    client = create_client("xoxb-bench", f"http://127.0.0.1:{port}/api/", wait_out_429=False)
    client.session = aiohttp.ClientSession()
    messenger = PlatformMessenger()
    messenger.platforms["slack"] = SlackMessenger(client)
    app = await build_app(
        load_settings(wowbot_database_url=url), messenger=messenger, directory=NoDirectory()
    )
    try:
        wanted: list[tuple[str, str]] = []
        async with app.uow() as uow:
            ws = await uow.workspaces.get_or_create("slack", "T1", "UTC")
            for n in range(per_channel):
                for c in range(channels):
                    channel, text = f"C{c:03d}", f"digest {n} for channel {c}"
                    wanted.append((channel, text))
                    outgoing = Outgoing(Message(text), Destination.to_channel(channel))
                    await uow.outbox.add(ws.id, outgoing, app.clock.now())
            await uow.commit()
        started = time.monotonic()
        while len(fake.posted) < len(wanted) and time.monotonic() - started < 600:
            await app.sender.deliver_due()
            if len(fake.posted) < len(wanted):
                await asyncio.sleep(0.2)  # rows a 429 put back, due again in a second
        took = time.monotonic() - started
    finally:
        await app.close()
        await client.session.close()
        await runner.cleanup()
    twice = sum(n - 1 for n in Counter(fake.posted).values() if n > 1)
    out_of_order = sum(
        [t for c, t in fake.posted if c == channel] != [t for c, t in wanted if c == channel]
        for channel in {c for c, _ in wanted}
    )
    kind = url.split(":", 1)[0]
    print(f"{len(wanted)} messages, {channels} channels × {per_channel}, database {kind}")
    print(f"  all sent in {took:.1f} s (floor {per_channel - 1} s at 1/s/channel)")
    print(f"  429s met: {fake.refused}; sent twice: {twice}; channels out of order: {out_of_order}")


if __name__ == "__main__":
    args: list[Any] = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(args or [50, 10])))
