"""The one way rows are handed to a single worker.

Candidates are picked with `FOR UPDATE SKIP LOCKED` (PostgreSQL: concurrent workers take
different rows without waiting; SQLite ignores it and serialises writers), then claimed by a
conditional `UPDATE … WHERE <still due> RETURNING id`, so a row that another worker claimed
in between is not claimed twice on any database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Base

Row = TypeVar("Row", bound=Base)


async def claim_rows(
    session: AsyncSession,
    model: type[Row],
    *,
    due: Sequence[ColumnElement[bool]],
    order_by: Any,
    values: dict[Any, Any],
    limit: int,
) -> list[Row]:
    table_id = model.id  # type: ignore[attr-defined]
    order = tuple(order_by) if isinstance(order_by, (list, tuple)) else (order_by,)
    candidates = (
        select(table_id).where(*due).order_by(*order).limit(limit).with_for_update(skip_locked=True)
    )
    ids = list((await session.execute(candidates)).scalars())
    if not ids:
        return []
    claimed = (
        update(model)
        .where(table_id.in_(ids), *due)
        .values(values)
        .returning(table_id)
        .execution_options(synchronize_session=False)
    )
    won = list((await session.execute(claimed)).scalars())
    if not won:
        return []
    rows = await session.execute(
        select(model)
        .where(table_id.in_(won))
        .order_by(*order, table_id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())
