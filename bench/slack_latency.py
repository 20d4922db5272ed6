"""Latency of /wow on Slack: `wowbot serve` against a bare slack-bolt app that only acks.

Each runs as its own process on loopback and gets the same signed `/wow hero` requests,
CONCURRENCY at a time; a small fake Slack Web API in this process takes the bot's
follow-up calls (response_url, chat.postMessage …). Prints p50 and p99 of the HTTP
answer (what Slack waits for) and the bot's ratio to the bare app. Two bare apps: bolt as
it comes (it polls every 10 ms for a listener's ack) and bolt answering the moment the
listener returns (process_before_response, as the bot runs it), so the second ratio shows
what the bot's own work costs its acks.

    .venv/bin/python bench/slack_latency.py [requests] [concurrency]

BENCH_DATABASE_URL picks the bot's database (default: a fresh SQLite file); BENCH_BOT_LOG
names a file for the bot's log.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

SECRET = "bench-signing-secret"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fresh import fresh  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ANSWERED = {"count": 0}  # commands answered through response_url


async def fake_slack(port: int) -> web.AppRunner:
    """Answers every Web API method and response_url with ok."""
    counter = iter(range(10**9))

    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        await request.read()
        extra = {}
        if method == "chat.postMessage":
            extra = {"channel": "C1", "ts": f"{next(counter)}.0001"}
        elif method == "conversations.open":
            extra = {"channel": {"id": "D1"}}
        elif method == "users.info":
            extra = {"user": {"id": "U1", "name": "n", "tz": "UTC", "profile": {}}}
        elif method == "auth.test":
            extra = {"user_id": "UB", "bot_id": "B1", "team_id": "T1", "team": "t", "url": "u"}
        return web.json_response({"ok": True, **extra})

    async def respond(request: web.Request) -> web.Response:
        await request.read()
        ANSWERED["count"] += 1
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_route("*", "/api/{method}", api)
    app.router.add_post("/respond", respond)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


async def start_bot(
    fake_port: int, bot_port: int, *, log: Any = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`wowbot serve` as its own process, its Web API the fake on `fake_port`; returns the
    process and the database URL (BENCH_DATABASE_URL, emptied first, else a fresh SQLite
    file)."""
    workdir = tempfile.mkdtemp(prefix="wowbench-")
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    await fresh(database)  # nothing an earlier run left is sent first
    env = {
        **os.environ,
        "WOWBOT_DATABASE_URL": database,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"http://127.0.0.1:{fake_port}/api/",
    }
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(bot_port)],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
    )
    return bot, database


async def wait_up(session: aiohttp.ClientSession, url: str) -> None:
    for _ in range(200):
        try:
            async with session.post(url, data=b"") as response:
                if response.status in (200, 401):
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


async def drive(
    session: aiohttp.ClientSession,
    url: str,
    fake: int,
    requests: int,
    concurrency: int,
    run: str = "m",
) -> list[float]:
    """Each request is a distinct command (its own trigger_id, as from Slack): the bot
    handles a repeated one once, so the warm-up run must not repeat the measured one's."""
    latencies: list[float] = []
    queue = iter(range(requests))

    async def worker() -> None:
        for i in queue:
            body = urlencode(
                {
                    "team_id": "T1",
                    "user_id": f"U{i % 50}",
                    "channel_id": "C1",
                    "command": "/wow",
                    "trigger_id": f"t{run}{i}",
                    "text": f"hero <@U{(i + 1) % 50}|u> helped customer {run}{i} #wowism",
                    "response_url": f"http://127.0.0.1:{fake}/respond",
                }
            )
            start = time.perf_counter()
            async with session.post(url, data=body.encode(), headers=signed(body)) as response:
                await response.read()
                assert response.status == 200, response.status
            latencies.append((time.perf_counter() - start) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


async def main(requests: int, concurrency: int) -> None:
    fake_port, bot_port = free_port(), free_port()
    bare_ports = {"bare bolt": free_port(), "bare quick": free_port()}
    runner = await fake_slack(fake_port)
    log_path = os.environ.get("BENCH_BOT_LOG")
    log = open(log_path, "w") if log_path else None  # noqa: SIM115 (closed in finally)
    bot, database = await start_bot(fake_port, bot_port, log=log)
    bares = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / "bare_bolt.py"),
                str(port),
                SECRET,
                f"http://127.0.0.1:{fake_port}/api/",
                *(["immediate"] if name == "bare quick" else []),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, port in bare_ports.items()
    ]
    try:
        async with aiohttp.ClientSession() as session:
            results = {}
            for name, port in (*bare_ports.items(), ("wowbot", bot_port)):
                url = f"http://127.0.0.1:{port}/slack/events"
                await wait_up(session, url)
                warm = min(50, requests)
                ANSWERED["count"] = 0
                await drive(session, url, fake_port, warm, concurrency, "w")  # warm up
                while port == bot_port and ANSWERED["count"] < warm:
                    await asyncio.sleep(0.05)  # let the warm-up's answers arrive first
                ANSWERED["count"] = 0
                started = time.perf_counter()
                results[name] = await drive(session, url, fake_port, requests, concurrency)
            acked = time.perf_counter() - started
            while ANSWERED["count"] < requests and time.perf_counter() - started < 300:
                await asyncio.sleep(0.05)  # the bot answers each command after its ack
            done = time.perf_counter() - started
        kind = database.split(":", 1)[0]
        print(
            f"/wow hero, {requests} signed requests, {concurrency} concurrent, loopback, "
            f"bot on {kind}"
        )
        for name, latencies in results.items():
            print(
                f"  {name:<10} p50 {percentile(latencies, 50):7.2f} ms   "
                f"p99 {percentile(latencies, 99):7.2f} ms"
            )
        bot_lat = results["wowbot"]
        for name in bare_ports:
            bare_lat = results[name]
            print(
                f"  wowbot / {name:<10} p50 "
                f"{percentile(bot_lat, 50) / percentile(bare_lat, 50):5.2f} ×   "
                f"p99 {percentile(bot_lat, 99) / percentile(bare_lat, 99):5.2f} ×"
            )
        print(
            f"  wowbot acked all in {acked:.1f} s and answered {ANSWERED['count']} of them in "
            f"{done:.1f} s ({ANSWERED['count'] / done:.0f} hero moments/s end to end)"
        )
    finally:
        for process in (bot, *bares):
            process.terminate()
            try:  # in a thread: the fake Slack in this loop answers the bot's last sends
                await asyncio.to_thread(process.wait, 30)
            except subprocess.TimeoutExpired:
                process.kill()
                print(f"  (pid {process.pid} did not stop within 30 s; killed)")
        if log:
            log.close()
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 500,
            int(sys.argv[2]) if len(sys.argv) > 2 else 20,
        )
    )
