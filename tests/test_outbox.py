"""The persistent outbox: nothing accepted is lost, and what must be sent is sent once."""

from __future__ import annotations

import datetime as dt

from bot.core.errors import DeliveryError
from bot.delivery import LEASE
from tests.conftest import Harness, make_harness


async def test_a_restart_between_saving_and_sending_loses_nothing(db_url: str) -> None:
    before = await make_harness(db_url)
    reply = await before.app.bot.command(before.who("alice"), "/wow hero <@bob> saved Acme #wowism")
    assert "Hero moment #1 recorded" in reply.message.text
    assert before.messenger.sent == []  # saved, then the process "stops" before sending
    await before.app.close()

    after = await make_harness(db_url, clock=before.clock)  # the next start
    try:
        assert await after.app.sender.deliver_due() == 2  # the wall post and Bob's DM
        assert [s.kind for s in after.messenger.sent] == ["channel", "dm"]
        assert "saved Acme" in after.messenger.sent[0].message.text
        assert await after.app.sender.deliver_due() == 0  # once
        after.clock.advance(hours=1)
        await after.app.tick()
        assert len(after.messenger.sent) == 2
    finally:
        await after.app.close()


async def test_a_send_cut_off_midway_is_retried_after_its_lease_once(db_url: str) -> None:
    crashed = await make_harness(db_url)
    await crashed.app.bot.command(crashed.who("alice"), "/wow hero <@bob> held the line")
    async with crashed.app.uow() as uow:  # a worker leases the rows, then dies
        assert len(await uow.outbox.claim(crashed.clock.now(), LEASE, 10)) == 2
        await uow.commit()
    await crashed.app.close()

    other = await make_harness(db_url, clock=crashed.clock)
    try:
        assert await other.app.sender.deliver_due() == 0  # the lease still holds
        other.clock.advance(seconds=LEASE.total_seconds() + 1)
        assert await other.app.sender.deliver_due() == 2
        assert await other.app.sender.deliver_due() == 0
    finally:
        await other.app.close()


async def test_rate_limited_sends_wait_for_retry_after_then_arrive_once(harness: Harness) -> None:
    harness.messenger.failures_for["channel"] = [
        DeliveryError("ratelimited", permanent=False, retry_after=30)
    ]
    await harness.cmd("alice", "/wow hero <@bob> answered in 3 seconds flat")
    assert [s.kind for s in harness.messenger.sent] == ["dm"]  # the wall post is waiting
    harness.clock.advance(seconds=29)
    await harness.app.sender.deliver_due()
    assert len(harness.messenger.sent) == 1
    harness.clock.advance(seconds=2)
    await harness.app.sender.deliver_due()
    assert [s.kind for s in harness.messenger.sent] == ["dm", "channel"]
    harness.clock.advance(hours=2)
    await harness.app.sender.deliver_due()
    assert len(harness.messenger.sent) == 2


async def test_a_permanent_failure_is_recorded_shown_and_not_retried(harness: Harness) -> None:
    await harness.cmd("alice", "/wow digest subscribe #gone at 08:30 daily")
    harness.messenger.failures.append(DeliveryError("channel_not_found", permanent=True))
    harness.clock.set(dt.datetime(2026, 11, 24, 6, 31, tzinfo=dt.UTC))  # 08:31 Helsinki
    await harness.tick()
    assert harness.messenger.sent == []
    status = await harness.app.bot.command(harness.who("alice"), "/wow digest status")
    errors = next(s for s in status.message.sections if s.title == "Delivery errors")
    assert "digest for #gone on 2026-11-24: channel_not_found" in errors.lines[0]
    harness.clock.advance(days=1, minutes=-1)  # the next morning's digest fails anew, alone
    harness.messenger.failures.append(DeliveryError("channel_not_found", permanent=True))
    await harness.tick()
    harness.clock.advance(hours=3)
    await harness.tick()
    assert harness.messenger.sent == [] and harness.messenger.failures == []


async def test_retryable_failures_give_up_after_bounded_attempts(harness: Harness) -> None:
    harness.messenger.failures.extend(
        DeliveryError("internal_error", permanent=False) for _ in range(20)
    )
    await harness.app.bot.command(harness.who("alice"), "/wow digest now")
    for _ in range(12):
        harness.clock.advance(hours=2)
        await harness.app.sender.deliver_due()
    status = await harness.app.bot.command(harness.who("alice"), "/wow digest status")
    errors = next(s for s in status.message.sections if s.title == "Delivery errors")
    assert "internal_error" in errors.lines[0]
    assert len(harness.messenger.failures) == 20 - 8  # MAX_ATTEMPTS, not forever


async def test_a_thread_reply_waits_for_its_root_and_goes_under_it(harness: Harness) -> None:
    harness.messenger.failures.append(DeliveryError("service_unavailable", permanent=False))
    await harness.cmd("alice", "/wow admin managers add <@maria>")
    await harness.cmd("bob", "/wow gift Acme: pizza $40")
    assert harness.messenger.sent == []  # the root failed once, so the thread reply waits
    harness.clock.advance(seconds=10)
    await harness.app.sender.deliver_due()
    root, ask = harness.messenger.sent
    assert (root.kind, ask.kind) == ("channel", "thread")
    assert ask.target == str(root.ref["id"])
    assert ask.message.mentions == ("maria",)


async def test_shutdown_stops_between_messages_and_the_rest_go_out_on_the_next_start(
    db_url: str,
) -> None:
    first = await make_harness(db_url)
    for i in range(3):
        await first.app.bot.command(first.who("alice"), f"/wow hero <@bob> saved customer {i}")
    sent_before_stop: list[str] = []
    original = first.messenger.post

    async def post_then_stop(*args: object, **kwargs: object) -> dict[str, object]:
        ref = await original(*args, **kwargs)
        sent_before_stop.append("sent")
        first.app.sender._stopping = True  # the shutdown arrives while sending the first
        return ref

    first.messenger.post = post_then_stop  # type: ignore[method-assign]
    sent = await first.app.sender.deliver_due()
    # Two conversations (the wall, Bob's DMs) are sent to side by side: each stops after
    # the message it was sending.
    assert 1 <= sent <= 2 and sent == len(sent_before_stop)
    await first.app.close()

    after = await make_harness(db_url, clock=first.clock)  # released rows: due at once
    try:
        assert await after.app.sender.deliver_due() == 6 - sent  # 3 wall posts + 3 DMs
        sent_all = [(s.kind, s.message.text) for s in first.messenger.sent + after.messenger.sent]
        assert len(sent_all) == len(set(sent_all)) == 6
    finally:
        await after.app.close()
