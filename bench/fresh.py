"""A benchmark starts from an empty database, whichever it runs on.

A SQLite file is new for each run; a PostgreSQL database named by BENCH_DATABASE_URL is
reused, so its public schema is dropped and made again first. Rows an earlier run left
behind (answers to a fake Slack that is gone, a channel's backlog) would otherwise be sent
first and skew the figures: they made the ack latency look 3–7 × bare bolt at one stop.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.storage.engine import create_engine


async def fresh(url: str) -> None:
    """Empty the PostgreSQL database at `url`; a SQLite one is left as it is."""
    if not url.startswith("postgres"):
        return
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
