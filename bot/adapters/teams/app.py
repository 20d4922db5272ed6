"""botbuilder's CloudAdapter on our aiohttp server: activities in, core commands and actions,
Adaptive Cards out. Inbound JWTs are validated by botbuilder whenever an app id is configured."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any
from zoneinfo import available_timezones

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes

from bot.adapters.teams.activities import (
    TeamsDirectory,
    command_text,
    mentions_of,
    tenant_of,
    where,
)
from bot.adapters.teams.cards import (
    FORM_KEY,
    channel_ids,
    summary,
    to_card,
)
from bot.adapters.teams.compose import activity as compose_activity
from bot.adapters.teams.conversations import PLATFORM, Conversations
from bot.adapters.teams.forms import form_card, submitted
from bot.adapters.teams.invoke import click_answer, invoke_response
from bot.adapters.teams.messenger import TeamsMessenger
from bot.core.commands import Action
from bot.core.errors import DeliveryError
from bot.core.messages import Form, Message, Reply
from bot.core.ports import Clock, UnitOfWork
from bot.core.texts import platforms as tx
from bot.handlers.dispatch import Bot, Invocation

log = logging.getLogger("wowbot.teams")
_turn_started: ContextVar[bool] = ContextVar("teams_turn_started", default=False)
LEADING_WOW = re.compile(r"^\s*/?wow\b[:,]?\s*", re.IGNORECASE)
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"


def app_configuration(app_id: str, password: str, app_type: str, tenant: str) -> Any:
    """The configuration object botbuilder's authentication reads its settings from."""
    return SimpleNamespace(
        APP_ID=app_id,
        APP_PASSWORD=password,
        APP_TYPE=app_type or "MultiTenant",
        APP_TENANTID=tenant,
    )


class TeamsAdapter:
    def __init__(
        self,
        bot: Bot,
        *,
        uow: Callable[[], UnitOfWork],
        clock: Clock,
        directory: TeamsDirectory,
        app_id: str = "",
        password: str = "",
        app_type: str = "",
        tenant_id: str = "",
    ) -> None:
        self.bot, self.uow, self.clock, self.directory = bot, uow, clock, directory
        self.auth = ConfigurationBotFrameworkAuthentication(
            app_configuration(app_id, password, app_type, tenant_id)
        )
        self.cloud = CloudAdapter(self.auth)
        self.cloud.on_turn_error = self._turn_error
        self.messenger = TeamsMessenger(
            self.auth, self.cloud.create_claims_identity(app_id), uow, clock
        )
        self.conversations = Conversations(uow, clock, bot.settings.default_timezone)

    def mount(self, web_app: web.Application, path: str = "/api/messages") -> None:
        web_app.router.add_post(path, self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response(
                {"error": "send one Bot Framework activity as application/json"}, status=415
            )
        try:
            await request.json()  # read once here so a malformed body is a 400, not a 500
        except ValueError:
            return web.json_response({"error": "the body is not a JSON activity"}, status=400)
        started = _turn_started.set(False)
        try:
            response = await self.cloud.process(request, self)
        except web.HTTPException:
            raise
        except Exception:
            if _turn_started.get():
                raise
            # botbuilder fails on some malformed tokens (a missing claim) with a KeyError or
            # the like before any turn runs: that is an unauthenticated request.
            log.warning("Teams: a request's token could not be validated", exc_info=True)
            return web.json_response({"error": "the token is not valid"}, status=401)
        finally:
            _turn_started.reset(started)
        return response or web.Response(status=201)

    async def _turn_error(self, context: TurnContext, error: Exception) -> None:
        log.exception("Teams turn failed: %s", type(error).__name__, exc_info=error)
        raise error

    # One turn.

    async def on_turn(self, context: TurnContext) -> None:
        _turn_started.set(True)
        activity = context.activity
        tenant = tenant_of(activity)
        if not tenant:
            log.warning("Teams: an activity without a tenant id was ignored")
            return
        sender = activity.from_property
        self.directory.remember(
            tenant,
            sender.id if sender else "",
            sender.name if sender else None,
            activity.local_timezone,
        )
        for mention in mentions_of(activity):
            self.directory.remember(tenant, mention["id"], mention["name"] or None, None)
        new = await self.conversations.meet(tenant, activity)
        if activity.type == ActivityTypes.message:
            if isinstance(activity.value, dict) and submitted(activity.value):
                await self._submit(context, tenant)
            elif activity.text:
                await self._command(context, tenant)
        elif activity.type == ActivityTypes.invoke and activity.name == "adaptiveCard/action":
            await self._execute(context, tenant)
        elif activity.type == ActivityTypes.conversation_update:
            added = [m.id for m in activity.members_added or []]
            if new and activity.recipient and activity.recipient.id in added:  # once only
                who = self._who(activity, tenant)
                welcome = Reply(Message(text=tx.WELCOME, title=tx.APP_NAME), public=True)
                await self._show(context, welcome, who)

    def _who(self, activity: Activity, tenant: str) -> Invocation:
        _, conversation = where(activity)
        tz = activity.local_timezone
        return Invocation(
            PLATFORM,
            tenant,
            activity.from_property.id,
            conversation,
            tz if tz and tz in available_timezones() else None,
        )

    async def _command(self, context: TurnContext, tenant: str) -> None:
        who = self._who(context.activity, tenant)
        reply = await self.bot.command(who, command_text(context.activity))
        await self._show(context, reply, who)

    async def _submit(self, context: TurnContext, tenant: str) -> None:
        """`Action.Submit`: a message whose `value` carries the card's data and inputs."""
        name, value, fields = submitted(context.activity.value) or ("", "", ())
        who = self._who(context.activity, tenant)
        reply = await self.bot.action(who, Action(name, value, fields=fields))
        await self._show(context, reply, who)

    async def _execute(self, context: TurnContext, tenant: str) -> None:
        """`Action.Execute`: answer the invoke with the card as the clicker should now see it."""
        activity = context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        found = value.get("action")
        action: dict[str, Any] = found if isinstance(found, dict) else {}
        data = action.get("data")
        parsed = submitted(data)
        name, data_value, fields = parsed or (str(action.get("verb") or ""), "", ())
        who = self._who(activity, tenant)
        reply = await self.bot.action(who, Action(name, data_value, fields=fields))
        body = await click_answer(
            reply,
            from_form=isinstance(data, dict) and FORM_KEY in data,
            card=lambda message: self._card(who, message),
            form_card=lambda form: self._form_card(who, form),
        )
        await context.send_activity(invoke_response(body))

    # Showing replies.

    async def _form_card(self, who: Invocation, form: Form) -> dict[str, Any]:
        return form_card(form, await self.conversations.people(who))

    async def _card(self, who: Invocation, message: Message) -> dict[str, Any]:
        if not channel_ids(message):
            return to_card(message)
        workspace = await self.conversations.workspace(who)
        return to_card(message, await self.messenger.compose.channel_names(workspace, message))

    async def _send_here(self, context: TurnContext, who: Invocation, message: Message) -> None:
        workspace = await self.conversations.workspace(who)
        activity = await self.messenger.compose.message_activity(workspace, message)
        await self.messenger.call(lambda: context.send_activity(activity), attempts=3)

    async def _show(self, context: TurnContext, reply: Reply, who: Invocation) -> None:
        """Answer in the turn; what the connector will not take even after its retries
        (429 honouring Retry-After, 5xx) goes through the outbox, never lost, never a 500."""
        try:
            await self._answer(context, reply, who)
        except DeliveryError as error:
            message = reply.message
            kind, _ = where(context.activity)
            if error.permanent or message is None or message.form is not None:
                log.warning("Teams: the answer to %s was refused: %s", who.user_id, error.reason)
                return
            log.info("Teams: the answer to %s goes out later: %s", who.user_id, error.reason)
            await self.bot.later(who, message, private=kind == "personal" or not reply.public)

    async def _answer(self, context: TurnContext, reply: Reply, who: Invocation) -> None:
        message = reply.message
        if message is None:
            return
        kind, _ = where(context.activity)
        if message.form is not None:
            content = form_card(message.form, await self.conversations.people(who))
            activity = compose_activity(content, summary=summary(message))
            await self.messenger.call(lambda: context.send_activity(activity), attempts=3)
            return
        if reply.public or kind == "personal":
            await self._send_here(context, who, message)
            return
        # Teams has no "only you" message in a channel: private answers go to the personal chat.
        workspace = await self.conversations.workspace(who)
        try:
            personal = await self.messenger.personal(workspace, who.user_id)
            activity = await self.messenger.compose.message_activity(workspace, message)
            await self.messenger.send(personal, activity, attempts=3)
        except DeliveryError as error:
            log.warning("Teams: could not answer %s privately: %s", who.user_id, error.reason)
            shown = message if reply.error else Message(text=tx.NO_PRIVATE_CHAT)
            await self._send_here(context, who, shown)
