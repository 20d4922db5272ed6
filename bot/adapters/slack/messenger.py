"""Delivering neutral messages through Slack's Web API; errors told apart for the outbox."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.blocks import to_blocks
from bot.core.errors import DeliveryError
from bot.core.messages import Message
from bot.core.model import Member, Profile, Workspace

log = logging.getLogger("wowbot.slack")

# Errors that retrying cannot fix: recorded and shown to admins.
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_auth",
    "account_inactive",
    "token_revoked",
    "no_permission",
    "missing_scope",
    "user_not_found",
    "cannot_dm_bot",
    "user_disabled",
    "message_not_found",
    "cant_update_message",
    "msg_too_long",
    "invalid_blocks",
    "restricted_action",
    "team_access_not_granted",
    "not_authed",
}


def to_delivery_error(error: Exception) -> DeliveryError:
    if isinstance(error, SlackApiError):
        response = error.response
        code = response.get("error") if isinstance(response.data, dict) else None
        status = response.status_code
        if status == 429 or code == "ratelimited":
            retry_after = float(
                response.headers.get("Retry-After", response.headers.get("retry-after", 30))
            )
            return DeliveryError(
                "ratelimited", permanent=False, retry_after=retry_after, throttled=True
            )
        if code in PERMANENT:
            return DeliveryError(code, permanent=True)
        return DeliveryError(code or f"HTTP {status}", permanent=status < 500 and bool(code))
    return DeliveryError(f"connection failed: {type(error).__name__}", permanent=False)


# Slack: "1 message per second per channel", short bursts aside (chat.postMessage docs).
SPACING = 1.0


class SlackMessenger:
    """`client` should not retry 429s itself: the outbox pauses the one conversation."""

    def __init__(self, client: AsyncWebClient, *, spacing: float = SPACING) -> None:
        self.client = client
        self.spacing_seconds = spacing

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
        text, blocks = to_blocks(message)
        try:
            kwargs: dict[str, Any] = {}
            if thread is not None:
                channel, kwargs["thread_ts"] = thread["channel"], thread["ts"]
            elif member is not None:
                # A user's ID as the channel: Slack posts in the app's DM with them (its
                # Messages tab), opening it if need be, and answers with the DM's own ID.
                # No conversations.open (Tier 3, ~50 a minute) before each member's first DM.
                channel = member.user_id
            response = await self.client.chat_postMessage(
                channel=channel or "",
                text=text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
                **kwargs,
            )
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            raise to_delivery_error(error) from error
        return {"channel": response["channel"], "ts": response["ts"]}

    async def update(self, workspace: Workspace, ref: dict[str, Any], message: Message) -> None:
        text, blocks = to_blocks(message)
        try:
            await self.client.chat_update(
                channel=ref["channel"], ts=ref["ts"], text=text, blocks=blocks
            )
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            raise to_delivery_error(error) from error

    async def answer(
        self, workspace: Workspace, handle: dict[str, Any], message: Message, *, public: bool
    ) -> None:
        """Through the request's response_url (in the channel, or "only you"); a form's
        answer, which has none, through chat.postEphemeral / chat.postMessage."""
        text, blocks = to_blocks(message)
        url = handle.get("response_url")
        try:
            if url:
                # No retry handlers here (the client's default one sleeps up to 1.5 s after
                # a connection error): the outbox retries, without holding a sender.
                webhook = AsyncWebhookClient(url, session=self.client.session, retry_handlers=[])
                response = await webhook.send_dict(
                    {
                        "text": text,
                        "blocks": blocks,
                        "replace_original": False,
                        "response_type": "in_channel" if public else "ephemeral",
                    }
                )
                if response.status_code != 200:
                    raise answer_error(response.status_code, response.body, response.headers)
            elif public:
                await self.client.chat_postMessage(
                    channel=handle["channel"], text=text, blocks=blocks, unfurl_links=False
                )
            else:
                await self.client.chat_postEphemeral(
                    channel=handle["channel"], user=handle["user"], text=text, blocks=blocks
                )
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            raise to_delivery_error(error) from error


def answer_error(status: int, body: str, headers: dict[str, Any]) -> DeliveryError:
    """What a response_url's refusal means: 429 and 5xx pass, the rest (an expired or
    used-up URL: 404 `expired_url`, `used_url`) will not."""
    if status == 429:
        retry_after = headers.get("Retry-After") or headers.get("retry-after") or [30]
        value = retry_after[0] if isinstance(retry_after, list) else retry_after
        try:
            wait = float(value)
        except ValueError:
            wait = 30.0
        return DeliveryError("ratelimited", permanent=False, retry_after=wait)
    return DeliveryError(
        f"response_url answered {status}: {body.strip()[:60] or 'no reason'}",
        permanent=status < 500,
    )


class SlackDirectory:
    """Names and time zones from `users.info`, cached for the process."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._cache: dict[str, Profile] = {}

    async def profile(self, workspace: Workspace, user_id: str) -> Profile:
        if user_id not in self._cache:
            try:
                user = (await self.client.users_info(user=user_id))["user"]
            except (SlackApiError, aiohttp.ClientError, TimeoutError):
                return Profile(user_id, None)  # not cached: try again next time
            profile = user.get("profile", {})
            name = (
                profile.get("display_name")
                or profile.get("real_name")
                or user.get("real_name")
                or user.get("name")
                or user_id
            )
            self._cache[user_id] = Profile(name, user.get("tz"), profile.get("email"))
        return self._cache[user_id]

    async def user_by_email(self, workspace: Workspace, email: str) -> str | None:
        """`users.lookupByEmail` (the users:read.email scope); None when nobody has it."""
        try:
            found = await self.client.users_lookupByEmail(email=email)
        except SlackApiError as error:
            if error.response.get("error") != "users_not_found":
                log.warning("Slack users.lookupByEmail failed: %s", error.response.get("error"))
            return None
        except (aiohttp.ClientError, TimeoutError):
            return None
        user = found.get("user") or {}
        return str(user["id"]) if user.get("id") and not user.get("deleted") else None
