"""The inbox: requests saved before their acknowledgement, then handled once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.claims import claim_rows
from bot.storage.tables import InboxRow
from bot.storage.upsert import insert_new, upsert

BATCH = 500


class SqlInbox:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def accept(
        self,
        requests: list[tuple[str, str, str, dict[str, Any]]],
        *,
        owner: str,
        now: dt.datetime,
        lease: dt.timedelta,
    ) -> dict[str, int]:
        """Save requests — (platform, kind, key, payload) each — held by `owner`, in one
        statement; returns the row id of each key saved now (a key saved before: absent)."""
        if not requests:
            return {}
        rows = [
            {
                "key": key,
                "platform": platform,
                "kind": kind,
                "payload": payload,
                "status": "pending",
                "owner": owner,
                "lease_until": now + lease,
                "attempts": 1,
                "received_at": now,
            }
            for platform, kind, key, payload in requests
        ]
        statement = insert_new(
            self.session, InboxRow, conflict=["key"], returning=[InboxRow.key, InboxRow.id]
        )
        return {key: row_id for key, row_id in (await self.session.execute(statement, rows)).all()}

    async def refuse(self, ids: list[int], now: dt.datetime) -> None:
        """Requests saved after their sender was told they were not: never handled."""
        await self.session.execute(
            update(InboxRow)
            .where(InboxRow.id.in_(ids), InboxRow.status == "pending")
            .values(status="refused", done_at=now, owner=None, lease_until=None, payload=None)
        )

    async def finish(self, platform: str, kind: str, key: str, now: dt.datetime) -> bool:
        """Mark a request handled (its payload, which may hold a response_url, is dropped);
        False if it was already. Runs in the transaction of the request's effects."""
        done = {"status": "done", "done_at": now, "owner": None, "lease_until": None}
        statement = upsert(
            self.session,
            InboxRow,
            {
                "key": key,
                "platform": platform,
                "kind": kind,
                "payload": None,
                "attempts": 1,
                "received_at": now,
                **done,
            },
            conflict=["key"],
            update={**done, "payload": None},
            where=InboxRow.status != "done",
        ).returning(InboxRow.id)
        return (await self.session.execute(statement)).scalar_one_or_none() is not None

    async def claim(
        self,
        owner: str,
        now: dt.datetime,
        lease: dt.timedelta,
        limit: int,
        platforms: list[str],
    ) -> list[InboxRow]:
        """Rows of `platforms` nobody holds (released, or their holder's lease ran out),
        oldest first."""
        free = (InboxRow.status == "pending") & or_(
            InboxRow.lease_until.is_(None), InboxRow.lease_until < now
        )
        return await claim_rows(
            self.session,
            InboxRow,
            due=[free, InboxRow.platform.in_(platforms)],
            order_by=InboxRow.id,
            values={
                InboxRow.owner: owner,
                InboxRow.lease_until: now + lease,
                InboxRow.attempts: InboxRow.attempts + 1,
            },
            limit=limit,
        )

    async def renew(self, owner: str, ids: Iterable[int], until: dt.datetime) -> None:
        await self._set(owner, list(ids), {"lease_until": until})

    async def release(self, owner: str, ids: Iterable[int]) -> None:
        """Let go of rows this process will not handle: the next start takes them at once."""
        await self._set(owner, list(ids), {"owner": None, "lease_until": None})

    async def give_up(self, row_id: int, now: dt.datetime) -> None:
        await self.session.execute(
            update(InboxRow)
            .where(InboxRow.id == row_id, InboxRow.status == "pending")
            .values(status="failed", done_at=now, owner=None, lease_until=None)
        )

    async def prune(self, before: dt.datetime) -> int:
        """Forget handled requests received before `before` (replays are refused for
        minutes, by the signature's age, so a day of keys is plenty)."""
        result = await self.session.execute(
            delete(InboxRow).where(InboxRow.status != "pending", InboxRow.received_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def counts(self) -> dict[str, int]:
        stmt = select(InboxRow.status, func.count()).group_by(InboxRow.status)
        return {status: n for status, n in (await self.session.execute(stmt)).all()}

    async def _set(self, owner: str, ids: list[int], values: dict[str, Any]) -> None:
        for start in range(0, len(ids), BATCH):
            await self.session.execute(
                update(InboxRow)
                .where(
                    InboxRow.id.in_(ids[start : start + BATCH]),
                    InboxRow.owner == owner,
                    InboxRow.status == "pending",
                )
                .values(values)
                .execution_options(synchronize_session=False)
            )
