"""slack-bolt's AsyncApp on our aiohttp server: translate Slack's payloads into core commands
and actions, and Replies back into Block Kit. Every request's signature is checked by bolt."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import from_state, home_view, to_blocks, to_modal
from bot.core.commands import Action
from bot.core.messages import Reply
from bot.handlers.dispatch import Bot, Invocation

log = logging.getLogger("wowbot.slack")
PLATFORM = "slack"
WORKERS = 4


def create_client(token: str, api_url: str | None) -> AsyncWebClient:
    """A Web API client that retries 429 (honouring Retry-After), 5xx and dropped connections."""
    base = (api_url or AsyncWebClient.BASE_URL).rstrip("/") + "/"
    return AsyncWebClient(
        token=token,
        base_url=base,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=1),
            AsyncServerErrorRetryHandler(max_retry_count=2),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def field_for(message: str, blocks: list[dict[str, Any]]) -> str:
    """The input a form error is about: the one it names, else the first."""
    ids = [b.get("block_id", "") for b in blocks if b.get("type") == "input"]
    lowered = message.lower()
    return next((i for i in ids if i and i in lowered), ids[0] if ids else "")


class SlackAdapter:
    def __init__(self, bot: Bot, *, client: AsyncWebClient, signing_secret: str | None) -> None:
        self.bot, self.client = bot, client
        # Acks come first; the work after them runs a few at a time, so a burst of commands
        # never keeps the event loop from acknowledging the next request.
        self._work = asyncio.Semaphore(WORKERS)
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        # Without a signing secret there is no HTTP endpoint (Socket Mode only); bolt still
        # wants one, and no request can be signed with this unguessable one.
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret or secrets.token_hex(32),
            process_before_response=False,
        )
        self.app.middleware(self._skip_retried_events)
        self.app.command(re.compile(r"^/"))(self._command)  # the app's own command(s)
        self.app.action(re.compile(r".*"))(self._action)  # unknown ones: the core says so
        self.app.view(re.compile(r".*"))(self._view)
        self.app.event("app_home_opened")(self._home)
        for event in ("app_mention", "message", "reaction_added"):
            self.app.event(event)(self._ignore)

    async def handle(self, request: web.Request) -> web.Response:
        bolt_response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    def mount(self, web_app: web.Application, path: str = "/slack/events") -> None:
        web_app.router.add_post(path, self.handle)

    @contextlib.asynccontextmanager
    async def _working(self) -> AsyncIterator[None]:
        """Work done after an ack: a few at a time, and awaited on shutdown."""
        self._busy += 1
        self._idle.clear()
        try:
            async with self._work:
                yield
        finally:
            self._busy -= 1
            if not self._busy:
                self._idle.set()

    async def drain(self, timeout: float = 10) -> None:
        """On shutdown: let acknowledged commands finish (so they are saved and answered)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout)

    @staticmethod
    async def _skip_retried_events(req: AsyncBoltRequest, next: Any) -> BoltResponse | None:
        """An event Slack sends again (it missed our ack) was handled the first time."""
        if req.headers.get("x-slack-retry-num") and req.body.get("type") == "event_callback":
            return BoltResponse(status=200, body="")
        return await next()

    @staticmethod
    async def _ignore(ack: Any) -> None:
        await ack()

    async def _command(self, ack: Any, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()  # well inside Slack's 3 seconds; the answer follows via response_url
        who = Invocation(PLATFORM, body["team_id"], body["user_id"], body["channel_id"])
        async with self._working():
            reply = await self.bot.command(who, body.get("text", ""))
            await self._show(reply, who, respond, body.get("trigger_id"))

    async def _action(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        channel = (body.get("channel") or {}).get("id") or body["user"]["id"]
        who = Invocation(PLATFORM, body["team"]["id"], body["user"]["id"], channel)
        async with self._working():
            reply = await self.bot.action(who, Action(action["action_id"], action.get("value", "")))
            await self._show(
                reply, who, respond if body.get("response_url") else None, body.get("trigger_id")
            )

    async def _view(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}  # not one of our modals; the core will say it does not know it
        meta = meta if isinstance(meta, dict) else {}
        user = body["user"]["id"]
        who = Invocation(PLATFORM, body["team"]["id"], user, meta.get("channel") or user)
        action = Action(
            view["callback_id"], meta.get("value", ""), fields=from_state(view.get("state", {}))
        )
        reply = await self.bot.action(who, action)  # quick: its errors belong on the form
        if reply.error and reply.message:
            block = field_for(reply.message.text, view.get("blocks", []))
            await ack(response_action="errors", errors={block: reply.message.text[:2000]})
            return
        await ack()
        if reply.message:
            text, blocks = to_blocks(reply.message)
            await self.client.chat_postEphemeral(
                channel=who.channel, user=user, text=text, blocks=blocks
            )

    async def _home(self, body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        if event.get("tab", "home") != "home":
            return
        team = body.get("team_id") or context.team_id  # None in context for org-wide installs
        who = Invocation(PLATFORM, team, event["user"], event.get("channel", ""))
        message = await self.bot.home(who)
        await self.client.views_publish(user_id=event["user"], view=home_view(message))

    async def _show(
        self, reply: Reply, who: Invocation, respond: AsyncRespond | None, trigger_id: str | None
    ) -> None:
        message = reply.message
        if message is None:
            return
        if message.form is not None and trigger_id:
            await self.client.views_open(
                trigger_id=trigger_id, view=to_modal(message.form, channel=who.channel)
            )
            return
        text, blocks = to_blocks(message)
        if respond is not None:
            await respond(
                text=text,
                blocks=blocks,
                replace_original=False,
                response_type="in_channel" if reply.public else "ephemeral",
            )
        else:
            await self.client.chat_postEphemeral(
                channel=who.channel, user=who.user_id, text=text, blocks=blocks
            )
