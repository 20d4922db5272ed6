"""Sending to Teams through the Bot Connector: replies in a turn, and proactive messages
(digests, reminders, DMs) from the conversation references stored in the database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from botframework.connector.auth import BotFrameworkAuthentication, ClaimsIdentity

from bot.adapters.teams.activities import base_conversation
from bot.adapters.teams.compose import Composer
from bot.adapters.teams.connector import Connector
from bot.core.errors import DeliveryError
from bot.core.messages import Message
from bot.core.model import Conversation, Member, Workspace
from bot.core.ports import Clock, UnitOfWork

log = logging.getLogger("wowbot.teams")

# Teams allows a bot 7 messages a second, 60 in 30 seconds, per conversation: 2 a second.
SPACING = 0.5


class TeamsMessenger(Connector):
    """The outbox's and the turn's sends: each kind of destination, and updates."""

    def __init__(
        self,
        auth: BotFrameworkAuthentication,
        claims: ClaimsIdentity,
        uow: Callable[[], UnitOfWork],
        clock: Clock,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(auth, claims, sleep)
        self.uow, self.clock = uow, clock
        self.compose = Composer(uow)
        self.spacing_seconds = SPACING

    # The messenger the outbox and the platform router call.

    def spacing(self, workspace: Workspace) -> float:
        return self.spacing_seconds

    async def post(
        self,
        workspace: Workspace,
        *,
        channel: str | None = None,
        thread: dict[str, Any] | None = None,
        member: Member | None = None,
        message: Message,
    ) -> dict[str, Any]:
        activity = await self.compose.message_activity(workspace, message)
        if thread is not None:
            return await self.reply_in_thread(thread, activity)
        if member is not None:
            conversation = await self.personal(workspace, member.user_id)
            return await self.send(conversation, activity)
        async with self.uow() as uow:
            found = await uow.conversations.get(workspace.id, channel or "")
        if found is None:
            raise DeliveryError(
                f"the bot has not met the conversation {channel} yet: add the bot there "
                "(or mention it there once), then try again",
                permanent=True,
            )
        return await self.send(found, activity, new_thread=True)

    async def update(self, workspace: Workspace, ref: dict[str, Any], message: Message) -> None:
        if not ref.get("activity"):  # the send was accepted without an id (HTTP 202, no body)
            raise DeliveryError(
                "the original message came back from Teams without an activity id, so it "
                "cannot be updated",
                permanent=True,
                skipped=True,
            )
        activity = await self.compose.message_activity(workspace, message)
        activity.id = ref["activity"]
        client = await self.client(ref["service_url"])
        await self.call(
            lambda: client.conversations.update_activity(
                ref["conversation"], ref["activity"], activity
            )
        )

    async def answer(
        self, workspace: Workspace, handle: dict[str, Any], message: Message, *, public: bool
    ) -> None:
        """Teams answers in the turn; an answer queued for later is a post where it was
        asked (privately: the personal chat, as Teams has no "only you" in a channel)."""
        if public:
            await self.post(workspace, channel=handle.get("channel"), message=message)
            return
        conversation = await self.personal(workspace, handle["user"])
        await self.send(conversation, await self.compose.message_activity(workspace, message))

    # Destinations.

    async def send(
        self,
        conversation: Conversation,
        activity: Activity,
        *,
        new_thread: bool = False,
        attempts: int = 1,
    ) -> dict[str, Any]:
        """Post to a conversation; in a Teams channel a new post starts its own thread."""
        address = conversation.address
        service_url = address["serviceUrl"]
        client = await self.client(service_url)
        if conversation.kind == "channel" and new_thread:
            params = ConversationParameters(
                is_group=True,
                bot=ChannelAccount(id=address["bot"]["id"]),
                channel_data={"channel": {"id": conversation.conversation_id}},
                tenant_id=address["conversation"].get("tenantId"),
                activity=activity,
            )
            created = await self.call(
                lambda: client.conversations.create_conversation(params), attempts=attempts
            )
            return {
                "kind": "channel",
                "service_url": service_url,
                "conversation": created.id,
                "activity": created.activity_id or created.id.rpartition("=")[2],
            }
        sent = await self.call(
            lambda: client.conversations.send_to_conversation(
                conversation.conversation_id, activity
            ),
            attempts=attempts,
        )
        return {
            "kind": conversation.kind,
            "service_url": service_url,
            "conversation": conversation.conversation_id,
            "activity": sent.id if sent else None,
        }

    async def reply_in_thread(
        self, thread: dict[str, Any], activity: Activity, *, attempts: int = 1
    ) -> dict[str, Any]:
        client = await self.client(thread["service_url"])
        conversation_id = thread["conversation"]
        if not thread.get("activity"):  # the parent came back without an id: post beside it
            conversation_id = base_conversation(conversation_id)
            call = lambda: client.conversations.send_to_conversation(conversation_id, activity)  # noqa: E731
        elif thread.get("kind") == "channel":
            if ";messageid=" not in conversation_id:
                conversation_id = f"{conversation_id};messageid={thread['activity']}"
            call = lambda: client.conversations.send_to_conversation(conversation_id, activity)  # noqa: E731
        else:
            call = lambda: client.conversations.reply_to_activity(  # noqa: E731
                conversation_id, thread["activity"], activity
            )
        sent = await self.call(call, attempts=attempts)
        return {
            "kind": thread.get("kind"),
            "service_url": thread["service_url"],
            "conversation": conversation_id,
            "activity": sent.id if sent else None,
        }

    async def personal(self, workspace: Workspace, user_id: str) -> Conversation:
        """The member's personal chat with the bot, created through the connector if need be."""
        async with self.uow() as uow:
            known = await uow.conversations.personal(workspace.id, user_id)
            anywhere = known or await uow.conversations.latest(workspace.id)
        if known is not None:
            return known
        if anywhere is None:
            raise DeliveryError(
                "the bot has not met anyone in this Teams tenant yet: install it first",
                permanent=True,
            )
        address = anywhere.address
        tenant = workspace.external_id
        params = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=address["bot"]["id"]),
            members=[ChannelAccount(id=user_id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        client = await self.client(address["serviceUrl"])
        created = await self.call(lambda: client.conversations.create_conversation(params))
        reference = ConversationReference(
            bot=ChannelAccount(**address["bot"]),
            user=ChannelAccount(id=user_id),
            conversation=ConversationAccount(
                id=created.id, tenant_id=tenant, conversation_type="personal"
            ),
            channel_id=address.get("channelId", "msteams"),
            service_url=created.service_url or address["serviceUrl"],
        )
        conversation = Conversation(
            workspace.id, created.id, "personal", reference.serialize(), user_id
        )
        async with self.uow() as uow:
            await uow.conversations.save(conversation, self.clock.now())
            await uow.commit()
        return conversation
