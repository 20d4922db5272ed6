"""Service-recovery cases (SPEC §9): each step a conditional UPDATE on the status; the
escalation of an overdue case claimed once, by one worker."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.recovery import BEFORE_CONTACT, UNRESOLVED, CaseStatus, RecoveryCase
from bot.core.texts.recovery import RECOVERED
from bot.storage.aggregates import median, seconds_between
from bot.storage.claims import claim_rows
from bot.storage.tables import aware_utc
from bot.storage.voice_tables import RecoveryCaseRow

FIELDS = (
    "owner_id",
    "gift_id",
    "outcome",
    "note",
    "escalated_at",
    "taken_at",
    "contacted_at",
    "resolved_at",
)


def to_case(r: RecoveryCaseRow) -> RecoveryCase:
    return RecoveryCase(
        id=r.id,
        workspace_id=r.workspace_id,
        feedback_id=r.feedback_id,
        customer=r.customer,
        agent_id=r.agent_id,
        status=CaseStatus(r.status),
        channel=r.channel,
        due_at=r.due_at,
        created_at=r.created_at,
        **{name: getattr(r, name) for name in FIELDS},
    )


class SqlRecoveries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, case: RecoveryCase) -> RecoveryCase:
        row = RecoveryCaseRow(
            workspace_id=case.workspace_id,
            feedback_id=case.feedback_id,
            customer=case.customer,
            agent_id=case.agent_id,
            status=case.status.value,
            channel=case.channel,
            due_at=case.due_at,
            created_at=case.created_at,
            **{name: getattr(case, name) for name in FIELDS},
        )
        self.session.add(row)
        await self.session.flush()
        return to_case(row)

    async def _one(self, *where: Any) -> RecoveryCase | None:
        stmt = select(RecoveryCaseRow).where(*where).execution_options(populate_existing=True)
        row = (await self.session.execute(stmt.limit(1))).scalars().first()
        return to_case(row) if row else None

    async def get(self, workspace_id: int, case_id: int) -> RecoveryCase | None:
        return await self._one(
            RecoveryCaseRow.id == case_id, RecoveryCaseRow.workspace_id == workspace_id
        )

    async def for_feedback(self, feedback_id: int) -> RecoveryCase | None:
        return await self._one(RecoveryCaseRow.feedback_id == feedback_id)

    async def by_gift(self, gift_id: int) -> RecoveryCase | None:
        return await self._one(RecoveryCaseRow.gift_id == gift_id)

    async def latest_for(
        self, workspace_id: int, customer: str, before: dt.datetime
    ) -> RecoveryCase | None:
        """The customer's newest case opened before `before` (names compared as written,
        case aside)."""
        stmt = (
            select(RecoveryCaseRow)
            .where(
                RecoveryCaseRow.workspace_id == workspace_id,
                func.lower(RecoveryCaseRow.customer) == customer.lower(),
                RecoveryCaseRow.created_at <= before,
            )
            .order_by(RecoveryCaseRow.created_at.desc(), RecoveryCaseRow.id.desc())
            .limit(1)
        )
        row = (await self.session.execute(stmt)).scalars().first()
        return to_case(row) if row else None

    async def step(
        self,
        case_id: int,
        allowed: tuple[CaseStatus, ...],
        owner: int | Literal["any"] | None = "any",
        **changes: Any,
    ) -> bool:
        values = {k: (v.value if isinstance(v, CaseStatus) else v) for k, v in changes.items()}
        owned = (
            []
            if owner == "any"
            else [
                RecoveryCaseRow.owner_id.is_(None)
                if owner is None
                else RecoveryCaseRow.owner_id == owner
            ]
        )
        result = await self.session.execute(
            update(RecoveryCaseRow)
            .where(
                RecoveryCaseRow.id == case_id,
                RecoveryCaseRow.status.in_([s.value for s in allowed]),
                *owned,
            )
            .values(values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def claim_escalations(self, now: dt.datetime, limit: int) -> list[RecoveryCase]:
        rows = await claim_rows(
            self.session,
            RecoveryCaseRow,
            due=[
                RecoveryCaseRow.status.in_([s.value for s in BEFORE_CONTACT]),
                RecoveryCaseRow.escalated_at.is_(None),
                RecoveryCaseRow.due_at <= now,
            ],
            order_by=RecoveryCaseRow.due_at,
            values={RecoveryCaseRow.escalated_at: now},
            limit=limit,
        )
        return [to_case(r) for r in rows]

    async def next_escalation(self) -> dt.datetime | None:
        stmt = select(func.min(RecoveryCaseRow.due_at)).where(
            RecoveryCaseRow.status.in_([s.value for s in BEFORE_CONTACT]),
            RecoveryCaseRow.escalated_at.is_(None),
        )
        return aware_utc((await self.session.execute(stmt)).scalar_one_or_none())

    async def listed(
        self,
        workspace_id: int,
        statuses: tuple[CaseStatus, ...],
        limit: int,
        owner_id: int | None = None,
        *,
        oldest_first: bool = False,
    ) -> list[RecoveryCase]:
        mine = [] if owner_id is None else [RecoveryCaseRow.owner_id == owner_id]
        stmt = (
            select(RecoveryCaseRow)
            .where(
                RecoveryCaseRow.workspace_id == workspace_id,
                RecoveryCaseRow.status.in_([s.value for s in statuses]),
                *mine,
            )
            .order_by(
                *(
                    (RecoveryCaseRow.created_at, RecoveryCaseRow.id)
                    if oldest_first
                    else (RecoveryCaseRow.created_at.desc(), RecoveryCaseRow.id.desc())
                )
            )
            .limit(limit)
        )
        return [to_case(r) for r in (await self.session.execute(stmt)).scalars()]

    async def outcomes(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> tuple[int, int]:
        """Cases resolved in [start, end), and how many of them recovered the customer."""
        stmt = select(
            func.count(),
            func.coalesce(func.sum(case((RecoveryCaseRow.outcome == RECOVERED, 1), else_=0)), 0),
        ).where(
            RecoveryCaseRow.workspace_id == workspace_id,
            RecoveryCaseRow.status == CaseStatus.RESOLVED.value,
            RecoveryCaseRow.resolved_at >= start,
            RecoveryCaseRow.resolved_at < end,
        )
        resolved, recovered = (await self.session.execute(stmt)).one()
        return int(resolved), int(recovered)

    async def median_contact_hours(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> float | None:
        """The median time from a case's opening to its first contact, of cases contacted
        in [start, end)."""
        seconds = await median(
            self.session,
            seconds_between(self.session, RecoveryCaseRow.created_at, RecoveryCaseRow.contacted_at),
            RecoveryCaseRow.workspace_id == workspace_id,
            RecoveryCaseRow.contacted_at >= start,
            RecoveryCaseRow.contacted_at < end,
        )
        return None if seconds is None else seconds / 3600

    async def unposted(self, workspace_id: int, limit: int | None = None) -> list[RecoveryCase]:
        """Unresolved cases that came in while there was no channel to post them to, the
        oldest first (at most `limit`)."""
        stmt = (
            select(RecoveryCaseRow)
            .where(
                RecoveryCaseRow.workspace_id == workspace_id,
                RecoveryCaseRow.channel == "",
                RecoveryCaseRow.status.in_([s.value for s in UNRESOLVED]),
            )
            .order_by(RecoveryCaseRow.id)
            .limit(limit)
        )
        return [to_case(r) for r in (await self.session.execute(stmt)).scalars()]

    async def place(self, case_id: int, channel: str) -> bool:
        """Give an unposted case its channel; False if it has one already."""
        result = await self.session.execute(
            update(RecoveryCaseRow)
            .where(RecoveryCaseRow.id == case_id, RecoveryCaseRow.channel == "")
            .values(channel=channel)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def open_count(self, workspace_id: int) -> int:
        stmt = select(func.count()).where(
            RecoveryCaseRow.workspace_id == workspace_id,
            RecoveryCaseRow.status.in_([s.value for s in UNRESOLVED]),
        )
        return int((await self.session.execute(stmt)).scalar_one())
