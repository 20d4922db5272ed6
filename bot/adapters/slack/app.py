"""slack-bolt's AsyncApp on our aiohttp server: translate Slack's payloads into core commands
and actions, and Replies back into Block Kit. Every request's signature is checked by bolt."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
import secrets
from collections.abc import Coroutine
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.blocks import from_state, home_view, to_blocks, to_modal
from bot.core.commands import Action
from bot.core.errors import Unavailable
from bot.core.messages import Receipt, Reply
from bot.core.texts import DATABASE_DOWN
from bot.core.texts import platforms as tx
from bot.handlers.dispatch import Bot, Invocation
from bot.inbox import Inbox, Request, request_key

log = logging.getLogger("wowbot.slack")
PLATFORM = "slack"
# Slack keeps a response_url for 30 minutes; answers still queued after that become DMs.
RESPONSE_URL_LIFETIME = dt.timedelta(minutes=29)


def create_client(token: str, api_url: str | None, *, wait_out_429: bool = True) -> AsyncWebClient:
    """A Web API client that retries 5xx and dropped connections, and 429 (sleeping for its
    Retry-After) unless `wait_out_429` is False: the outbox's client, whose 429s pause only
    the conversation they came from."""
    base = (api_url or AsyncWebClient.BASE_URL).rstrip("/") + "/"
    handlers: list[Any] = [
        AsyncServerErrorRetryHandler(max_retry_count=2),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
    ]
    if wait_out_429:
        handlers.insert(0, AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    return AsyncWebClient(token=token, base_url=base, retry_handlers=handlers)


def kept(body: dict[str, Any]) -> dict[str, Any]:
    """What is saved of a request: all but the legacy verification token."""
    return {k: v for k, v in body.items() if k != "token"}


def field_for(message: str, blocks: list[dict[str, Any]]) -> str:
    """The input a form error is about: the one it names, else the first."""
    ids = [b.get("block_id", "") for b in blocks if b.get("type") == "input"]
    lowered = message.lower()
    return next((i for i in ids if i and i in lowered), ids[0] if ids else "")


class SlackAdapter:
    def __init__(
        self,
        bot: Bot,
        *,
        client: AsyncWebClient,
        signing_secret: str | None,
        inbox: Inbox,
    ) -> None:
        self.bot, self.client, self.inbox = bot, client, inbox
        # Commands and clicks are saved in the inbox before their ack and handled from there,
        # a few at a time (see `bot.inbox`); what else follows an ack (App Home, a direct
        # answer) runs in tasks awaited on shutdown.
        inbox.handle(PLATFORM, self._handle)
        self._later: set[asyncio.Task[None]] = set()
        # Without a signing secret there is no HTTP endpoint (Socket Mode only); bolt still
        # wants one, and no request can be signed with this unguessable one.
        # process_before_response: bolt answers as soon as a listener returns; every listener
        # acks and hands what follows to `_after_ack`. (Otherwise bolt runs listeners in a
        # task of its own and polls every 10 ms for the ack, which adds up to 10 ms to each
        # answer and leaves the work untracked at shutdown.)
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret or secrets.token_hex(32),
            process_before_response=True,
        )
        self.app.middleware(self._skip_retried_events)
        self.app.command(re.compile(r"^/"))(self._command)  # the app's own command(s)
        self.app.action(re.compile(r".*"))(self._action)  # unknown ones: the core says so
        self.app.view(re.compile(r".*"))(self._view)
        self.app.event("app_home_opened")(self._home)
        for event in ("app_mention", "message", "reaction_added"):
            self.app.event(event)(self._ignore)

    async def handle(self, request: web.Request) -> web.Response:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            return web.Response(status=401, text="")  # unsigned: bolt would fail on it (500)
        with self.inbox.acks.acking():  # the whole request, from its body to its answer
            bolt_response = await self.app.async_dispatch(await to_bolt_request(request))
            return await to_aiohttp_response(bolt_response)

    def mount(self, web_app: web.Application, path: str = "/slack/events") -> None:
        web_app.router.add_post(path, self.handle)

    def _after_ack(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` once the ack is on its way, awaited on shutdown."""
        task = asyncio.get_running_loop().create_task(self._run_after_ack(work))
        self._later.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._later.discard)

    @staticmethod
    async def _run_after_ack(work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:  # the core answers its own errors; this is Slack failing us
            log.exception("Slack: the work after an ack failed")

    async def drain(self, timeout: float = 5) -> None:
        """On shutdown: let direct answers and App Home updates finish. (Commands and
        clicks are in the inbox, which drains on its own.)"""
        if self._later:
            _, unfinished = await asyncio.wait(set(self._later), timeout=timeout)
            if unfinished:
                log.warning(
                    "Slack: %s App Home update(s) or direct answer(s) were cut off by shutdown",
                    len(unfinished),
                )

    async def _respond(self, response_url: str, **message: Any) -> None:
        """Answer through a command's or click's response_url at once, on the client's
        connections (bolt's own `respond` opens a new session per answer). Only for what
        cannot wait for the outbox: the database is down, a form came too late."""
        webhook = AsyncWebhookClient(
            response_url, session=self.client.session, retry_handlers=self.client.retry_handlers
        )
        response = await webhook.send_dict(message)
        if response.status_code != 200:  # the answer is lost; Slack gives no other way back
            log.warning(
                "Slack: response_url answered %s: %s", response.status_code, response.body[:200]
            )

    @staticmethod
    async def _skip_retried_events(req: AsyncBoltRequest, next: Any) -> BoltResponse | None:
        """An event Slack sends again (it missed our ack) was handled the first time."""
        if req.headers.get("x-slack-retry-num") and req.body.get("type") == "event_callback":
            return BoltResponse(status=200, body="")
        return await next()

    @staticmethod
    async def _ignore(ack: Any) -> None:
        await ack()

    async def _accept(self, kind: str, body: dict[str, Any]) -> bool:
        """Save the request before it is acknowledged; False if the database would not."""
        try:
            await self.inbox.accept(PLATFORM, kind, kept(body))
        except (Unavailable, TimeoutError) as error:
            log.warning("Slack: a %s was refused, the database is not answering: %s", kind, error)
            return False
        return True

    async def _command(self, ack: Any, body: dict[str, Any]) -> None:
        if await self._accept("command", body):
            await ack()  # the answer follows through the outbox, via response_url
        else:
            await ack(text=DATABASE_DOWN)

    async def _action(self, ack: Any, body: dict[str, Any]) -> None:
        saved = await self._accept("action", body)
        await ack()
        if not saved and body.get("response_url"):
            self._after_ack(
                self._respond(
                    body["response_url"],
                    text=DATABASE_DOWN,
                    replace_original=False,
                    response_type="ephemeral",
                )
            )

    async def _handle(self, request: Request) -> None:
        """A saved command or click: run by the core, answered through the outbox."""
        body = request.payload
        response_url = body.get("response_url")
        if request.kind == "command":
            who = Invocation(PLATFORM, body["team_id"], body["user_id"], body["channel_id"])
        else:
            channel = (body.get("channel") or {}).get("id") or body["user"]["id"]
            who = Invocation(PLATFORM, body["team"]["id"], body["user"]["id"], channel)
        receipt = Receipt(
            PLATFORM,
            request.kind,
            request.key,
            answer={"response_url": response_url, "channel": who.channel, "user": who.user_id},
            until=request.received_at + RESPONSE_URL_LIFETIME if response_url else None,
        )
        if request.kind == "command":
            reply = await self.bot.command(who, body.get("text", ""), receipt)
        else:
            action = (body.get("actions") or [{}])[0]
            name, value = action.get("action_id", ""), action.get("value", "")
            reply = await self.bot.action(who, Action(name, value), receipt)
        await self._show(reply, who, response_url, body.get("trigger_id"))

    async def _view(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """A form is handled before its ack (its errors belong beside its fields), so it
        needs no inbox row first; its receipt still makes a replay change nothing, and its
        answer goes through the outbox."""
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
        receipt = Receipt(
            PLATFORM,
            "view",
            request_key(kept(body)),
            answer={"channel": who.channel, "user": user},
            errors_answered=False,
        )
        try:
            reply = await self.bot.action(who, action, receipt)
        except Unavailable:
            reply = Reply.failed(DATABASE_DOWN)
        if reply.error and reply.message:
            block = field_for(reply.message.text, view.get("blocks", []))
            await ack(response_action="errors", errors={block: reply.message.text[:2000]})
            return
        await ack()
        if reply.message and not reply.queued:
            self._after_ack(self._show(reply, who, None, None))

    async def _home(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any], context: Any
    ) -> None:
        await ack()
        if event.get("tab", "home") != "home":
            return
        team = body.get("team_id") or context.team_id  # None in context for org-wide installs
        who = Invocation(PLATFORM, team, event["user"], event.get("channel", ""))
        self._after_ack(self._publish_home(who))

    async def _publish_home(self, who: Invocation) -> None:
        message = await self.bot.home(who)
        await self.client.views_publish(user_id=who.user_id, view=home_view(message))

    async def _show(
        self, reply: Reply, who: Invocation, response_url: str | None, trigger_id: str | None
    ) -> None:
        """What the outbox does not deliver: a form to open (its trigger lasts 3 seconds),
        and an answer the core could not queue."""
        message = reply.message
        if message is None or reply.queued:
            return
        if message.form is not None:
            if trigger_id:
                try:
                    await self.client.views_open(
                        trigger_id=trigger_id, view=to_modal(message.form, channel=who.channel)
                    )
                    return
                except SlackApiError as error:
                    log.info("Slack: a form did not open: %s", error.response.get("error"))
            if response_url:
                await self._respond(
                    response_url,
                    text=tx.FORM_TOO_LATE,
                    replace_original=False,
                    response_type="ephemeral",
                )
            return
        text, blocks = to_blocks(message)
        if response_url:
            await self._respond(
                response_url,
                text=text,
                blocks=blocks,
                replace_original=False,
                response_type="in_channel" if reply.public else "ephemeral",
            )
        else:
            await self.client.chat_postEphemeral(
                channel=who.channel, user=who.user_id, text=text, blocks=blocks
            )
