"""Customer feedback (SPEC §9): recorded once per helpdesk ticket and source, listed newest
first; and the names helpdesks give members."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.feedback import SCALES
from bot.core.model import Feedback, Tally
from bot.storage.upsert import upsert
from bot.storage.voice_tables import AgentAliasRow, FeedbackRow

# What a repeat of a rating changes; the rest (id, source, ticket, when it first came) stays
CHANGES = ("customer", "scale", "score", "comment", "agent_id", "agent_ref", "url", "given_at")


def _to_feedback(r: FeedbackRow) -> Feedback:
    return Feedback(
        id=r.id,
        workspace_id=r.workspace_id,
        customer=r.customer,
        scale=r.scale,
        score=r.score,
        comment=r.comment,
        agent_id=r.agent_id,
        source=r.source,
        given_at=r.given_at,
        created_at=r.created_at,
        ticket=r.ticket,
        url=r.url,
        by_id=r.by_id,
        agent_ref=r.agent_ref,
        case_id=r.case_id,
    )


class SqlFeedback:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, feedback: Feedback) -> tuple[Feedback, Feedback | None]:
        values = {
            "workspace_id": feedback.workspace_id,
            "source": feedback.source,
            "ticket": feedback.ticket,
            "by_id": feedback.by_id,
            "case_id": feedback.case_id,
            "created_at": feedback.created_at,
            **{name: getattr(feedback, name) for name in CHANGES},
        }
        if feedback.ticket is None:  # typed: never a repeat
            row = FeedbackRow(**values)
            self.session.add(row)
            await self.session.flush()
            return _to_feedback(row), None
        before = await self._by_ticket(feedback.workspace_id, feedback.source, feedback.ticket)
        # One statement whether or not the ticket was rated: two pushes at once make one row
        await self.session.execute(
            upsert(
                self.session,
                FeedbackRow,
                values,
                conflict=["workspace_id", "source", "ticket"],
                update={name: values[name] for name in CHANGES},
            )
        )
        saved = await self._by_ticket(feedback.workspace_id, feedback.source, feedback.ticket)
        assert saved is not None
        return saved, before

    async def _by_ticket(self, workspace_id: int, source: str, ticket: str) -> Feedback | None:
        stmt = (
            select(FeedbackRow)
            .where(
                FeedbackRow.workspace_id == workspace_id,
                FeedbackRow.source == source,
                FeedbackRow.ticket == ticket,
            )
            .execution_options(populate_existing=True)
        )
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        return _to_feedback(row) if row else None

    async def get(self, workspace_id: int, feedback_id: int) -> Feedback | None:
        row = await self.session.get(FeedbackRow, feedback_id)
        return _to_feedback(row) if row and row.workspace_id == workspace_id else None

    async def link(self, feedback_id: int, case_id: int) -> None:
        await self.session.execute(
            update(FeedbackRow)
            .where(FeedbackRow.id == feedback_id)
            .values(case_id=case_id)
            .execution_options(synchronize_session=False)
        )

    async def recent(self, workspace_id: int, kind: str, limit: int) -> list[Feedback]:
        """The newest first; `kind`: recent (all), praise or poor, by each scale's bounds."""
        stmt = select(FeedbackRow).where(FeedbackRow.workspace_id == workspace_id)
        if kind in ("praise", "poor"):
            bounds = [
                (FeedbackRow.scale == s.name)
                & (
                    FeedbackRow.score >= s.praise_from
                    if kind == "praise"
                    else FeedbackRow.score <= s.recovery_to
                )
                for s in SCALES.values()
            ]
            stmt = stmt.where(or_(*bounds))
        elif kind == "unmatched":
            stmt = stmt.where(FeedbackRow.agent_id.is_(None), FeedbackRow.agent_ref.is_not(None))
        stmt = stmt.order_by(FeedbackRow.given_at.desc(), FeedbackRow.id.desc()).limit(limit)
        return [_to_feedback(r) for r in (await self.session.execute(stmt)).scalars()]

    async def unmatched(self, workspace_id: int, limit: int) -> list[Feedback]:
        return await self.recent(workspace_id, "unmatched", limit)

    async def match(self, workspace_id: int, agent_ref: str, member_id: int) -> int:
        result = await self.session.execute(
            update(FeedbackRow)
            .where(
                FeedbackRow.workspace_id == workspace_id,
                FeedbackRow.agent_id.is_(None),
                func.lower(FeedbackRow.agent_ref) == agent_ref.lower(),
            )
            .values(agent_id=member_id)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def tallies(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> dict[str, tuple[int, float, int, int]]:
        return await _tallies(self.session, workspace_id, start, end)

    async def quotes(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime, limit: int
    ) -> list[Feedback]:
        """Praise with words given in [start, end), newest first."""
        stmt = (
            select(FeedbackRow)
            .where(
                FeedbackRow.workspace_id == workspace_id,
                FeedbackRow.given_at >= start,
                FeedbackRow.given_at < end,
                FeedbackRow.comment.is_not(None),
                FeedbackRow.score >= _bound("praise_from"),
            )
            .order_by(FeedbackRow.given_at.desc(), FeedbackRow.id.desc())
            .limit(limit)
        )
        return [_to_feedback(r) for r in (await self.session.execute(stmt)).scalars()]

    async def praise_for(
        self, workspace_id: int, agent_id: int, since: dt.datetime | None, limit: int
    ) -> Tally[Feedback]:
        """Praise about a colleague since `since`: how much, and the newest with words."""
        about = [
            FeedbackRow.workspace_id == workspace_id,
            FeedbackRow.agent_id == agent_id,
            FeedbackRow.score >= _bound("praise_from"),
            *([FeedbackRow.given_at >= since] if since is not None else []),
        ]
        count = (await self.session.execute(select(func.count()).where(*about))).scalar_one()
        stmt = (
            select(FeedbackRow)
            .where(*about, FeedbackRow.comment.is_not(None))
            .order_by(FeedbackRow.given_at.desc(), FeedbackRow.id.desc())
            .limit(limit)
        )
        first = [_to_feedback(r) for r in (await self.session.execute(stmt)).scalars()]
        return Tally(int(count), first)

    async def following(self, case_id: int) -> list[Feedback]:
        stmt = (
            select(FeedbackRow)
            .where(FeedbackRow.case_id == case_id)
            .order_by(FeedbackRow.given_at, FeedbackRow.id)
        )
        return [_to_feedback(r) for r in (await self.session.execute(stmt)).scalars()]


class SqlAgents:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def alias(self, workspace_id: int, alias: str, member_id: int) -> int | None:
        before = await self.member_for(workspace_id, alias)
        await self.session.execute(
            upsert(
                self.session,
                AgentAliasRow,
                {"workspace_id": workspace_id, "alias": alias.lower(), "member_id": member_id},
                conflict=["workspace_id", "alias"],
                update={"member_id": member_id},
            )
        )
        return before if before != member_id else None

    async def member_for(self, workspace_id: int, alias: str) -> int | None:
        stmt = select(AgentAliasRow.member_id).where(
            AgentAliasRow.workspace_id == workspace_id, AgentAliasRow.alias == alias.lower()
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def aliases(self, workspace_id: int, member_id: int) -> list[str]:
        stmt = (
            select(AgentAliasRow.alias)
            .where(AgentAliasRow.workspace_id == workspace_id, AgentAliasRow.member_id == member_id)
            .order_by(AgentAliasRow.alias)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def forget(self, workspace_id: int, alias: str) -> bool:
        result = await self.session.execute(
            delete(AgentAliasRow).where(
                AgentAliasRow.workspace_id == workspace_id, AgentAliasRow.alias == alias.lower()
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


async def _tallies(
    session: AsyncSession, workspace_id: int, start: dt.datetime, end: dt.datetime
) -> dict[str, tuple[int, float, int, int]]:
    """Per scale: ratings given in [start, end), their sum, and how many were praise and
    how many poor by that scale's bounds."""
    rows = await session.execute(
        select(
            FeedbackRow.scale,
            func.count(),
            func.sum(FeedbackRow.score),
            func.sum(case((FeedbackRow.score >= _bound("praise_from"), 1), else_=0)),
            func.sum(case((FeedbackRow.score <= _bound("recovery_to"), 1), else_=0)),
        )
        .where(
            FeedbackRow.workspace_id == workspace_id,
            FeedbackRow.given_at >= start,
            FeedbackRow.given_at < end,
        )
        .group_by(FeedbackRow.scale)
    )
    return {
        s: (int(n), float(total or 0), int(up or 0), int(down or 0))
        for s, n, total, up, down in rows
    }


def _bound(name: str) -> Any:
    """A scale's bound for the row's own scale, as SQL."""
    return case(
        *((FeedbackRow.scale == s.name, getattr(s, name)) for s in SCALES.values()),
        else_=None,
    )
