"""Fakes for the ports: tests assert on state and on what was sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.core.errors import DeliveryError
from bot.core.messages import Message
from bot.core.model import Member, Profile, Workspace

START = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)  # Mon 09:00 in Helsinki


class FixedClock:
    def __init__(self, now: dt.datetime) -> None:
        self._now = now

    def now(self) -> dt.datetime:
        return self._now

    def set(self, moment: dt.datetime) -> None:
        self._now = moment

    def advance(self, **kwargs: float) -> None:
        self._now += dt.timedelta(**kwargs)


@dataclass
class Sent:
    kind: str  # "channel", "thread", "dm", "update", "answer"
    target: str  # channel name, member user id, or the ref updated
    message: Message
    ref: dict[str, Any] | None = None


@dataclass
class FakeMessenger:
    sent: list[Sent] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)  # raised, in order, first
    # Raised by the next call of one kind ("channel", "dm", "thread", "update", "answer"):
    # messages to different conversations go out side by side, in no set order.
    failures_for: dict[str, list[DeliveryError]] = field(default_factory=dict)
    spacing_seconds: float = 0.0
    posted: int = 0  # refs are numbered by this, so they stay unique when `sent` is cleared

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
        kind = "thread" if thread is not None else "dm" if member is not None else "channel"
        self._fail(kind)
        self.posted += 1
        ref = {"id": self.posted}
        if thread is not None:
            self.sent.append(Sent("thread", str(thread["id"]), message, ref))
        elif member is not None:
            self.sent.append(Sent("dm", member.user_id, message, ref))
        else:
            self.sent.append(Sent("channel", str(channel), message, ref))
        return ref

    def _fail(self, kind: str) -> None:
        if self.failures:
            raise self.failures.pop(0)
        if self.failures_for.get(kind):
            raise self.failures_for[kind].pop(0)

    async def update(self, workspace: Workspace, ref: dict[str, Any], message: Message) -> None:
        self._fail("update")
        self.sent.append(Sent("update", str(ref["id"]), message, ref))

    async def answer(
        self, workspace: Workspace, handle: dict[str, Any], message: Message, *, public: bool
    ) -> None:
        self._fail("answer")
        self.sent.append(Sent("answer", str(handle.get("user")), message, handle))

    def to(self, kind: str, target: str | None = None) -> list[Sent]:
        return [s for s in self.sent if s.kind == kind and (target is None or s.target == target)]

    def texts(self) -> list[str]:
        return [" ".join([s.message.title or "", s.message.text]) for s in self.sent]


class FakeDirectory:
    def __init__(self, zones: dict[str, str] | None = None) -> None:
        self.zones = zones or {}

    async def profile(self, workspace: Workspace, user_id: str) -> Any:
        return Profile(user_id.capitalize(), self.zones.get(user_id), f"{user_id}@example.com")

    async def user_by_email(self, workspace: Workspace, email: str) -> str | None:
        """Everyone's address is <id>@example.com, as their profile says."""
        local, _, domain = email.lower().partition("@")
        return local if domain == "example.com" and local.isalnum() else None
