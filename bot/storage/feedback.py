"""Customer feedback (SPEC §9): recorded once per helpdesk ticket and source, listed newest
first."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.feedback import SCALES
from bot.core.model import Feedback
from bot.storage.tables import FeedbackRow


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
    )


class SqlFeedback:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, feedback: Feedback) -> Feedback:
        row = FeedbackRow(
            workspace_id=feedback.workspace_id,
            customer=feedback.customer,
            scale=feedback.scale,
            score=feedback.score,
            comment=feedback.comment,
            agent_id=feedback.agent_id,
            source=feedback.source,
            ticket=feedback.ticket,
            url=feedback.url,
            by_id=feedback.by_id,
            given_at=feedback.given_at,
            created_at=feedback.created_at,
        )
        self.session.add(row)
        await self.session.flush()
        return _to_feedback(row)

    async def get(self, workspace_id: int, feedback_id: int) -> Feedback | None:
        row = await self.session.get(FeedbackRow, feedback_id)
        return _to_feedback(row) if row and row.workspace_id == workspace_id else None

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
        stmt = stmt.order_by(FeedbackRow.given_at.desc(), FeedbackRow.id.desc()).limit(limit)
        return [_to_feedback(r) for r in (await self.session.execute(stmt)).scalars()]
