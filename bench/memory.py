"""Memory of `wowbot serve` after many commands.

`wowbot serve` as its own process on loopback, with a fake Slack Web API; COMMANDS signed
Slack commands, 20 at a time, of every common kind (hero moments with nominees, follow-ups,
gift proposals, leaderboards, help), each answered before the count is read. Prints the
process's resident memory (VmRSS) when up, after the commands, and its peak (VmHWM).

    .venv/bin/python bench/memory.py [commands]

BENCH_DATABASE_URL picks the bot's database (emptied first; default: a fresh SQLite file).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.slack_latency import ANSWERED, fake_slack, free_port, signed, start_bot, wait_up

KINDS = (
    "hero <@U{a}|a> <@U{b}|b> stayed late to fix customer {n}'s order #wowism",
    "followup Customer {n} in 3 days: check the refund landed",
    "gift Customer {n}: pizza $30 because they waited an hour",
    "leaderboard",
    "help",
)


def megabytes(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for {pid}")


async def main(commands: int) -> None:
    fake_port, bot_port = free_port(), free_port()
    runner = await fake_slack(fake_port)
    bot, database = await start_bot(fake_port, bot_port)
    try:
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{bot_port}/slack/events"
            await wait_up(session, url)
            up = megabytes(bot.pid, "VmRSS")
            queue = iter(range(commands))

            async def worker() -> None:
                for n in queue:
                    text = KINDS[n % len(KINDS)].format(a=n % 50, b=(n + 7) % 50, n=n)
                    body = urlencode(
                        {
                            "team_id": "T1",
                            "user_id": f"U{n % 50}",
                            "channel_id": "C1",
                            "command": "/wow",
                            "trigger_id": f"m{n}",
                            "text": text,
                            "response_url": f"http://127.0.0.1:{fake_port}/respond",
                        }
                    )
                    async with session.post(url, data=body, headers=signed(body)) as response:
                        await response.read()

            await asyncio.gather(*(worker() for _ in range(20)))
            started = time.monotonic()
            while ANSWERED["count"] < commands and time.monotonic() - started < 300:
                await asyncio.sleep(0.1)
            after = megabytes(bot.pid, "VmRSS")
            peak = megabytes(bot.pid, "VmHWM")
    finally:
        bot.terminate()
        await asyncio.to_thread(bot.wait, 30)
        await runner.cleanup()
    kind = database.split(":", 1)[0]
    print(f"wowbot serve, {commands} commands ({ANSWERED['count']} answered), on {kind}")
    print(f"  resident memory: {up:.0f} MB up, {after:.0f} MB after, {peak:.0f} MB at peak")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
