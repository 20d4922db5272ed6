"""Follow-ups: reminder and nudge claims that hand each due row to exactly one worker."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import FollowUp, FollowUpStatus, Tally
from bot.storage.claims import claim_rows
from bot.storage.tables import FollowUpRow, aware_utc

OPEN = FollowUpStatus.OPEN.value


def to_followup(r: FollowUpRow) -> FollowUp:
    return FollowUp(
        id=r.id,
        workspace_id=r.workspace_id,
        owner_id=r.owner_id,
        customer=r.customer,
        note=r.note,
        due_at=r.due_at,
        status=FollowUpStatus(r.status),
        origin=r.origin,
        created_at=r.created_at,
        gift_id=r.gift_id,
        case_id=r.case_id,
        snoozes=r.snoozes,
        reminders=r.reminders,
        reminded_at=r.reminded_at,
        nudged_at=r.nudged_at,
        done_at=r.done_at,
        reminder_key=r.reminder_key,
    )


class SqlFollowUps:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, followup: FollowUp) -> FollowUp:
        row = FollowUpRow(
            workspace_id=followup.workspace_id,
            owner_id=followup.owner_id,
            customer=followup.customer,
            note=followup.note,
            due_at=followup.due_at,
            status=followup.status.value,
            origin=followup.origin,
            gift_id=followup.gift_id,
            case_id=followup.case_id,
            snoozes=0,
            reminders=0,
            created_at=followup.created_at,
        )
        self.session.add(row)
        await self.session.flush()
        followup.id = row.id
        return followup

    async def get(self, workspace_id: int, followup_id: int) -> FollowUp | None:
        row = await self.session.get(FollowUpRow, followup_id, populate_existing=True)
        return to_followup(row) if row is not None and row.workspace_id == workspace_id else None

    async def update_open(self, followup_id: int, **changes: Any) -> bool:
        stmt = (
            update(FollowUpRow)
            .where(FollowUpRow.id == followup_id, FollowUpRow.status == OPEN)
            .values(**changes)
            .execution_options(synchronize_session=False)
        )
        return (await self.session.execute(stmt)).rowcount == 1  # type: ignore[attr-defined]

    async def open(
        self,
        workspace_id: int,
        *,
        owner_id: int | None = None,
        due_before: dt.datetime | None = None,
    ) -> list[FollowUp]:
        stmt = select(FollowUpRow).where(
            FollowUpRow.workspace_id == workspace_id, FollowUpRow.status == OPEN
        )
        if owner_id is not None:
            stmt = stmt.where(FollowUpRow.owner_id == owner_id)
        if due_before is not None:
            stmt = stmt.where(FollowUpRow.due_at < due_before)
        stmt = stmt.order_by(FollowUpRow.due_at, FollowUpRow.id)
        return [to_followup(r) for r in (await self.session.execute(stmt)).scalars()]

    async def on_time(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> tuple[int, int]:
        """Of the follow-ups done in [start, end): how many, and how many by their due time."""
        stmt = select(
            func.count(),
            func.coalesce(
                func.sum(case((FollowUpRow.done_at <= FollowUpRow.due_at, 1), else_=0)), 0
            ),
        ).where(
            FollowUpRow.workspace_id == workspace_id,
            FollowUpRow.status == FollowUpStatus.DONE.value,
            FollowUpRow.done_at >= start,
            FollowUpRow.done_at < end,
        )
        done, in_time = (await self.session.execute(stmt)).one()
        return int(done), int(in_time)

    async def tally_open(
        self,
        workspace_id: int,
        *,
        due_from: dt.datetime | None = None,
        due_before: dt.datetime,
        limit: int,
    ) -> Tally[FollowUp]:
        """How many open follow-ups are due in [due_from, due_before), and the first `limit`
        of them by due time."""
        where = [
            FollowUpRow.workspace_id == workspace_id,
            FollowUpRow.status == OPEN,
            FollowUpRow.due_at < due_before,
        ]
        if due_from is not None:
            where.append(FollowUpRow.due_at >= due_from)
        count = select(func.count()).select_from(FollowUpRow).where(*where)
        first = (
            select(FollowUpRow)
            .where(*where)
            .order_by(FollowUpRow.due_at, FollowUpRow.id)
            .limit(limit)
        )
        return Tally(
            (await self.session.execute(count)).scalar_one(),
            [to_followup(r) for r in (await self.session.execute(first)).scalars()],
        )

    async def claim_due(
        self, now: dt.datetime, limit: int, *, owner_id: int | None = None
    ) -> list[FollowUp]:
        """Due follow-ups not reminded yet, an owner's together (by owner, then due time);
        only `owner_id`'s if given."""
        due = [FollowUpRow.status == OPEN, FollowUpRow.reminded_at.is_(None)]
        due.append(FollowUpRow.due_at <= now)
        if owner_id is not None:
            due.append(FollowUpRow.owner_id == owner_id)
        rows = await claim_rows(
            self.session,
            FollowUpRow,
            due=due,
            order_by=(FollowUpRow.owner_id, FollowUpRow.due_at),
            values={FollowUpRow.reminded_at: now, FollowUpRow.reminders: FollowUpRow.reminders + 1},
            limit=limit,
        )
        return [to_followup(r) for r in rows]

    async def claim_nudges(
        self, now: dt.datetime, after: dt.timedelta, limit: int, *, owner_id: int | None = None
    ) -> list[FollowUp]:
        """Open follow-ups reminded `after` ago and not nudged yet, an owner's together."""
        due = [FollowUpRow.status == OPEN, FollowUpRow.nudged_at.is_(None)]
        due.append(FollowUpRow.reminded_at <= now - after)
        if owner_id is not None:
            due.append(FollowUpRow.owner_id == owner_id)
        rows = await claim_rows(
            self.session,
            FollowUpRow,
            due=due,
            order_by=(FollowUpRow.owner_id, FollowUpRow.reminded_at),
            values={FollowUpRow.nudged_at: now},
            limit=limit,
        )
        return [to_followup(r) for r in rows]

    async def remind_in(self, keys: dict[int, str]) -> None:
        """Record which message carries each follow-up's buttons now (by its outbox key)."""
        if keys:
            table = cast(Table, FollowUpRow.__table__)
            await self.session.execute(
                update(table)
                .where(table.c.id == bindparam("fid"))
                .values(reminder_key=bindparam("rkey")),
                [{"fid": fid, "rkey": key} for fid, key in keys.items()],
            )

    async def by_ids(
        self, workspace_id: int, ids: list[int], *, lock: bool = False
    ) -> list[FollowUp]:
        """These follow-ups, by id; with `lock`, held until the transaction ends (in id
        order, so two transactions locking overlapping sets take turns, never deadlock)."""
        if not ids:
            return []
        stmt = (
            select(FollowUpRow)
            .where(FollowUpRow.workspace_id == workspace_id, FollowUpRow.id.in_(ids))
            .order_by(FollowUpRow.id)
            .execution_options(populate_existing=True)
        )
        if lock:
            stmt = stmt.with_for_update()
        return [to_followup(r) for r in (await self.session.execute(stmt)).scalars()]

    async def next_moment(self, nudge_after: dt.timedelta) -> dt.datetime | None:
        due = (
            await self.session.execute(
                select(func.min(FollowUpRow.due_at)).where(
                    FollowUpRow.status == OPEN, FollowUpRow.reminded_at.is_(None)
                )
            )
        ).scalar_one_or_none()
        reminded = (
            await self.session.execute(
                select(func.min(FollowUpRow.reminded_at)).where(
                    FollowUpRow.status == OPEN,
                    FollowUpRow.reminded_at.is_not(None),
                    FollowUpRow.nudged_at.is_(None),
                )
            )
        ).scalar_one_or_none()
        moments = [m for m in (aware_utc(due), aware_utc(reminded)) if m is not None]
        if reminded is not None:
            moments[-1] = moments[-1] + nudge_after
        return min(moments) if moments else None
