"""Prints what the bot sends, with where it went: [#wall], [#gifts › thread], [DM @bob]."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.adapters.console.render import ButtonRegistry, render
from bot.core.messages import Message
from bot.core.model import Member, Profile, Workspace
from bot.core.texts import console as tx


class ConsoleMessenger:
    def __init__(self, out: Callable[[str], None], buttons: ButtonRegistry) -> None:
        self.out, self.buttons = out, buttons
        self._sent: dict[int, tuple[str, str]] = {}  # message id → (where, channel)

    def _remember(self, where: str, channel: str) -> dict[str, Any]:
        message_id = len(self._sent) + 1
        self._sent[message_id] = (where, channel)
        return {"id": message_id, "channel": channel}

    def spacing(self, workspace: Workspace) -> float:
        return 0.0  # a terminal has no rate limit

    async def post(
        self,
        workspace: Workspace,
        *,
        channel: str | None = None,
        thread: dict[str, Any] | None = None,
        member: Member | None = None,
        message: Message,
    ) -> dict[str, Any]:
        if thread is not None:
            where, channel = f"#{thread['channel']} › thread", thread["channel"]
        elif member is not None:
            where, channel = f"DM @{member.user_id}", f"@{member.user_id}"
        else:
            where = f"#{channel}"
        assert channel is not None
        self.out(render(message, where, self.buttons, channel))
        return self._remember(where, channel)

    async def update(self, workspace: Workspace, ref: dict[str, Any], message: Message) -> None:
        where, channel = self._sent[ref["id"]]
        self.out(render(message, f"{where} (updated)", self.buttons, channel))

    async def answer(
        self, workspace: Workspace, handle: dict[str, Any], message: Message, *, public: bool
    ) -> None:
        """The console answers in the session; a queued answer prints like a post there."""
        channel = handle.get("channel") or "console"
        where = f"#{channel}" if public else tx.privately_in(channel)
        self.out(render(message, where, self.buttons, channel))


class ConsoleDirectory:
    """In the console a member's name is their id (casefolded: @Bob and @bob are one
    person); they are created on first mention."""

    async def profile(self, workspace: Workspace, user_id: str) -> Profile:
        return Profile(user_id)

    async def user_by_email(self, workspace: Workspace, email: str) -> str | None:
        return None  # console members have no email; `admin agent` names them
