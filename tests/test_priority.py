"""Acknowledgements first: while a burst of requests is acknowledged, work waits."""

from __future__ import annotations

import asyncio

from bot.core.messages import Receipt
from bot.delivery import OutboxSender
from bot.inbox import Inbox, Request
from bot.priority import AcksFirst
from tests.conftest import Harness


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


async def spin(turns: int = 50) -> None:
    """Let every ready task run a few steps (no time passes)."""
    for _ in range(turns):
        await asyncio.sleep(0)


def test_work_waits_while_acks_are_in_flight_and_a_moment_after() -> None:
    ticks = Ticks()
    acks = AcksFirst(quiet=0.05, patience=2.0, now=ticks)
    assert not acks.holding()  # nothing acknowledged yet
    with acks.acking():
        assert acks.holding()
        ticks.t += 1.0
        assert acks.holding()
    assert acks.holding()  # the next request of the burst is likely on its way
    ticks.t += 0.06
    assert not acks.holding()  # quiet: the burst is over


def test_a_burst_longer_than_patience_lets_work_run() -> None:
    ticks = Ticks()
    acks = AcksFirst(quiet=0.05, patience=2.0, now=ticks)
    for _ in range(60):  # a steady stream, one request every 40 ms: never quiet
        with acks.acking():
            ticks.t += 0.01
        ticks.t += 0.03
    assert ticks.t - 1000.0 > 2.0
    with acks.acking():
        assert not acks.holding()  # work shares the loop again
    ticks.t += 1.0  # quiet: the next burst holds work back again
    with acks.acking():
        assert acks.holding()


async def test_a_worker_starts_a_request_only_after_the_acks_in_flight(harness: Harness) -> None:
    acks = AcksFirst(quiet=0)
    inbox = Inbox(harness.app.uow, harness.clock, acks=acks)
    handled: list[int] = []

    async def handle(request: Request) -> None:
        handled.append(request.payload["n"])

    inbox.handle("slack", handle)
    with acks.acking():  # another request of the burst is still being acknowledged
        assert await inbox.accept("slack", "command", {"n": 1}) is not None
        await spin()
        assert handled == []
    await inbox.join()
    assert handled == [1]


class Probe(AcksFirst):
    """Says when work has come to wait for the acknowledgements."""

    def __init__(self) -> None:
        super().__init__(quiet=0)
        self.reached = asyncio.Event()

    async def wait(self) -> None:
        self.reached.set()
        await super().wait()


async def test_the_sender_sends_only_after_the_acks_in_flight(harness: Harness) -> None:
    app = harness.app
    receipt = Receipt("console", "command", "k1", answer={"user": "alice", "channel": "general"})
    assert (await app.bot.command(harness.who("alice"), "help", receipt)).queued
    acks = Probe()
    sender = OutboxSender(app.uow, harness.messenger, harness.clock, acks=acks)
    with acks.acking():
        sending = asyncio.create_task(sender.deliver_due())
        await asyncio.wait_for(acks.reached.wait(), 10)  # the row is claimed, not sent
        await spin()
        assert harness.messenger.sent == []
    assert await sending == 1
    assert [s.kind for s in harness.messenger.sent] == ["answer"]
