"""The persistent outbox: rows written with the state change, delivered by `bot.delivery`."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Message, Outgoing
from bot.core.model import DeliveryFailure
from bot.storage.claims import claim_rows
from bot.storage.tables import OutboxRow, aware_utc


class SqlOutbox:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, workspace_id: int, outgoing: Outgoing, now: dt.datetime) -> None:
        self.session.add(
            OutboxRow(
                workspace_id=workspace_id,
                key=outgoing.key,
                update_key=outgoing.update_key,
                destination=asdict(outgoing.destination) if outgoing.destination else None,
                message=outgoing.message.to_dict(),
                description=outgoing.description[:200],
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        await self.session.flush()

    async def failures(self, workspace_id: int, limit: int) -> list[DeliveryFailure]:
        stmt = (
            select(OutboxRow)
            .where(OutboxRow.workspace_id == workspace_id, OutboxRow.status == "failed")
            .order_by(OutboxRow.id.desc())
            .limit(limit)
        )
        return [
            DeliveryFailure(r.description or "a message", r.last_error or "unknown", r.created_at)
            for r in (await self.session.execute(stmt)).scalars()
        ]

    # The sender's side.

    async def claim(
        self, now: dt.datetime, lease: dt.timedelta, limit: int, owner: str | None = None
    ) -> list[OutboxRow]:
        """Lease due rows to this worker; a lease left by a crashed worker expires."""
        due = or_(
            (OutboxRow.status == "pending") & (OutboxRow.next_attempt_at <= now),
            (OutboxRow.status == "sending") & (OutboxRow.lease_until < now),
        )
        return await claim_rows(
            self.session,
            OutboxRow,
            due=[due],
            order_by=OutboxRow.id,
            values={
                OutboxRow.status: "sending",
                OutboxRow.lease_until: now + lease,
                OutboxRow.owner: owner,
            },
            limit=limit,
        )

    async def ref_of(self, key: str) -> tuple[str, dict[str, Any] | None] | None:
        """The status and platform reference of the message sent under `key`."""
        stmt = select(OutboxRow.status, OutboxRow.platform_ref).where(OutboxRow.key == key)
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def message_of(self, key: str) -> Message | None:
        """The message queued under `key`, as it was first sent."""
        stmt = select(OutboxRow.message).where(OutboxRow.key == key)
        data = (await self.session.execute(stmt)).scalar_one_or_none()
        return Message.from_dict(data) if data else None

    async def finish(self, row_id: int, **values: Any) -> None:
        await self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == row_id)
            .values(lease_until=None, owner=None, **values)
            .execution_options(synchronize_session=False)
        )

    async def held(self, row_id: int, owner: str) -> OutboxRow | None:
        """The row, if `owner` still holds its lease (else another worker has taken it up)."""
        stmt = select(OutboxRow).where(
            OutboxRow.id == row_id, OutboxRow.owner == owner, OutboxRow.status == "sending"
        )
        row = (await self.session.execute(stmt)).scalars().first()
        if row is not None:
            self.session.expunge(row)  # read once, used after this transaction ends
        return row

    async def release(
        self, owner: str, ids: list[int], not_before: dt.datetime | None = None
    ) -> None:
        """Give rows `owner` holds back, to be sent again (in order) from `not_before` on."""
        values: dict[Any, Any] = {"status": "pending", "lease_until": None, "owner": None}
        if not_before is not None:
            values["next_attempt_at"] = case(
                (OutboxRow.next_attempt_at < not_before, not_before),
                else_=OutboxRow.next_attempt_at,
            )
        await self._update_held(owner, ids, values)

    async def renew(self, owner: str, ids: list[int], until: dt.datetime) -> None:
        """Extend the leases `owner` still holds (its process is alive)."""
        await self._update_held(owner, ids, {"lease_until": until})

    async def _update_held(self, owner: str, ids: list[int], values: dict[Any, Any]) -> None:
        """Update the rows among `ids` that `owner` still holds, 500 ids per statement."""
        for start in range(0, len(ids), 500):
            await self.session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id.in_(ids[start : start + 500]),
                    OutboxRow.owner == owner,
                    OutboxRow.status == "sending",
                )
                .values(values)
                .execution_options(synchronize_session=False)
            )

    async def next_due(self, after: dt.datetime) -> dt.datetime | None:
        """The earliest moment after `after` a row falls due: a retry, a conversation's
        pause ending, or a lease running out."""
        retry = select(func.min(OutboxRow.next_attempt_at)).where(
            OutboxRow.status == "pending", OutboxRow.next_attempt_at > after
        )
        lease = select(func.min(OutboxRow.lease_until)).where(
            OutboxRow.status == "sending", OutboxRow.lease_until > after
        )
        moments = [aware_utc((await self.session.execute(q)).scalar()) for q in (retry, lease)]
        return min((m for m in moments if m is not None), default=None)

    async def counts(self) -> dict[str, int]:
        """Messages by delivery status, for /metrics."""
        stmt = select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        return {status: n for status, n in (await self.session.execute(stmt)).all()}
