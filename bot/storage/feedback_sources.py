"""Helpdesks polled for ratings (SPEC §9), claimed for polling like every scheduled thing."""

from __future__ import annotations

import builtins
import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.feedback_sources import FeedbackSource
from bot.storage.claims import claim_rows
from bot.storage.kpi_sources import POLL_LEASE
from bot.storage.voice_tables import FeedbackSourceRow


def to_source(r: FeedbackSourceRow) -> FeedbackSource:
    return FeedbackSource(
        workspace_id=r.workspace_id,
        name=r.name,
        kind=r.kind,
        url=r.url,
        every_minutes=r.every_minutes,
        auth_header=r.auth_header,
        fields=dict(r.fields or {}),
        scale=r.scale,
        cursor=r.cursor,
        id=r.id,
        created_at=r.created_at,
        next_poll_at=r.next_poll_at,
        last_polled_at=r.last_polled_at,
        last_ok_at=r.last_ok_at,
        last_error=r.last_error,
        last_taken=r.last_taken,
    )


class SqlFeedbackSources:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _row(self, workspace_id: int, name: str) -> FeedbackSourceRow | None:
        stmt = select(FeedbackSourceRow).where(
            FeedbackSourceRow.workspace_id == workspace_id, FeedbackSourceRow.name == name
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, workspace_id: int, name: str) -> FeedbackSource | None:
        row = await self._row(workspace_id, name)
        return to_source(row) if row else None

    async def list(self, workspace_id: int) -> list[FeedbackSource]:
        stmt = (
            select(FeedbackSourceRow)
            .where(FeedbackSourceRow.workspace_id == workspace_id)
            .order_by(FeedbackSourceRow.name)
        )
        return [to_source(r) for r in (await self.session.execute(stmt)).scalars()]

    async def save(self, source: FeedbackSource, now: dt.datetime) -> None:
        """Create or change a source; it is polled at once. A new source, or one pointed
        at another address or kind, starts from now: ratings given before are left out."""
        row = await self._row(source.workspace_id, source.name)
        if row is None or (row.kind, row.url) != (source.kind, source.url):
            if row is None:
                row = FeedbackSourceRow(workspace_id=source.workspace_id, name=source.name)
                self.session.add(row)
            row.created_at, row.cursor, row.last_taken = now, None, 0
            row.last_polled_at = row.last_ok_at = None
        row.kind, row.url, row.every_minutes = source.kind, source.url, source.every_minutes
        row.auth_header, row.fields, row.scale = source.auth_header, source.fields, source.scale
        row.next_poll_at, row.last_error = now, None
        await self.session.flush()

    async def remove(self, workspace_id: int, name: str) -> bool:
        result = await self.session.execute(
            delete(FeedbackSourceRow).where(
                FeedbackSourceRow.workspace_id == workspace_id, FeedbackSourceRow.name == name
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def claim_due(self, now: dt.datetime, limit: int) -> builtins.list[FeedbackSource]:
        rows = await claim_rows(
            self.session,
            FeedbackSourceRow,
            due=[FeedbackSourceRow.next_poll_at <= now],
            order_by=FeedbackSourceRow.next_poll_at,
            values={
                FeedbackSourceRow.next_poll_at: now + POLL_LEASE,
                FeedbackSourceRow.last_polled_at: now,
            },
            limit=limit,
        )
        return [to_source(r) for r in rows]

    async def record_poll(
        self,
        source_id: int,
        *,
        at: dt.datetime,
        next_at: dt.datetime,
        error: str | None,
        taken: int,
        cursor: str | None,
    ) -> None:
        """How a poll went. The cursor moves only forward from what was read and saved."""
        values: dict[str, object] = {"next_poll_at": next_at, "last_error": error}
        if error is None:
            values["last_ok_at"] = at
        values["last_taken"] = taken
        if cursor is not None:
            values["cursor"] = cursor
        await self.session.execute(
            update(FeedbackSourceRow).where(FeedbackSourceRow.id == source_id).values(**values)
        )
