"""The console session (SPEC §5): `/wow`, `/as`, `/in`, `/click`, `/time`, from a keyboard
or piped input. Its clock drives the scheduler: moving time runs what fell due, in order."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

from bot.adapters.console.render import ButtonRegistry, render
from bot.bootstrap import App
from bot.core.commands import Action
from bot.core.errors import UsageError
from bot.core.messages import Reply
from bot.core.texts import console as tx
from bot.core.tokens import to_wire
from bot.core.zones import check_zone, shown, zone
from bot.handlers.dispatch import Invocation
from bot.handlers.feedback_push import push_to

WORKSPACE = "console"
MENTION = re.compile(r"(?<![\w&;@])@([\w.\-]+)")
NAME = re.compile(r"[\w.\-]{1,64}")  # a console member's name is their id too
STEP = re.compile(r"^\+(\d{1,6})([mhdw])$")
LONGEST_MOVE = dt.timedelta(days=366)  # one move of the clock; run what falls due, in order
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class ConsoleClock:
    def __init__(self, start: dt.datetime) -> None:
        self._now = start

    def now(self) -> dt.datetime:
        return self._now

    def set(self, moment: dt.datetime) -> None:
        self._now = moment


class ConsoleSession:
    def __init__(
        self,
        app: App,
        clock: ConsoleClock,
        buttons: ButtonRegistry,
        out: Callable[[str], None],
        user: str,
        channel: str = "general",
    ) -> None:
        self.app, self.clock, self.buttons, self.out = app, clock, buttons, out
        self.user, self.channel = user, channel

    @property
    def who(self) -> Invocation:
        return Invocation("console", WORKSPACE, self.user, self.channel)

    @property
    def prompt(self) -> str:
        return f"{self.user} #{self.channel}> "

    async def start(self, local_start: dt.datetime | None = None) -> None:
        """Greet; `local_start` (a time without a zone) sets the clock in the member's zone,
        as /time reads one."""
        member = await self.app.bot.member(self.who)
        if local_start is not None:
            self.clock.set(local_start.replace(tzinfo=zone(member.tz)).astimezone(dt.UTC))
        now = shown(self.clock.now(), member.tz)
        self.out(tx.greeting(member.name, member.role.value, self.channel, now))
        self.out(tx.START_HINT)
        await self.app.tick()

    async def handle(self, line: str) -> bool:
        """Handle one input line; False means quit."""
        line = line.strip()
        if not line:
            return True
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word in ("/quit", "/exit"):
            return False
        handlers = {
            "/wow": self._wow,
            "/as": self._as,
            "/in": self._in,
            "/click": self._click,
            "/time": self._time,
            "/help": self._help,
            "/push": self._push,
        }
        handler = handlers.get(word.lower())
        if handler is None:
            self.out(tx.NOT_A_CONTROL)
        else:
            await handler(rest)
        return True

    async def _help(self, rest: str) -> None:
        self.out(tx.HELP)

    async def _push(self, rest: str) -> None:
        """A helpdesk's rating, as `POST /api/feedback` would bring it (no key needed here)."""
        try:
            body = json.loads(rest)
        except ValueError:
            body = None
        bot = self.app.bot
        try:
            async with self.app.uow() as uow:
                ws = await uow.workspaces.get_or_create(
                    "console", WORKSPACE, bot.settings.default_timezone
                )
                pushed = await push_to(uow, ws, body, self.clock.now(), bot.directory, bot.settings)
        except UsageError as refused:
            self.out(tx.push_refused(refused.message))
            return
        self.out(tx.pushed(json.dumps(pushed.as_json(), ensure_ascii=False)))
        await self.app.sender.deliver_due()

    async def _wow(self, rest: str) -> None:
        # Typed characters are escaped first, so only @name becomes a mention.
        # Names are matched without regard to case: @Bob and @bob are one person.
        text = MENTION.sub(lambda m: f"<@{m.group(1).casefold()}>", to_wire(rest))
        reply = await self.app.bot.command(self.who, text)
        await self._show(reply)

    async def _as(self, rest: str) -> None:
        name = rest.lstrip("@").strip()
        if not NAME.fullmatch(name):
            self.out(tx.AS_HOW)
            return
        self.user = name.casefold()
        member = await self.app.bot.member(self.who)
        self.out(tx.acting_as(member.name, member.role.value, self.channel))

    async def _in(self, rest: str) -> None:
        match = re.fullmatch(r"#?([\w.\-]{1,80})", rest)
        if not match:
            self.out(tx.IN_HOW)
            return
        self.channel = match.group(1)
        self.out(tx.now_in(self.channel))

    async def _click(self, rest: str) -> None:
        number, _, text = rest.partition(" ")
        pressable = self.buttons.get(int(number)) if number.isdigit() else None
        if pressable is None:
            self.out(tx.no_button(number))
            return
        button = pressable.button
        action = Action(button.action, button.value, text=text.strip() or None)
        reply = await self.app.bot.action(self.who, action)
        await self._show(reply, clicked=int(number))

    async def _time(self, rest: str) -> None:
        member = await self.app.bot.member(self.who)
        if not rest:
            self.out(tx.clock(shown(self.clock.now(), member.tz)))
            return
        target = self._target(rest, member.tz)
        if target is None:
            return
        await self.advance(target)
        self.out(tx.clock(shown(self.clock.now(), member.tz)))

    def _target(self, rest: str, tz: str) -> dt.datetime | None:
        now = self.clock.now()
        step = STEP.match(rest)
        try:
            if step:
                moment = now + dt.timedelta(**{UNITS[step.group(2)]: int(step.group(1))})
            else:
                moment = dt.datetime.fromisoformat(rest[:40])
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=zone(tz))
                moment = moment.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            self.out(tx.TIME_HOW)
            return None
        if moment < now:
            self.out(tx.clock_backwards(shown(now, tz)))
            return None
        if moment > now + LONGEST_MOVE:
            self.out(tx.TIME_TOO_FAR)
            return None
        return moment

    async def advance(self, target: dt.datetime) -> None:
        """Step through every moment that falls due before `target`, in order."""
        while True:
            upcoming = await self.app.jobs.next_moment(self.clock.now())
            if upcoming is None or upcoming > target:
                break
            self.clock.set(upcoming)
            await self.app.tick()
        self.clock.set(target)
        await self.app.tick()

    async def _show(self, reply: Reply, clicked: int | None = None) -> None:
        await self.app.sender.deliver_due()
        message = reply.message
        if message is None:
            return
        where = f"#{self.channel}" if reply.public else tx.ONLY_YOU
        if message.form is not None:
            form = message.form
            self.out(f"[{where}] {message.text}")
            if clicked is not None and len(form.inputs) == 1:
                self.out(tx.answer_with(clicked, form.inputs[0].label))
            elif form.typed_hint:
                self.out(tx.FORM_TYPED)
                self.out("\n".join(f"    {line}" for line in form.typed_hint.splitlines()))
            return
        self.out(render(message, where, self.buttons, self.channel))


__all__ = ["ConsoleClock", "ConsoleSession", "check_zone"]
