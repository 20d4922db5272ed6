"""Counts and medians computed by the database, in one statement each, whatever the size of
the history: what digests and KPIs show, never the rows themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def counts_within(
    session: AsyncSession,
    column: Any,
    spans: Sequence[tuple[dt.datetime, dt.datetime]],
    *where: ColumnElement[bool],
) -> list[int]:
    """How many rows have `column` in each [start, end) span (one statement; the index on
    `column` bounds it to the spans' range)."""
    if not spans:
        return []
    buckets = [
        func.coalesce(func.sum(case((and_(column >= start, column < end), 1), else_=0)), 0)
        for start, end in spans
    ]
    stmt = select(*buckets).where(
        *where, column >= min(s for s, _ in spans), column < max(e for _, e in spans)
    )
    row = (await session.execute(stmt)).one()
    return [int(n) for n in row]


def seconds_between(session: AsyncSession, start: Any, end: Any) -> Any:
    """`end - start` in seconds, as SQL, on SQLite (naive UTC text) and PostgreSQL."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end - start)


async def median(session: AsyncSession, value: Any, *where: ColumnElement[bool]) -> float | None:
    """The median of `value` over the rows matching `where`: a count, then the middle one
    or two rows by an ordered offset (SQLite has no percentile function)."""
    count = (await session.execute(select(func.count()).where(*where))).scalar_one()
    if not count:
        return None
    middle = (
        select(value.label("v"))
        .where(*where)
        .order_by(value)
        .offset((count - 1) // 2)
        .limit(2 if count % 2 == 0 else 1)
    )
    values = [float(v) for v in (await session.execute(middle)).scalars()]
    return sum(values) / len(values)
