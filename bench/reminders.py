"""Follow-ups of many members due the same minute, sent by two replicas.

Two `wowbot serve` processes share one PostgreSQL database and a local fake Slack Web API
that answers 429 (`Retry-After: 1`) when a conversation gets a second message within a
second, as Slack does. MEMBERS × PER_MEMBER follow-ups fall due at the same moment, a few
seconds after both replicas are up; each member's come in one DM that lists them (several
when more than ten). Prints how long after the due time the last follow-up was listed in a
DM, how many DMs went out, the 429s met, and follow-ups listed twice or never (both 0).

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/reminders.py [members] [per member]

The database's public schema is dropped and made again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fresh import fresh  # noqa: E402
from bench.slack_latency import free_port, wait_up  # noqa: E402
from bot.bootstrap import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.platforms import PlatformDirectory, PlatformMessenger  # noqa: E402
from bot.storage.tables import FollowUpRow  # noqa: E402

LEAD = 8.0  # seconds from seeding to the due time; both replicas start meanwhile


class LimitedSlack:
    """The Web API methods `wowbot serve` calls; chat.postMessage at 1/s per conversation.
    Notes which follow-ups each DM lists (the values of its Done buttons), and when."""

    def __init__(self) -> None:
        self.last: dict[str, float] = {}
        self.posted: list[tuple[float, str]] = []  # (when, channel)
        self.listed: list[tuple[float, int]] = []  # (when, follow-up id)
        self.dms = 0
        self.refused = 0

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            args: dict[str, Any] = await request.json()
        else:
            args = dict(await request.post())
        if method == "auth.test":
            return web.json_response(
                {"ok": True, "user_id": "UB", "bot_id": "B1", "team_id": "T1", "team": "t"}
            )
        if method == "users.info":
            return web.json_response({"ok": True, "user": {"id": args.get("user"), "tz": "UTC"}})
        if method != "chat.postMessage":
            return web.json_response({"ok": True})
        channel, now = str(args.get("channel")), time.monotonic()
        if now - self.last.get(channel, -10.0) < 1.0:
            self.refused += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        self.last[channel] = now
        self.posted.append((now, channel))
        blocks = args.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        self.dms += 1
        for block in blocks:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("action_id") == "followup.done":
                    self.listed.append((now, int(element["value"])))
        return web.json_response({"ok": True, "channel": channel, "ts": f"{self.dms}.1"})


async def seed(url: str, members: int, per_member: int, due: dt.datetime) -> None:
    settings = load_settings(wowbot_database_url=url)
    app = await build_app(settings, messenger=PlatformMessenger(), directory=PlatformDirectory())
    try:
        async with app.uow() as uow:
            ws = await uow.workspaces.get_or_create("slack", "T1", "UTC")
            owners = [
                await uow.members.add(ws.id, f"U{i:05d}", f"Member {i}", "UTC", "member")
                for i in range(members)
            ]
            await uow.commit()
        rows = [
            {
                "workspace_id": ws.id,
                "owner_id": owners[n % members].id,  # an owner's are not next to each other
                "customer": f"Customer {n}",
                "note": "check the new plan suits them",
                "due_at": due,
                "status": "open",
                "origin": "manual",
                "snoozes": 0,
                "reminders": 0,
                "created_at": due - dt.timedelta(days=1),
            }
            for n in range(members * per_member)
        ]
        async with app.uow() as uow:
            await uow.session.execute(insert(FollowUpRow), rows)
            await uow.commit()
    finally:
        await app.close()


def replica(url: str, api: str, port: int, log: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "WOWBOT_DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": "bench-signing-secret",
        "SLACK_API_URL": api,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
        env=env,
        cwd=tempfile.mkdtemp(prefix="wowreminders-"),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


async def serve(fake: LimitedSlack) -> tuple[web.AppRunner, str]:
    """The fake Web API on a free port; returns its runner and its URL for SLACK_API_URL."""
    api = web.Application()
    api.router.add_route("*", "/api/{method}", fake.api)
    runner = web.AppRunner(api, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}/api/"


async def empty_and_upgrade() -> str:
    """The PostgreSQL database BENCH_DATABASE_URL names, emptied, then migrated as `wowbot db
    upgrade` does; returns its URL."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("BENCH_DATABASE_URL must name a PostgreSQL database (its schema is dropped)")
    await fresh(url)
    env = {**os.environ, "WOWBOT_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, check=True)
    return url


async def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM to each, then wait (in a thread: the fake in this loop answers their last
    sends); a process still running after 30 s is killed."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            await asyncio.to_thread(process.wait, 30)
        except subprocess.TimeoutExpired:
            process.kill()


async def main(members: int, per_member: int) -> None:
    url = await empty_and_upgrade()
    fake = LimitedSlack()
    runner, api_url = await serve(fake)

    due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=LEAD)
    due_mono = time.monotonic() + LEAD
    await seed(url, members, per_member, due)
    log_path = os.environ.get("BENCH_BOT_LOG")
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
    ports = [free_port(), free_port()]
    replicas = [replica(url, api_url, p, log) for p in ports]
    wanted = members * per_member
    try:
        async with aiohttp.ClientSession() as session:
            for port in ports:
                await wait_up(session, f"http://127.0.0.1:{port}/slack/events")
        up = time.monotonic()
        while len({i for _, i in fake.listed}) < wanted and time.monotonic() - due_mono < 600:
            await asyncio.sleep(0.1)
        await asyncio.sleep(2)  # anything sent twice would come now
    finally:
        await stop(replicas)
        await runner.cleanup()
    counts = Counter(i for _, i in fake.listed)
    last = max((t for t, _ in fake.listed), default=due_mono) - due_mono
    print(
        f"{wanted} follow-ups of {members} members ({per_member} each) due at once, "
        "two replicas, PostgreSQL"
    )
    print(f"  both replicas up {due_mono - up:.1f} s before the due time")
    print(f"  every follow-up listed in a DM by due + {last:.1f} s ({fake.dms} DMs)")
    print(
        f"  429s met: {fake.refused}; listed twice: {sum(n > 1 for n in counts.values())}; "
        f"never: {wanted - len(counts)}"
    )


if __name__ == "__main__":
    numbers: list[Any] = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(numbers or [1000, 10])))
