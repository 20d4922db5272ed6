"""The outbox sends to different conversations side by side, each in order and paced by its
platform's limit; a rate limit pauses only the conversation it came from."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

from sqlalchemy import select

from bot.core.errors import DeliveryError
from bot.core.messages import Destination, Message, Outgoing
from bot.core.model import Member, Workspace
from bot.delivery import CONCURRENCY
from bot.storage.tables import OutboxRow
from tests.conftest import Harness
from tests.fakes import FakeMessenger

SPACING = 0.05  # seconds between two posts to one channel, for this fake platform


class LimitedMessenger(FakeMessenger):
    """A platform that refuses (429) a post to a channel sooner than SPACING after the
    last, and takes a moment to answer each."""

    def __init__(self) -> None:
        super().__init__(spacing_seconds=SPACING)
        self.last: dict[str, float] = {}
        self.in_flight = self.most_in_flight = self.refused = 0
        self.order: dict[str, list[str]] = {}

    async def post(
        self,
        workspace: Workspace,
        *,
        channel: str | None = None,
        thread: dict[str, Any] | None = None,
        member: Member | None = None,
        message: Message,
    ) -> dict[str, Any]:
        assert channel is not None
        now = time.monotonic()
        if now - self.last.get(channel, -1.0) < SPACING * 0.9:
            self.refused += 1
            raise DeliveryError("ratelimited", permanent=False, retry_after=1, throttled=True)
        self.last[channel] = now
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.005)  # the platform's answer takes a moment
        finally:
            self.in_flight -= 1
        self.order.setdefault(channel, []).append(message.text)
        return await super().post(workspace, channel=channel, message=message)


async def queue(harness: Harness, messages: list[tuple[str, str]]) -> None:
    async with harness.app.uow() as uow:
        ws = await uow.workspaces.get_or_create("console", "T1", "UTC")
        for channel, text in messages:
            await uow.outbox.add(
                ws.id, Outgoing(Message(text), Destination.to_channel(channel)), harness.clock.now()
            )
        await uow.commit()


async def test_fifty_messages_to_ten_channels_go_out_in_parallel_in_order_paced(
    harness: Harness,
) -> None:
    platform = LimitedMessenger()
    harness.app.sender.messenger = platform
    messages = [(f"C{n % 10}", f"message {n:02d}") for n in range(50)]
    await queue(harness, messages)
    assert await harness.app.sender.deliver_due() == 50
    assert platform.refused == 0  # paced: the platform never had to say "slow down"
    for channel in {c for c, _ in messages}:
        assert platform.order[channel] == [t for c, t in messages if c == channel]
    assert len(platform.sent) == len({s.message.text for s in platform.sent}) == 50
    assert 1 < platform.most_in_flight <= CONCURRENCY  # side by side, bounded


class ThrottledOnce(FakeMessenger):
    """A platform whose first post to CBUSY meets its rate limit (429, Retry-After 30)."""

    def __init__(self) -> None:
        super().__init__()
        self.throttled = False

    async def post(self, workspace: Workspace, **kwargs: Any) -> dict[str, Any]:
        if kwargs.get("channel") == "CBUSY" and not self.throttled:
            self.throttled = True
            raise DeliveryError("ratelimited", permanent=False, retry_after=30, throttled=True)
        return await super().post(workspace, **kwargs)


async def test_a_rate_limit_pauses_its_conversation_and_no_other(harness: Harness) -> None:
    platform = ThrottledOnce()
    harness.app.sender.messenger = platform
    await queue(harness, [("CBUSY", "first"), ("CBUSY", "second"), ("CQUIET", "other")])
    assert await harness.app.sender.deliver_due() == 1
    assert [s.message.text for s in platform.sent] == ["other"]  # not held up by CBUSY
    async with harness.app.uow() as uow:
        rows = (await uow.session.execute(select(OutboxRow))).scalars().all()
        state = {r.message["text"]: (r.status, r.attempts, r.next_attempt_at) for r in rows}
    pause_ends = harness.clock.now() + dt.timedelta(seconds=30)
    assert state["first"] == ("pending", 0, pause_ends)  # a rate limit is not a failed attempt
    assert state["second"] == ("pending", 0, pause_ends)  # its conversation waits with it
    harness.clock.advance(seconds=29)
    assert await harness.app.sender.deliver_due() == 0
    harness.clock.advance(seconds=1)
    assert await harness.app.sender.deliver_due() == 2
    assert [s.message.text for s in platform.sent] == ["other", "first", "second"]
