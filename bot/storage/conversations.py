"""Conversation references: where the bot may post later without being spoken to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Conversation
from bot.storage.tables import ConversationRow
from bot.storage.upsert import upsert


def to_conversation(row: ConversationRow) -> Conversation:
    return Conversation(row.workspace_id, row.conversation_id, row.kind, row.address, row.user_id)


class SqlConversations:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _row(self, workspace_id: int, conversation_id: str) -> ConversationRow | None:
        stmt = select(ConversationRow).where(
            ConversationRow.workspace_id == workspace_id,
            ConversationRow.conversation_id == conversation_id,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def save(self, conversation: Conversation, now: dt.datetime) -> None:
        """Insert or refresh; a concurrent insert of the same conversation is not an error."""
        values = {
            "kind": conversation.kind,
            "user_id": conversation.user_id,
            "address": conversation.address,
            "updated_at": now,
        }
        await self.session.execute(
            upsert(
                self.session,
                ConversationRow,
                {
                    "workspace_id": conversation.workspace_id,
                    "conversation_id": conversation.conversation_id,
                    **values,
                },
                conflict=["workspace_id", "conversation_id"],
                update=values,
            )
        )

    async def get(self, workspace_id: int, conversation_id: str) -> Conversation | None:
        row = await self._row(workspace_id, conversation_id)
        return to_conversation(row) if row else None

    async def personal(self, workspace_id: int, user_id: str) -> Conversation | None:
        stmt = (
            select(ConversationRow)
            .where(
                ConversationRow.workspace_id == workspace_id,
                ConversationRow.user_id == user_id,
                ConversationRow.kind == "personal",
            )
            .order_by(ConversationRow.updated_at.desc())
            .limit(1)
        )
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        return to_conversation(row) if row else None

    async def latest(self, workspace_id: int) -> Conversation | None:
        """The most recently seen conversation of a workspace (its service address)."""
        stmt = (
            select(ConversationRow)
            .where(ConversationRow.workspace_id == workspace_id)
            .order_by(ConversationRow.updated_at.desc(), ConversationRow.id.desc())
            .limit(1)
        )
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        return to_conversation(row) if row else None
