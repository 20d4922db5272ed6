"""How long other members' acknowledgements wait while long commands are being read.

Part 1, in this process: the worst time the core takes to read one long or hostile command
(all of it runs on the event loop, so this is how long it holds everyone else).

Part 2, `wowbot serve` as its own process on loopback with a fake Slack Web API: a
bystander sends `/wow help` every 20 ms, first alone, then while a second member sends long
commands back to back (follow-ups whose customer is hundreds of words, 10,000- and
100,000-character commands). Prints the bystander's ack latency (what Slack waits for, 3 s at
most) in both runs.

    .venv/bin/python bench/long_commands.py [seconds per run]

BENCH_DATABASE_URL picks the bot's database (default: a fresh SQLite file).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_latency import fake_slack, free_port, percentile, signed, start_bot, wait_up

from bot.core.errors import WowError
from bot.core.parsing import parse

HOSTILE = {
    "followup, 950-word customer": "followup " + "Acme " * 950 + "tomorrow",
    "followup, one 4,900-char word": "followup " + "A" * 4900 + " tomorrow",
    "gift, 4,900 spaces before a cost": "gift Acme: mug" + " " * 4900 + "$5",
    "hero, 2,400 unclosed <@": "hero <@U1> " + "<@" * 2400,
    "10,000 characters": "followup " + "Acme Dental " * 833,
    "100,000 characters": "x" * 100_000,
}


def read_times() -> None:
    print("Reading one command in the core (the event loop is held this long), worst of 20:")
    parse("gift Acme: pizza €40")  # Babel loads its currency data on first use
    for name, text in HOSTILE.items():
        worst = 0.0
        for _ in range(20):
            started = time.perf_counter()
            with contextlib.suppress(WowError):
                parse(text)
            worst = max(worst, time.perf_counter() - started)
        print(f"  {name:<34} {worst * 1000:7.2f} ms")


def body(user: str, text: str, respond: str) -> str:
    return urlencode(
        {
            "team_id": "T1",
            "user_id": user,
            "channel_id": "C1",
            "command": "/wow",
            "text": text,
            "trigger_id": "t",
            "response_url": respond,
        }
    )


async def bystander(
    session: aiohttp.ClientSession, url: str, respond: str, seconds: float
) -> list[float]:
    latencies = []
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        data = body("UHELP", "help", respond)
        started = time.perf_counter()
        async with session.post(url, data=data.encode(), headers=signed(data)) as response:
            await response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.02)
    return latencies


async def attacker(
    session: aiohttp.ClientSession, url: str, respond: str, stop: asyncio.Event
) -> int:
    sent = 0
    while not stop.is_set():
        for text in HOSTILE.values():
            data = body("UBAD", text, respond)
            async with session.post(url, data=data.encode(), headers=signed(data)) as response:
                await response.read()
            sent += 1
    return sent


async def serve_run(seconds: float) -> None:
    fake_port, bot_port = free_port(), free_port()
    runner = await fake_slack(fake_port)
    bot, database = await start_bot(fake_port, bot_port)
    url, respond = (
        f"http://127.0.0.1:{bot_port}/slack/events",
        f"http://127.0.0.1:{fake_port}/respond",
    )
    try:
        async with aiohttp.ClientSession() as session:
            await wait_up(session, url)
            await bystander(session, url, respond, 1.0)  # warm up
            alone = await bystander(session, url, respond, seconds)
            stop = asyncio.Event()
            attack = asyncio.create_task(attacker(session, url, respond, stop))
            crowded = await bystander(session, url, respond, seconds)
            stop.set()
            sent = await attack
        kind = database.split(":", 1)[0]
        print(f"`wowbot serve` on {kind}: another member's /wow help, acked (ms)")
        for name, values in (("alone", alone), (f"during {sent} long commands", crowded)):
            print(
                f"  {name:<28} n={len(values):<4} p50 {percentile(values, 50):6.2f}   "
                f"p99 {percentile(values, 99):6.2f}   max {max(values):7.2f}"
            )
    finally:
        bot.terminate()
        bot.wait(timeout=30)
        await runner.cleanup()


if __name__ == "__main__":
    read_times()
    asyncio.run(serve_run(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0))
