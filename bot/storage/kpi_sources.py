"""HTTP KPI sources (claimed for polling like every scheduled thing) and push API keys."""

from __future__ import annotations

import builtins
import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import ApiKey, KpiSource
from bot.storage.claims import claim_rows
from bot.storage.tables import ApiKeyRow, KpiSourceRow
from bot.storage.upsert import upsert

POLL_LEASE = dt.timedelta(minutes=5)


def to_source(r: KpiSourceRow) -> KpiSource:
    return KpiSource(
        workspace_id=r.workspace_id,
        key=r.key,
        url=r.url,
        pointer=r.pointer,
        every_minutes=r.every_minutes,
        auth_header=r.auth_header,
        id=r.id,
        next_poll_at=r.next_poll_at,
        last_polled_at=r.last_polled_at,
        last_ok_at=r.last_ok_at,
        last_error=r.last_error,
    )


class SqlKpiSources:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _row(self, workspace_id: int, key: str) -> KpiSourceRow | None:
        stmt = select(KpiSourceRow).where(
            KpiSourceRow.workspace_id == workspace_id, KpiSourceRow.key == key
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, workspace_id: int, key: str) -> KpiSource | None:
        row = await self._row(workspace_id, key)
        return to_source(row) if row else None

    async def list(self, workspace_id: int) -> list[KpiSource]:
        stmt = select(KpiSourceRow).where(KpiSourceRow.workspace_id == workspace_id)
        return [
            to_source(r)
            for r in (await self.session.execute(stmt.order_by(KpiSourceRow.key))).scalars()
        ]

    async def save(self, source: KpiSource, now: dt.datetime) -> None:
        """Create or replace a source; it is polled at once."""
        row = await self._row(source.workspace_id, source.key)
        if row is None:
            row = KpiSourceRow(workspace_id=source.workspace_id, key=source.key)
            self.session.add(row)
        row.url, row.pointer, row.every_minutes = source.url, source.pointer, source.every_minutes
        row.auth_header, row.next_poll_at, row.last_error = source.auth_header, now, None
        await self.session.flush()

    async def remove(self, workspace_id: int, key: str) -> None:
        await self.session.execute(
            delete(KpiSourceRow).where(
                KpiSourceRow.workspace_id == workspace_id, KpiSourceRow.key == key
            )
        )

    async def claim_due(self, now: dt.datetime, limit: int) -> builtins.list[KpiSource]:
        rows = await claim_rows(
            self.session,
            KpiSourceRow,
            due=[KpiSourceRow.next_poll_at <= now],
            order_by=KpiSourceRow.next_poll_at,
            values={KpiSourceRow.next_poll_at: now + POLL_LEASE, KpiSourceRow.last_polled_at: now},
            limit=limit,
        )
        return [to_source(r) for r in rows]

    async def record_poll(
        self, source_id: int, *, at: dt.datetime, next_at: dt.datetime, error: str | None
    ) -> None:
        values: dict[str, object] = {"next_poll_at": next_at, "last_error": error}
        if error is None:
            values["last_ok_at"] = at
        await self.session.execute(
            update(KpiSourceRow).where(KpiSourceRow.id == source_id).values(**values)
        )


class SqlApiKeys:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, workspace_id: int, label: str, key_hash: str, now: dt.datetime) -> bool:
        """False if the workspace has a key with this label already."""
        added = await self.session.execute(
            upsert(
                self.session,
                ApiKeyRow,
                {
                    "workspace_id": workspace_id,
                    "label": label,
                    "key_hash": key_hash,
                    "created_at": now,
                },
                conflict=["workspace_id", "label"],
            ).returning(ApiKeyRow.id)
        )
        return added.first() is not None

    async def revoke(self, workspace_id: int, label: str) -> bool:
        result = await self.session.execute(
            delete(ApiKeyRow).where(
                ApiKeyRow.workspace_id == workspace_id, ApiKeyRow.label == label
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def list(self, workspace_id: int) -> list[ApiKey]:
        stmt = select(ApiKeyRow).where(ApiKeyRow.workspace_id == workspace_id)
        rows = (await self.session.execute(stmt.order_by(ApiKeyRow.label))).scalars()
        return [ApiKey(r.workspace_id, r.label, r.created_at) for r in rows]

    async def workspace_for(self, key_hash: str) -> int | None:
        stmt = select(ApiKeyRow.workspace_id).where(ApiKeyRow.key_hash == key_hash)
        return (await self.session.execute(stmt)).scalar_one_or_none()
