"""`INSERT … ON CONFLICT` for both databases: the one way a row is created or changed
atomically, so two writers at once never meet an IntegrityError."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


def upsert(
    session: AsyncSession,
    model: type[DeclarativeBase],
    values: dict[str, Any] | list[dict[str, Any]],
    *,
    conflict: Sequence[str],
    update: dict[str, Any] | None = None,
    where: ColumnElement[bool] | None = None,
) -> Any:
    """An insert of `values` (one row, or a list of rows) that, when a row with the same
    `conflict` columns exists,
    sets `update` on it (only `where` that holds) or, without `update`, does nothing.
    Add `.returning(...)` to learn which rows were written."""
    bind = session.bind
    dialect = bind.dialect.name if bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(values)
    if update:
        return statement.on_conflict_do_update(index_elements=conflict, set_=update, where=where)
    return statement.on_conflict_do_nothing(index_elements=conflict)
