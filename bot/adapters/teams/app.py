"""botbuilder's CloudAdapter on our aiohttp server: activities in, core commands and actions,
Adaptive Cards out. Inbound JWTs are validated by botbuilder whenever an app id is configured."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any
from zoneinfo import available_timezones

from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes
from msrest.serialization import Model

from bot.adapters.teams.cards import (
    CONTENT_TYPE,
    FORM_KEY,
    channel_ids,
    form_card,
    submitted,
    summary,
    to_card,
)
from bot.adapters.teams.messenger import (
    PLATFORM,
    TeamsDirectory,
    TeamsMessenger,
    base_conversation,
    reference_of,
)
from bot.core.commands import Action
from bot.core.errors import DeliveryError
from bot.core.messages import Message, Reply
from bot.core.model import Conversation, Role, Workspace
from bot.core.ports import Clock, UnitOfWork
from bot.core.texts import platforms as tx
from bot.core.tokens import to_wire
from bot.handlers.dispatch import Bot, Invocation

log = logging.getLogger("wowbot.teams")
_turn_started: ContextVar[bool] = ContextVar("teams_turn_started", default=False)
LEADING_WOW = re.compile(r"^\s*/?wow\b[:,]?\s*", re.IGNORECASE)
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"


class InvokeBody(Model):
    """The `adaptiveCard/action` answer: a card, or a message, for the one who clicked."""

    _attribute_map = {  # noqa: RUF012 (msrest.Model declares it an instance variable)
        "status_code": {"key": "statusCode", "type": "int"},
        "type": {"key": "type", "type": "str"},
        "value": {"key": "value", "type": "object"},
    }

    def __init__(self, *, statusCode: int, type: str, value: Any) -> None:
        super().__init__()
        self.status_code, self.type, self.value = statusCode, type, value


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
        # conversations saved by this process: (service URL, name)
        self._met: dict[tuple[str, str], tuple[str, str | None]] = {}

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
        new = await self._meet(tenant, activity)
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

    async def _meet(self, tenant: str, activity: Activity) -> bool:
        """Keep a reference to this conversation, so the bot can post there later, and
        the name people know it by. True when the bot had never been here before."""
        kind, conversation_id = where(activity)
        display = shown_name(activity) if kind == "channel" else None
        if self._met.get((tenant, conversation_id)) == (activity.service_url, display):
            return False
        reference = reference_of(activity).serialize()
        reference["conversation"] = {
            **reference.get("conversation", {}),
            "id": conversation_id,
            "conversationType": kind,
            "tenantId": tenant,
        }
        if display:
            reference["displayName"] = display
        user = activity.from_property.id if kind == "personal" and activity.from_property else None
        async with self.uow() as uow:
            workspace = await uow.workspaces.get_or_create(
                PLATFORM, tenant, self.bot.settings.default_timezone
            )
            known = await uow.conversations.get(workspace.id, conversation_id)
            if known and not display and known.address.get("displayName"):
                reference["displayName"] = known.address["displayName"]  # learnt earlier
            await uow.conversations.save(
                Conversation(workspace.id, conversation_id, kind, reference, user),
                self.clock.now(),
            )
            await uow.commit()
        self._met[(tenant, conversation_id)] = (activity.service_url, display)
        return known is None

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
        from_form = isinstance(data, dict) and FORM_KEY in data
        body = await self._invoke_body(reply, who, from_form=from_form)
        await context.send_activity(
            Activity(
                type=ActivityTypes.invoke_response,
                value=InvokeResponse(status=200, body=InvokeBody(**body)),
            )
        )

    async def _invoke_body(
        self, reply: Reply, who: Invocation, *, from_form: bool
    ) -> dict[str, Any]:
        """The card that was clicked, as it should read now: redrawn by the click (the ask
        without its buttons), a form (opened, or refused and shown again as typed), or the
        answer in place of a form that was sent. A refused click on a plain button leaves
        its card as it was, and says why."""
        message = reply.message
        if reply.clicked is not None:
            content = await self._card(who, reply.clicked)
        elif message is not None and message.form is not None:
            content = form_card(message.form, await self._people(who))
        elif message is not None and from_form:
            content = await self._card(who, message)
        else:
            text = message.text if message else ""
            return {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text}
        return {"statusCode": 200, "type": CONTENT_TYPE, "value": content}

    # Showing replies.

    async def _card(self, who: Invocation, message: Message) -> dict[str, Any]:
        if not channel_ids(message):
            return to_card(message)
        workspace = await self._workspace(who)
        return to_card(message, await self.messenger.channel_names(workspace, message))

    async def _people(self, who: Invocation) -> list[tuple[str, str]]:
        """Choices for a member input: the workspace's people the bot knows, not the asker."""
        workspace = await self._workspace(who)
        async with self.uow() as uow:
            members = await uow.members.with_roles(workspace.id, list(Role))
        return [(m.user_id, m.name) for m in members if m.user_id != who.user_id]

    async def _workspace(self, who: Invocation) -> Workspace:
        async with self.uow() as uow:
            return await uow.workspaces.get_or_create(
                PLATFORM, who.workspace, self.bot.settings.default_timezone
            )

    async def _send_here(self, context: TurnContext, who: Invocation, message: Message) -> None:
        workspace = await self._workspace(who)
        activity = await self.messenger.message_activity(workspace, message)
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
            content = form_card(message.form, await self._people(who))
            activity = self.messenger.activity(content, summary=summary(message))
            await self.messenger.call(lambda: context.send_activity(activity), attempts=3)
            return
        if reply.public or kind == "personal":
            await self._send_here(context, who, message)
            return
        # Teams has no "only you" message in a channel: private answers go to the personal chat.
        workspace = await self._workspace(who)
        try:
            personal = await self.messenger.personal(workspace, who.user_id)
            activity = await self.messenger.message_activity(workspace, message)
            await self.messenger.send(personal, activity, attempts=3)
        except DeliveryError as error:
            log.warning("Teams: could not answer %s privately: %s", who.user_id, error.reason)
            shown = message if reply.error else Message(text=tx.NO_PRIVATE_CHAT)
            await self._send_here(context, who, shown)
