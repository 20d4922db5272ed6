"""The outbox sends to different conversations side by side, each in order and paced by its
platform's limit; a rate limit pauses only the conversation it came from."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from typing import Any

import pytest
from sqlalchemy import event, select

from bot import delivery
from bot.core.errors import DeliveryError
from bot.core.messages import Destination, Message, Outgoing, Receipt
from bot.core.model import Member, Workspace
from bot.delivery import CONCURRENCY
from bot.storage.outbox import SqlOutbox
from bot.storage.tables import OutboxRow
from tests.conftest import Harness
from tests.fakes import FakeMessenger

SPACING = 0.05  # seconds between two posts to one channel, for this fake platform


class LimitedMessenger(FakeMessenger):
    """A platform that refuses (429) a post to a channel sooner than SPACING after the
    last, and holds its first answer until a second post is in flight."""

    def __init__(self) -> None:
        super().__init__(spacing_seconds=SPACING)
        self.last: dict[str, float] = {}
        self.in_flight = self.most_in_flight = self.refused = 0
        self.order: dict[str, list[str]] = {}
        self.overlapped = asyncio.Event()

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
            # The first post is answered once another is in flight too (or after 2 s, if
            # the sender sends one at a time); then each is answered at once.
            if self.in_flight > 1:
                self.overlapped.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.overlapped.wait(), 2)
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


async def test_a_channel_two_workspaces_post_to_is_paced_as_one(harness: Harness) -> None:
    """A channel's id names it across workspaces (a channel shared between two is one
    channel, with one rate limit): their messages to it take turns, none meets a 429."""
    platform = LimitedMessenger()
    harness.app.sender.messenger = platform
    async with harness.app.uow() as uow:
        first = await uow.workspaces.get_or_create("console", "T1", "UTC")
        second = await uow.workspaces.get_or_create("console", "T2", "UTC")
        for n in range(3):
            for ws in (first, second):
                outgoing = Outgoing(Message(f"{ws.external_id} {n}"), Destination.to_channel("C1"))
                await uow.outbox.add(ws.id, outgoing, harness.clock.now())
        await uow.commit()
    await queue(harness, [("C2", "elsewhere")])  # so two posts can be in flight at once
    assert await harness.app.sender.deliver_due() == 7
    assert platform.refused == 0
    assert platform.order["C1"] == ["T1 0", "T2 0", "T1 1", "T2 1", "T1 2", "T2 2"]


async def test_a_busy_channel_keeps_only_what_it_can_send_soon_and_the_rest_wait_in_order(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A conversation holds here what it can send in HOLD_SECONDS: at 0.05 s a message, 4.
    monkeypatch.setattr(delivery, "HOLD_SECONDS", 0.2)
    platform = LimitedMessenger()
    harness.app.sender.messenger = platform
    await queue(harness, [("CBUSY", f"busy {n:02d}") for n in range(10)] + [("CQUIET", "quiet")])
    assert await harness.app.sender.deliver_due() == 5  # 4 to the busy channel, 1 to the quiet
    assert platform.order == {"CBUSY": [f"busy {n:02d}" for n in range(4)], "CQUIET": ["quiet"]}
    async with harness.app.uow() as uow:
        back = await pending(uow)
    # The other 6 went back to the table, due once the 4 kept would have gone out.
    assert [t for t, _ in back] == [f"busy {n:02d}" for n in range(4, 10)]
    assert {due for _, due in back} == {harness.clock.now() + dt.timedelta(seconds=0.2)}
    # A message for the busy channel that comes meanwhile waits behind them; taking it up
    # and giving it back is one transaction (a busy channel's every new message cost two).
    await queue(harness, [("CBUSY", "late")])
    transactions: list[object] = []

    def begun(connection: object) -> None:
        transactions.append(connection)

    event.listen(harness.app.engine.sync_engine, "begin", begun)
    await harness.app.sender.pick_up()
    event.remove(harness.app.engine.sync_engine, "begin", begun)
    assert len(transactions) == 1
    async with harness.app.uow() as uow:
        assert (await pending(uow))[-1] == ("late", harness.clock.now() + dt.timedelta(seconds=0.2))
    assert await harness.app.sender.deliver_due() == 0
    for _ in range(5):
        harness.clock.advance(seconds=1)
        await harness.app.sender.deliver_due()
    assert platform.order["CBUSY"] == [f"busy {n:02d}" for n in range(10)] + ["late"]
    assert platform.refused == 0 and len(platform.sent) == 12


async def pending(uow: Any) -> list[tuple[str, dt.datetime]]:
    rows = (
        (
            await uow.session.execute(
                select(OutboxRow).where(OutboxRow.status == "pending").order_by(OutboxRow.id)
            )
        )
        .scalars()
        .all()
    )
    return [(r.message["text"], r.next_attempt_at) for r in rows]


async def test_a_reply_taken_up_while_its_parent_is_being_taken_up_follows_it(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs of the sender at once (a kick and the scheduler's): the reply is put after
    its parent, never found waiting for it (which leaves it in the table for seconds)."""
    first_claim = asyncio.Event()
    claim = SqlOutbox.claim

    async def slow_first_claim(self: SqlOutbox, *args: Any, **kwargs: Any) -> Any:
        rows = await claim(self, *args, **kwargs)
        if not first_claim.is_set():
            first_claim.set()
            await asyncio.sleep(0.1)  # between taking the rows up and committing
        return rows

    monkeypatch.setattr(SqlOutbox, "claim", slow_first_claim)
    async with harness.app.uow() as uow:
        ws = await uow.workspaces.get_or_create("console", "T1", "UTC")
        parent = Outgoing(Message("the ask"), Destination.to_channel("CGIFTS"), key="ask")
        await uow.outbox.add(ws.id, parent, harness.clock.now())
        await uow.commit()
    sender = harness.app.sender
    sender.kick()
    await first_claim.wait()
    async with harness.app.uow() as uow:
        reply = Outgoing(Message("approved"), Destination.to_thread("ask"))
        await uow.outbox.add(ws.id, reply, harness.clock.now())
        await uow.commit()
    assert await sender.deliver_due() == 1
    assert [(s.kind, s.message.text) for s in harness.messenger.sent] == [
        ("channel", "the ask"),
        ("thread", "approved"),
    ]


async def test_answers_are_not_held_back_by_a_conversations_limit(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer goes through its request's own handle: however many a member is owed (a
    burst of commands), all are kept and sent, none put off."""
    monkeypatch.setattr(delivery, "HOLD_SECONDS", 0.2)
    harness.messenger.spacing_seconds = 0.05  # the platform's limit for conversations
    async with harness.app.uow() as uow:
        ws = await uow.workspaces.get_or_create("console", "T1", "UTC")
        for n in range(10):
            receipt = Receipt("console", "command", f"k{n}", answer={"user": "alice"})
            where = Destination.to_request(receipt, None, public=False)
            await uow.outbox.add(
                ws.id, Outgoing(Message(f"answer {n}"), where), harness.clock.now()
            )
        await uow.commit()
    assert await harness.app.sender.deliver_due() == 10
    assert [s.message.text for s in harness.messenger.to("answer")] == [
        f"answer {n}" for n in range(10)
    ]
