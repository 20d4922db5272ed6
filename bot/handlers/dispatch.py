"""The one entry point adapters call: a command or an action in, a Reply out.

Each call is one unit of work: it commits whole or not at all. Expected failures
answer with their message; anything else answers with a ref and logs the traceback.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from bot.core import commands as c
from bot.core.errors import Unavailable, UsageError, WowError
from bot.core.guards import clean, one_line
from bot.core.limits import LIMITS, WIRE_COMMAND
from bot.core.messages import Destination, Message, Outgoing, Receipt, Reply
from bot.core.model import Member
from bot.core.parsing import parse_verb, split_verb
from bot.core.ports import Clock, Directory, UnitOfWork
from bot.core.texts import (
    DATABASE_DOWN,
    SOMETHING_WRONG,
    command_too_long,
    id_too_long,
    unknown_button,
)
from bot.handlers import home
from bot.handlers.context import Context, CoreSettings, ensure_member
from bot.handlers.routes import ACTIONS, COMMANDS, FORM_OF

log = logging.getLogger("wowbot")


@dataclass(frozen=True)
class Invocation:
    """Who typed or clicked, where. Ids are the platform's own."""

    platform: str
    workspace: str
    user_id: str
    channel: str
    tz: str | None = None  # the platform's word on the user's zone, where it gives one


def check_invocation(who: Invocation) -> None:
    """Ids come from the platform, not the user; still, none may outgrow its column."""
    for what, value in (
        ("user id", who.user_id),
        ("workspace id", who.workspace),
        ("channel", who.channel),
    ):
        if len(value) > LIMITS[what] or value != one_line(value):
            raise UsageError(id_too_long(what, len(value), LIMITS[what]))


class _HandledAlready(Exception):
    """The request's receipt was marked done by someone else first: change nothing."""


class Bot:
    def __init__(
        self,
        *,
        uow: Callable[[], UnitOfWork],
        directory: Directory,
        clock: Clock,
        settings: CoreSettings,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._uow, self.directory, self.clock, self.settings = uow, directory, clock, settings
        self.on_commit = on_commit  # messages were queued: the sender takes them up
        self.on_change: Callable[[], None] | None = None  # a change that may fall due soon

    async def command(self, who: Invocation, text: str, receipt: Receipt | None = None) -> Reply:
        """A typed command (wire text, see `tokens.from_wire`) from `who`."""
        if len(text) > WIRE_COMMAND:  # refused before anything reads it
            return await self._failed(who, receipt, command_too_long(len(text)))
        text = clean(text)

        async def call(ctx: Context) -> Reply:
            verb, rest = split_verb(text)
            if verb == "admin":  # the role first: a member gets no admin syntax help
                await ctx.require_admin()
            command = parse_verb(verb, rest)
            return await COMMANDS[type(command)](ctx, command)

        return await self._run(who, call, receipt)

    async def action(
        self, who: Invocation, action: c.Action, receipt: Receipt | None = None
    ) -> Reply:
        """A button press or a form submission; what arrives is cleaned like typed text."""
        action = c.Action(
            one_line(action.name),
            one_line(action.value),
            clean(action.text) if action.text is not None else None,
            tuple((one_line(k), clean(v)) for k, v in action.fields),
        )
        handler = ACTIONS.get(action.name)
        if handler is None:
            return await self._failed(
                who,
                receipt,
                unknown_button(action.name[:80]),
                error=False,
            )
        reply = await self._run(who, lambda ctx: handler(ctx, action), receipt)
        answered = receipt is not None and receipt.errors_answered  # as text, already queued
        if reply.error and action.fields and action.name in FORM_OF and not answered:
            await self._refill(who, action, reply)
        return reply

    async def _refill(self, who: Invocation, action: c.Action, refused: Reply) -> None:
        """The refused submission's form again, as typed, with what was wrong."""
        again = await self._run(who, lambda ctx: FORM_OF[action.name](ctx, action))
        form = again.message.form if again.message and not again.error else None
        if form is not None and refused.message is not None:
            error = refused.message.text
            refused.message = replace(
                refused.message, form=form.refused(error, dict(action.fields), refused.field)
            )

    async def _run(
        self,
        who: Invocation,
        call: Callable[[Context], Awaitable[Reply]],
        receipt: Receipt | None = None,
    ) -> Reply:
        """One unit of work. With a receipt, the request is marked handled and its answer
        queued in the same transaction as its effects: all of it is saved, or none."""
        try:
            check_invocation(who)
            async with self._uow() as uow:
                ctx = await self.context(uow, who)
                reply = await call(ctx)
                if receipt is not None:
                    await self._settle(ctx, receipt, reply)
                await uow.commit()
        except _HandledAlready:
            return Reply()
        except WowError as error:
            failed = await self._failed(who, receipt, error.message)
            failed.field = error.field
            return failed
        except Unavailable:
            if receipt is not None:  # saved in the inbox: it runs again when the database is back
                raise
            log.warning("the database is not answering: %s's command was not saved", who.user_id)
            return Reply.failed(DATABASE_DOWN)
        except Exception:
            ref = secrets.token_hex(3)
            log.exception("unexpected error (ref %s) for %s in %s", ref, who.user_id, who.channel)
            return await self._failed(who, receipt, SOMETHING_WRONG.format(ref=ref))
        if ctx._sent and self.on_commit:
            self.on_commit()
        if self.on_change:
            self.on_change()
        reply.updates = tuple(o for o in ctx._sent if o.update_key)
        return reply

    async def _settle(self, ctx: Context, receipt: Receipt, reply: Reply) -> None:
        """Mark the request handled and queue its answer, in the caller's transaction."""
        if not await ctx.uow.inbox.finish(receipt.platform, receipt.kind, receipt.key, ctx.now):
            raise _HandledAlready
        message = reply.message
        if receipt.answer is not None and message is not None and message.form is None:
            where = Destination.to_request(receipt, ctx.actor.id, public=reply.public)
            await ctx.send(Outgoing(message, where, description="an answer to a command"))
            reply.queued = True

    async def _failed(
        self, who: Invocation, receipt: Receipt | None, text: str, *, error: bool = True
    ) -> Reply:
        """A request that changed nothing: with a receipt, its answer still goes out once,
        marked handled in its own small transaction."""
        reply = Reply.failed(text) if error else Reply.private(text)
        if receipt is None or not receipt.errors_answered:
            return reply
        try:
            async with self._uow() as uow:
                try:
                    check_invocation(who)
                    ctx: Context | None = await self.context(uow, who)
                except WowError:
                    ctx = None  # ids the bot cannot keep: the caller answers directly
                if ctx is not None:
                    await self._settle(ctx, receipt, reply)
                elif not await uow.inbox.finish(
                    receipt.platform, receipt.kind, receipt.key, self.clock.now()
                ):
                    raise _HandledAlready
                await uow.commit()
        except _HandledAlready:
            return Reply()
        if reply.queued and self.on_commit:
            self.on_commit()
        return reply

    async def later(self, who: Invocation, message: Message, *, private: bool) -> None:
        """An answer the platform would not take in time: the outbox delivers it with its
        retries, to the member (`private`) or to the conversation it was asked in."""
        async with self._uow() as uow:
            ctx = await self.context(uow, who)
            where = (
                Destination.to_member(ctx.actor.id)
                if private
                else Destination.to_channel(who.channel)
            )
            await ctx.send(Outgoing(message, where, description="an answer to a command"))
            await uow.commit()
        if self.on_commit:
            self.on_commit()

    async def home(self, who: Invocation) -> Message:
        """The member's own page (Slack's App Home): stats, follow-ups, gifts to decide."""
        async with self._uow() as uow:
            ctx = await self.context(uow, who)
            message = await home.home_message(ctx)
            await uow.commit()
        return message

    async def member(self, who: Invocation) -> Member:
        """The member behind `who`, created (with their workspace) on first sight."""
        async with self._uow() as uow:
            ctx = await self.context(uow, who)
            await uow.commit()
        return ctx.actor

    async def context(self, uow: UnitOfWork, who: Invocation) -> Context:
        workspace = await uow.workspaces.get_or_create(
            who.platform, who.workspace, self.settings.default_timezone
        )
        actor = await ensure_member(
            uow, self.directory, self.settings, workspace, who.user_id, who.tz
        )
        return Context(
            uow=uow,
            workspace=workspace,
            actor=actor,
            channel=who.channel,
            now=self.clock.now(),
            directory=self.directory,
            settings=self.settings,
        )
