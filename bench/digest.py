"""The morning digest over a long history: time and statements at 10 k, 100 k and 1 M hero
moments on PostgreSQL (with 20 % as many follow-ups and 2 % as many gifts, spread over a
year, as a busy team would have).

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/digest.py [sizes…]

The database's public schema is dropped and made again. Prints, per size, the median time
to build the digest (of 5 runs, after one to warm up) and the statements it ran.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fresh import fresh
from bot.bootstrap import build_app
from bot.config import load_settings
from bot.handlers.digest_content import build_digest
from bot.platforms import PlatformDirectory, PlatformMessenger
from bot.storage.engine import create_engine

NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
TZ = "Europe/Helsinki"


GROW = """
INSERT INTO members (workspace_id, user_id, name, tz, role)
  SELECT :ws, 'U' || m, 'member' || m, 'Europe/Helsinki', 'member'
  FROM generate_series(1, 1000) AS m;
INSERT INTO hero_moments (workspace_id, nominator_id, story, created_at)
  SELECT :ws, (SELECT min(id) FROM members) + (i % 1000), 'kept calm with customer ' || i,
         TIMESTAMPTZ '2026-11-23 07:00+00' - (i * (INTERVAL '365 days' / :moments))
  FROM generate_series(1, :moments) AS i;
INSERT INTO hero_nominees (moment_id, member_id)
  SELECT h.id, (SELECT min(id) FROM members) + ((h.id * 7) % 1000) FROM hero_moments h;
INSERT INTO gifts (workspace_id, proposer_id, customer, gift, cost, currency, checks, status,
                   channel, created_at, decided_by_id, decided_at, sent_at, nudge_due_at)
  SELECT :ws, (SELECT min(id) FROM members) + (i % 1000), 'Customer ' || i, 'pizza', 40, 'USD',
         '{}', (ARRAY['proposed', 'approved', 'sent', 'declined'])[1 + i % 4], 'gifts',
         TIMESTAMPTZ '2026-11-23 07:00+00' - (i * (INTERVAL '365 days' / :gifts)),
         CASE WHEN i % 4 > 0 THEN (SELECT min(id) FROM members) END,
         CASE WHEN i % 4 > 0
              THEN TIMESTAMPTZ '2026-11-23 07:00+00' - (i * (INTERVAL '365 days' / :gifts))
                   + INTERVAL '5 hours' END,
         CASE WHEN i % 4 = 2
              THEN TIMESTAMPTZ '2026-11-23 07:00+00' - (i * (INTERVAL '365 days' / :gifts))
                   + INTERVAL '1 day' END,
         TIMESTAMPTZ '2026-11-23 07:00+00' - (i * (INTERVAL '365 days' / :gifts))
           + INTERVAL '24 hours'
  FROM generate_series(1, :gifts) AS i;
INSERT INTO followups (workspace_id, owner_id, customer, due_at, status, origin, snoozes,
                       reminders, done_at, created_at)
  SELECT :ws, (SELECT min(id) FROM members) + (i % 1000), 'Customer ' || i,
         TIMESTAMPTZ '2026-11-23 07:00+00' - (i * (INTERVAL '365 days' / :followups))
           + INTERVAL '14 days',
         CASE WHEN i % 5 = 0 THEN 'open' ELSE 'done' END, 'manual', 0, 0,
         CASE WHEN i % 5 = 0 THEN NULL
              ELSE TIMESTAMPTZ '2026-11-23 07:00+00'
                   - (i * (INTERVAL '365 days' / :followups)) + INTERVAL '13 days' END,
         TIMESTAMPTZ '2026-11-23 07:00+00' - (i * (INTERVAL '365 days' / :followups))
  FROM generate_series(1, :followups) AS i;
"""


async def measure(url: str, moments: int) -> tuple[float, int, float]:
    await fresh(url)
    app = await build_app(
        load_settings(wowbot_database_url=url),
        messenger=PlatformMessenger(),
        directory=PlatformDirectory(),
    )
    try:
        async with app.uow() as uow:
            ws = await uow.workspaces.get_or_create("slack", "TBENCH", TZ)
            await uow.commit()
        started = time.perf_counter()
        maker = create_engine(
            app.settings.wowbot_database_url, connect_args={"command_timeout": None}
        )
        async with maker.begin() as connection:  # without the bot's statement timeout
            sizes = {"moments": moments, "gifts": moments // 50, "followups": moments // 5}
            for statement in GROW.split(";"):
                if statement.strip():
                    await connection.execute(text(statement), {"ws": ws.id, **sizes})
        # What autovacuum does on a live database: statistics, and the visibility map that
        # lets counts read the index alone.
        async with maker.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
        await maker.dispose()
        generated = time.perf_counter() - started
        statements: list[Any] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        times = []
        for run in range(6):
            statements.clear()
            event.listen(app.engine.sync_engine, "before_cursor_execute", count)
            started = time.perf_counter()
            async with app.uow() as uow:
                ws = await uow.workspaces.get(ws.id)
                await build_digest(uow, ws, TZ, NOW)
            if run:  # the first warms the caches up
                times.append(time.perf_counter() - started)
            event.remove(app.engine.sync_engine, "before_cursor_execute", count)
        return statistics.median(times), len(statements), generated
    finally:
        await app.close()


async def main(sizes: list[int]) -> None:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        sys.exit("BENCH_DATABASE_URL must name a PostgreSQL database (its schema is dropped)")
    print(f"{'hero moments':>13} {'follow-ups':>11} {'gifts':>7} {'digest':>9} {'statements':>11}")
    for moments in sizes:
        took, statements, generated = await measure(url, moments)
        print(
            f"{moments:>13,} {moments // 5:>11,} {moments // 50:>7,} "
            f"{took * 1000:>7.1f} ms {statements:>11}   (data made in {generated:.0f} s)"
        )


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000]))
