"""`INSERT … ON CONFLICT` for both databases: the one way a row is created or changed
atomically, so two writers at once never meet an IntegrityError."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


def insert_new(
    session: AsyncSession,
    model: type[DeclarativeBase],
    *,
    conflict: Sequence[str],
    returning: Sequence[Any],
) -> Any:
    """An insert that skips rows whose `conflict` columns exist, to be executed with a list
    of rows: the same statement whatever their number, so SQLAlchemy compiles it once and
    sends the rows in batches ("insertmanyvalues"), returning `returning` of those written.
    (`upsert` with a list builds a new statement for each number of rows, each compiled.)"""
    table = model.__table__
    return (
        _insert(session)(table)
        .on_conflict_do_nothing(index_elements=conflict)
        .returning(*returning)
    )


def _insert(session: AsyncSession) -> Any:
    bind = session.bind
    dialect = bind.dialect.name if bind is not None else "sqlite"
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


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
    statement = _insert(session)(model).values(values)
    if update:
        return statement.on_conflict_do_update(index_elements=conflict, set_=update, where=where)
    return statement.on_conflict_do_nothing(index_elements=conflict)
