"""Hero moments, nominees and cheers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import HeroMoment
from bot.storage.aggregates import counts_within
from bot.storage.tables import CheerRow, HeroMomentRow, NomineeRow
from bot.storage.upsert import upsert


class SqlHeroes:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, moment: HeroMoment) -> HeroMoment:
        row = HeroMomentRow(
            workspace_id=moment.workspace_id,
            nominator_id=moment.nominator_id,
            story=moment.story,
            customer=moment.customer,
            value_id=moment.value_id,
            created_at=moment.created_at,
        )
        self.session.add(row)
        await self.session.flush()
        for member_id in moment.nominee_ids:
            self.session.add(NomineeRow(moment_id=row.id, member_id=member_id))
        await self.session.flush()
        moment.id = row.id
        return moment

    async def _load(self, stmt: Select[Any]) -> list[HeroMoment]:
        """The moments `stmt` selects, with nominees and cheer counts read through it as a
        subquery: no bind parameter per moment, however many there are."""
        rows = list((await self.session.execute(stmt)).scalars())
        if not rows:
            return []
        chosen = stmt.with_only_columns(HeroMomentRow.id).order_by(None).scalar_subquery()
        nominees: dict[int, list[int]] = {r.id: [] for r in rows}
        for moment_id, member_id in await self.session.execute(
            select(NomineeRow.moment_id, NomineeRow.member_id).where(
                NomineeRow.moment_id.in_(chosen)
            )
        ):
            nominees[moment_id].append(member_id)
        cheers = dict(
            (
                await self.session.execute(
                    select(CheerRow.moment_id, func.count())
                    .where(CheerRow.moment_id.in_(chosen))
                    .group_by(CheerRow.moment_id)
                )
            ).all()
        )
        return [
            HeroMoment(
                id=r.id,
                workspace_id=r.workspace_id,
                nominator_id=r.nominator_id,
                nominee_ids=sorted(nominees[r.id]),
                story=r.story,
                created_at=r.created_at,
                customer=r.customer,
                value_id=r.value_id,
                cheers=cheers.get(r.id, 0),
            )
            for r in rows
        ]

    async def get(self, workspace_id: int, moment_id: int) -> HeroMoment | None:
        found = await self._load(
            select(HeroMomentRow).where(
                HeroMomentRow.id == moment_id, HeroMomentRow.workspace_id == workspace_id
            )
        )
        return found[0] if found else None

    async def add_cheer(self, moment_id: int, member_id: int) -> bool:
        """False if this member had cheered this moment already."""
        added = await self.session.execute(
            upsert(
                self.session,
                CheerRow,
                {"moment_id": moment_id, "member_id": member_id},
                conflict=["moment_id", "member_id"],
            ).returning(CheerRow.moment_id)
        )
        return added.first() is not None

    async def received_counts(
        self, workspace_id: int, since: dt.datetime | None, value_id: int | None
    ) -> list[tuple[int, int]]:
        stmt = (
            select(NomineeRow.member_id, func.count().label("n"))
            .join(HeroMomentRow, HeroMomentRow.id == NomineeRow.moment_id)
            .where(HeroMomentRow.workspace_id == workspace_id)
            .group_by(NomineeRow.member_id)
            .order_by(func.count().desc(), NomineeRow.member_id)
        )
        if since is not None:
            stmt = stmt.where(HeroMomentRow.created_at >= since)
        if value_id is not None:
            stmt = stmt.where(HeroMomentRow.value_id == value_id)
        return [(m, n) for m, n in (await self.session.execute(stmt)).all()]

    def _in(self, workspace_id: int, start: dt.datetime, end: dt.datetime) -> Any:
        return (
            HeroMomentRow.workspace_id == workspace_id,
            HeroMomentRow.created_at >= start,
            HeroMomentRow.created_at < end,
        )

    async def between(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime, limit: int | None = None
    ) -> list[HeroMoment]:
        """The moments recorded in [start, end), oldest first; the first `limit` of them."""
        stmt = (
            select(HeroMomentRow)
            .where(*self._in(workspace_id, start, end))
            .order_by(HeroMomentRow.created_at, HeroMomentRow.id)
            .limit(limit)
        )
        return await self._load(stmt)

    async def count_between(self, workspace_id: int, start: dt.datetime, end: dt.datetime) -> int:
        stmt = (
            select(func.count())
            .select_from(HeroMomentRow)
            .where(*self._in(workspace_id, start, end))
        )
        return (await self.session.execute(stmt)).scalar_one()

    async def counts_within(
        self, workspace_id: int, spans: Sequence[tuple[dt.datetime, dt.datetime]]
    ) -> list[int]:
        """How many moments were recorded in each [start, end) span: one statement."""
        return await counts_within(
            self.session,
            HeroMomentRow.created_at,
            spans,
            HeroMomentRow.workspace_id == workspace_id,
        )

    async def involving(
        self, workspace_id: int, member_id: int, since: dt.datetime | None = None
    ) -> list[HeroMoment]:
        nominated = select(NomineeRow.moment_id).where(NomineeRow.member_id == member_id)
        stmt = (
            select(HeroMomentRow)
            .where(
                HeroMomentRow.workspace_id == workspace_id,
                or_(HeroMomentRow.nominator_id == member_id, HeroMomentRow.id.in_(nominated)),
            )
            .order_by(HeroMomentRow.created_at.desc())
        )
        if since is not None:
            stmt = stmt.where(HeroMomentRow.created_at >= since)
        return await self._load(stmt)
