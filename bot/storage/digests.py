"""Digest subscriptions and runs; a run row per subscription per local date is the claim."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import DigestRun, DigestSubscription
from bot.storage.tables import DigestRunRow, DigestSubscriptionRow
from bot.storage.upsert import upsert


def to_subscription(r: DigestSubscriptionRow) -> DigestSubscription:
    return DigestSubscription(
        id=r.id,
        workspace_id=r.workspace_id,
        channel=r.channel,
        local_time=r.local_time,
        tz=r.tz,
        days=frozenset(r.days),
        created_at=r.created_at,
        skip_dates=frozenset(dt.date.fromisoformat(d) for d in r.skip_dates),
    )


class SqlDigests:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def subscriptions(self, workspace_id: int | None = None) -> list[DigestSubscription]:
        stmt = select(DigestSubscriptionRow).order_by(DigestSubscriptionRow.id)
        if workspace_id is not None:
            stmt = stmt.where(DigestSubscriptionRow.workspace_id == workspace_id)
        return [to_subscription(r) for r in (await self.session.execute(stmt)).scalars()]

    async def by_channel(self, workspace_id: int, channel: str) -> DigestSubscription | None:
        stmt = select(DigestSubscriptionRow).where(
            DigestSubscriptionRow.workspace_id == workspace_id,
            DigestSubscriptionRow.channel == channel,
        )
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        return to_subscription(row) if row else None

    async def save(self, subscription: DigestSubscription) -> DigestSubscription:
        row = None
        if subscription.id:
            row = await self.session.get(DigestSubscriptionRow, subscription.id)
        if row is None:
            row = DigestSubscriptionRow(
                workspace_id=subscription.workspace_id,
                channel=subscription.channel,
                created_at=subscription.created_at,
            )
            self.session.add(row)
        row.local_time, row.tz = subscription.local_time, subscription.tz
        row.days = sorted(subscription.days)
        row.skip_dates = sorted(d.isoformat() for d in subscription.skip_dates)
        await self.session.flush()
        subscription.id = row.id
        return subscription

    async def remove(self, subscription_id: int) -> None:
        row = await self.session.get_one(DigestSubscriptionRow, subscription_id)
        await self.session.delete(row)
        await self.session.flush()

    async def claim_run(self, run: DigestRun) -> bool:
        """False if this subscription's run for the date was claimed already."""
        claimed = await self.session.execute(
            upsert(
                self.session,
                DigestRunRow,
                {
                    "subscription_id": run.subscription_id,
                    "local_date": run.local_date,
                    "status": run.status,
                    "ran_at": run.ran_at,
                },
                conflict=["subscription_id", "local_date"],
            ).returning(DigestRunRow.id)
        )
        return claimed.first() is not None

    async def runs_on(self, days: list[dt.date]) -> set[tuple[int, dt.date]]:
        """Which (subscription, local date) pairs have run already, for these dates."""
        stmt = select(DigestRunRow.subscription_id, DigestRunRow.local_date).where(
            DigestRunRow.local_date.in_(days)
        )
        return {(sub_id, day) for sub_id, day in (await self.session.execute(stmt)).all()}

    async def runs(self, subscription_id: int, limit: int) -> list[DigestRun]:
        stmt = (
            select(DigestRunRow)
            .where(DigestRunRow.subscription_id == subscription_id)
            .order_by(DigestRunRow.local_date.desc())
            .limit(limit)
        )
        return [
            DigestRun(r.subscription_id, r.local_date, r.status, r.ran_at)
            for r in (await self.session.execute(stmt)).scalars()
        ]
