"""Reading what Teams sends: where an activity came from, who is mentioned, the command
typed, the conversation's reference and name, and the names and zones of people."""

from __future__ import annotations

import html
import re
from typing import Any

from botbuilder.schema import Activity, ConversationReference

from bot.core.model import Profile, Workspace
from bot.core.texts import platforms as tx
from bot.core.tokens import to_wire

LEADING_WOW = re.compile(r"^\s*/?wow\b[:,]?\s*", re.IGNORECASE)


def tenant_of(activity: Activity) -> str | None:
    data = activity.channel_data or {}
    tenant = (data.get("tenant") or {}).get("id") if isinstance(data, dict) else None
    return tenant or getattr(activity.conversation, "tenant_id", None)


def where(activity: Activity) -> tuple[str, str]:
    """(kind, conversation id) of the place the activity came from; a channel's own id,
    not the thread's, so `admin channel wall` binds the channel."""
    conversation = activity.conversation
    kind = conversation.conversation_type or ("groupChat" if conversation.is_group else "personal")
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    if kind == "channel":
        return kind, (data.get("channel") or {}).get("id") or base_conversation(conversation.id)
    return kind, conversation.id


def shown_name(activity: Activity) -> str | None:
    """A channel as people know it: "General in Support Team". Teams names the channel in
    `channelData` or the conversation, and the team in `channelData` (a team's General
    channel has the team's own id and often no name)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel, team = data.get("channel") or {}, data.get("team") or {}
    name = channel.get("name") or getattr(activity.conversation, "name", None)
    if not name and channel.get("id") and channel.get("id") == team.get("id"):
        name = tx.GENERAL
    if name and team.get("name"):
        return tx.channel_in_team(str(name), str(team["name"]))
    return str(name) if name else None


def mentions_of(activity: Activity) -> list[dict[str, Any]]:
    found = []
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        if entity.type == "mention":
            mentioned = getattr(entity, "mentioned", None) or props.get("mentioned") or {}
            if not isinstance(mentioned, dict):
                mentioned = {"id": mentioned.id, "name": mentioned.name}
            text = getattr(entity, "text", None) or props.get("text") or ""
            if mentioned.get("id") and text:
                found.append(
                    {"id": mentioned["id"], "name": mentioned.get("name") or "", "text": text}
                )
    return found


def command_text(activity: Activity) -> str:
    """The typed command in the core's wire form: the bot's own mention removed, other
    mention entities as `<@id|name>`, everything else escaped as typed."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    pieces: list[str] = []
    rest = text
    for mention in mentions_of(activity):
        before, found, after = rest.partition(mention["text"])
        if not found:
            continue
        pieces.append(to_wire(html.unescape(before)))
        if mention["id"] != bot_id:
            name = re.sub(r"[|<>]", "", mention["name"])
            pieces.append(f"<@{mention['id']}|{name}>")
        rest = after
    pieces.append(to_wire(html.unescape(rest)))
    return LEADING_WOW.sub("", "".join(pieces).replace("\xa0", " ").strip(), count=1)


def base_conversation(conversation_id: str) -> str:
    """A channel thread's conversation id without its `;messageid=…` part."""
    return conversation_id.split(";messageid=", 1)[0]


def reference_of(activity: Activity) -> ConversationReference:
    return ConversationReference(
        user=activity.from_property,
        bot=activity.recipient,
        conversation=activity.conversation,
        channel_id=activity.channel_id,
        locale=activity.locale,
        service_url=activity.service_url,
    )


class TeamsDirectory:
    """Names and zones as Teams tells them in each activity, remembered for the process."""

    def __init__(self) -> None:
        self._profiles: dict[tuple[str, str], Profile] = {}

    def remember(self, tenant: str, user_id: str, name: str | None, tz: str | None) -> None:
        if not user_id:
            return
        known = self._profiles.get((tenant, user_id))
        self._profiles[(tenant, user_id)] = Profile(
            name or (known.name if known else user_id), tz or (known.tz if known else None)
        )

    async def profile(self, workspace: Workspace, user_id: str) -> Profile:
        return self._profiles.get((workspace.external_id, user_id)) or Profile(user_id)

    async def user_by_email(self, workspace: Workspace, email: str) -> str | None:
        """Teams activities carry no email, and a tenant's directory needs Microsoft Graph
        permissions the bot does not ask for: `admin agent` names Teams colleagues."""
        return None
