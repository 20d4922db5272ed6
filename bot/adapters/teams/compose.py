"""Building what the bot sends to Teams: a card in a message activity, the people it
pings as mention entities, the channels it names by the names people know."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment, ChannelAccount, Mention

from bot.adapters.teams.cards import CONTENT_TYPE, channel_ids, mention_parts, summary, to_card
from bot.adapters.teams.forms import form_card
from bot.core.messages import Message
from bot.core.model import Workspace
from bot.core.ports import UnitOfWork


def activity(
    content: dict[str, Any], people: Sequence[tuple[str, str]] = (), summary: str = ""
) -> Activity:
    """A message activity carrying one card; `people` are pinged by mention entities in
    its text (never inside the card)."""
    text, entities = mention_parts(people)
    return Activity(
        type=ActivityTypes.message,
        text=text or None,
        text_format="markdown" if text else None,
        summary=summary[:200] or None,
        entities=[
            Mention(mentioned=ChannelAccount(**e["mentioned"]), text=e["text"], type="mention")
            for e in entities
        ]
        or None,
        attachments=[Attachment(content_type=CONTENT_TYPE, content=content)],
    )


class Composer:
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self.uow = uow

    async def mentioned(self, workspace: Workspace, message: Message) -> list[tuple[str, str]]:
        if not message.mentions:
            return []
        async with self.uow() as uow:
            people = [await uow.members.by_user(workspace.id, u) for u in message.mentions]
        return [(m.user_id, m.name) for m in people if m is not None]

    async def channel_names(self, workspace: Workspace, message: Message) -> dict[str, str]:
        names: dict[str, str] = {}
        channels = channel_ids(message)
        if not channels:  # most messages name none: no database round trip
            return names
        async with self.uow() as uow:
            for channel in channels:
                known = await uow.conversations.get(workspace.id, channel)
                if known and known.address.get("displayName"):
                    names[channel] = known.address["displayName"]
        return names

    async def message_activity(self, workspace: Workspace, message: Message) -> Activity:
        names = await self.channel_names(workspace, message)
        content = form_card(message.form) if message.form else to_card(message, names)
        people = await self.mentioned(workspace, message)
        return activity(content, people, summary(message, names))
