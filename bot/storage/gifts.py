"""WOW gifts: conditional status transitions and SLA nudge claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Gift, GiftStatus, Tally
from bot.storage.aggregates import counts_within, median, seconds_between
from bot.storage.claims import claim_rows
from bot.storage.tables import GiftRow, aware_utc

SPENT = (GiftStatus.APPROVED.value, GiftStatus.SENT.value)


def to_gift(r: GiftRow) -> Gift:
    return Gift(
        id=r.id,
        workspace_id=r.workspace_id,
        proposer_id=r.proposer_id,
        customer=r.customer,
        gift=r.gift,
        why=r.why,
        cost=r.cost,
        currency=r.currency,
        checks=dict(r.checks),
        status=GiftStatus(r.status),
        channel=r.channel,
        created_at=r.created_at,
        decided_by_id=r.decided_by_id,
        decided_at=r.decided_at,
        decline_reason=r.decline_reason,
        sent_at=r.sent_at,
        nudge_due_at=r.nudge_due_at,
        nudged_at=r.nudged_at,
    )


class SqlGifts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, gift: Gift) -> Gift:
        row = GiftRow(
            workspace_id=gift.workspace_id,
            proposer_id=gift.proposer_id,
            customer=gift.customer,
            gift=gift.gift,
            why=gift.why,
            cost=gift.cost,
            currency=gift.currency,
            checks=gift.checks,
            status=gift.status.value,
            channel=gift.channel,
            created_at=gift.created_at,
            nudge_due_at=gift.nudge_due_at,
        )
        self.session.add(row)
        await self.session.flush()
        gift.id = row.id
        return gift

    async def get(self, workspace_id: int, gift_id: int) -> Gift | None:
        row = await self.session.get(GiftRow, gift_id, populate_existing=True)
        return to_gift(row) if row is not None and row.workspace_id == workspace_id else None

    async def transition(
        self, gift_id: int, expected: GiftStatus, new: GiftStatus, **changes: Any
    ) -> bool:
        """`UPDATE … WHERE status = expected`: of two racing decisions exactly one wins."""
        stmt = (
            update(GiftRow)
            .where(GiftRow.id == gift_id, GiftRow.status == expected.value)
            .values(status=new.value, **changes)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(stmt)
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def search(
        self,
        workspace_id: int,
        *,
        statuses: Sequence[GiftStatus] | None = None,
        proposer_id: int | None = None,
        customer: str | None = None,
        since: dt.datetime | None = None,
        limit: int = 50,
    ) -> list[Gift]:
        stmt = select(GiftRow).where(GiftRow.workspace_id == workspace_id)
        if statuses:
            stmt = stmt.where(GiftRow.status.in_([s.value for s in statuses]))
        if proposer_id is not None:
            stmt = stmt.where(GiftRow.proposer_id == proposer_id)
        if customer is not None:
            stmt = stmt.where(func.lower(GiftRow.customer) == customer.lower())
        if since is not None:
            stmt = stmt.where(GiftRow.created_at >= since)
        stmt = stmt.order_by(GiftRow.created_at.desc(), GiftRow.id.desc()).limit(limit)
        return [to_gift(r) for r in (await self.session.execute(stmt)).scalars()]

    async def spend(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime, currency: str
    ) -> Decimal:
        stmt = select(func.coalesce(func.sum(GiftRow.cost), 0)).where(
            GiftRow.workspace_id == workspace_id,
            GiftRow.currency == currency,
            GiftRow.status.in_(SPENT),
            GiftRow.decided_at >= start,
            GiftRow.decided_at < end,
        )
        return Decimal(str((await self.session.execute(stmt)).scalar_one()))

    async def tally(
        self,
        workspace_id: int,
        statuses: Sequence[GiftStatus],
        *,
        limit: int,
        decided_within: tuple[dt.datetime, dt.datetime] | None = None,
        sent_within: tuple[dt.datetime, dt.datetime] | None = None,
    ) -> Tally[Gift]:
        """How many gifts have these statuses (decided, or sent, in [start, end)), and the
        first `limit` of them: by when they were decided or sent, else oldest first."""
        where = [
            GiftRow.workspace_id == workspace_id,
            GiftRow.status.in_([s.value for s in statuses]),
        ]
        order: list[Any] = [GiftRow.id]
        for column, span in ((GiftRow.decided_at, decided_within), (GiftRow.sent_at, sent_within)):
            if span is not None:
                where += [column >= span[0], column < span[1]]
                order.insert(0, column)
        count = select(func.count()).select_from(GiftRow).where(*where)
        first = select(GiftRow).where(*where).order_by(*order).limit(limit)
        return Tally(
            (await self.session.execute(count)).scalar_one(),
            [to_gift(r) for r in (await self.session.execute(first)).scalars()],
        )

    async def waiting(self, workspace_id: int, now: dt.datetime) -> tuple[dt.datetime | None, int]:
        """When the oldest gift awaiting a decision was proposed, and how many are past
        their SLA at `now`."""
        stmt = select(
            func.min(GiftRow.created_at),
            func.coalesce(func.sum(case((GiftRow.nudge_due_at <= now, 1), else_=0)), 0),
        ).where(GiftRow.workspace_id == workspace_id, GiftRow.status == GiftStatus.PROPOSED.value)
        oldest, late = (await self.session.execute(stmt)).one()
        return aware_utc(oldest), int(late)

    async def approved_counts_within(
        self, workspace_id: int, spans: Sequence[tuple[dt.datetime, dt.datetime]]
    ) -> list[int]:
        """How many gifts were approved in each [start, end) span (those since sent too)."""
        return await counts_within(
            self.session,
            GiftRow.decided_at,
            spans,
            GiftRow.workspace_id == workspace_id,
            GiftRow.status.in_(SPENT),
        )

    async def median_decision_hours(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> float | None:
        """The median time from proposal to decision of gifts decided in [start, end)."""
        seconds = await median(
            self.session,
            seconds_between(self.session, GiftRow.created_at, GiftRow.decided_at),
            GiftRow.workspace_id == workspace_id,
            GiftRow.decided_at >= start,
            GiftRow.decided_at < end,
        )
        return None if seconds is None else seconds / 3600

    async def claim_sla_nudges(self, now: dt.datetime, limit: int) -> list[Gift]:
        rows = await claim_rows(
            self.session,
            GiftRow,
            due=[
                GiftRow.status == GiftStatus.PROPOSED.value,
                GiftRow.nudged_at.is_(None),
                GiftRow.nudge_due_at <= now,
            ],
            order_by=GiftRow.nudge_due_at,
            values={GiftRow.nudged_at: now},
            limit=limit,
        )
        return [to_gift(r) for r in rows]

    async def next_sla_moment(self) -> dt.datetime | None:
        stmt = select(func.min(GiftRow.nudge_due_at)).where(
            GiftRow.status == GiftStatus.PROPOSED.value, GiftRow.nudged_at.is_(None)
        )
        value = (await self.session.execute(stmt)).scalar_one_or_none()
        return aware_utc(value)
