"""The inbox: requests saved before their ack, handled once; answers through the outbox."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import func, select

from bot.core.messages import Receipt
from bot.inbox import LEASE, Inbox, Request
from bot.storage.tables import HeroMomentRow, InboxRow, OutboxRow
from tests.conftest import Harness
from tests.slack_fake import sign
from tests.slack_world import SlackWorld


async def count(world: SlackWorld | Harness, model: type) -> int:
    async with world.app.uow() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar())


async def test_a_replayed_signed_command_is_handled_once(slack: SlackWorld) -> None:
    body = slack.command_body("UADMIN", "hero <@UBOB|bob> answered at 3am")
    headers = sign(body)
    assert await slack.post(body, headers) == 200
    assert await slack.post(body, headers) == 200  # the same signed request, replayed
    await slack.settle()
    assert [a["text"] for a in slack.fake.of("response_url")] == [
        "Thanks! Hero moment #1 recorded for bob."
    ]
    assert await count(slack, HeroMomentRow) == 1
    async with slack.app.uow() as uow:  # handled, and its response_url not kept
        rows = (await uow.session.execute(select(InboxRow.status, InboxRow.payload))).all()
    assert [tuple(r) for r in rows] == [("done", None)]


async def test_a_request_handled_twice_changes_nothing_the_second_time(harness: Harness) -> None:
    """Two workers with the same request (a lease that ran out under a slow one): the
    second finds it marked done in its own transaction and rolls back."""
    receipt = Receipt("console", "command", "k1", answer={"user": "alice", "channel": "general"})
    who = harness.who("alice")
    first = await harness.app.bot.command(who, "hero <@bob> fixed the printer", receipt)
    second = await harness.app.bot.command(who, "hero <@bob> fixed the printer", receipt)
    assert first.queued and second.message is None
    assert await count(harness, HeroMomentRow) == 1
    await harness.app.sender.deliver_due()
    assert [s.message.text for s in harness.messenger.to("answer", "alice")] == [
        "Thanks! Hero moment #1 recorded for Bob."
    ]


async def test_a_refused_command_is_answered_once_and_marked_handled(harness: Harness) -> None:
    receipt = Receipt("console", "command", "k2", answer={"user": "bob", "channel": "general"})
    reply = await harness.app.bot.command(harness.who("bob"), "admin budget 500 USD", receipt)
    assert reply.error and reply.queued
    again = await harness.app.bot.command(harness.who("bob"), "admin budget 500 USD", receipt)
    assert again.message is None
    await harness.app.sender.deliver_due()
    answers = harness.messenger.to("answer", "bob")
    assert len(answers) == 1 and answers[0].message.text.startswith("Only admins")


async def test_an_answer_slack_keeps_refusing_arrives_once_when_it_recovers(
    slack: SlackWorld,
) -> None:
    for _ in range(3):
        slack.fake.fail("response_url", status=500)
    body = slack.command_body("UADMIN", "hero <@UBOB|bob> calmed an angry caller")
    assert await slack.post(body) == 200
    await slack.settle()
    assert slack.fake.of("response_url") == []
    for _ in range(4):  # the outbox's backoff, on the clock
        slack.clock.advance(minutes=1)
        await slack.settle()
    assert [a["text"] for a in slack.fake.of("response_url")] == [
        "Thanks! Hero moment #1 recorded for bob."
    ]
    assert len(slack.fake.of("response_url!failed")) == 3


async def test_an_answer_past_its_response_url_becomes_a_dm(slack: SlackWorld) -> None:
    for _ in range(50):
        slack.fake.fail("response_url", status=503)
    assert await slack.post(slack.command_body("UADMIN", "leaderboard all")) == 200
    await slack.settle()
    slack.clock.advance(minutes=30)  # Slack keeps a response_url for 30 minutes
    await slack.settle()
    dms = [m for m in slack.fake.of("chat.postMessage") if m["channel"] == "DUADMIN"]
    assert len(dms) == 1 and "no hero moments yet" in dms[0]["text"]
    slack.clock.advance(hours=2)
    await slack.settle()
    assert len([m for m in slack.fake.of("chat.postMessage") if m["channel"] == "DUADMIN"]) == 1
    assert slack.fake.of("response_url") == []


async def test_an_expired_response_url_is_not_retried_but_answered_as_a_dm(
    slack: SlackWorld,
) -> None:
    slack.fake.fail("response_url", status=404, error="expired_url")
    assert await slack.post(slack.command_body("UADMIN", "leaderboard all")) == 200
    await slack.settle()
    dms = [m for m in slack.fake.of("chat.postMessage") if m["channel"] == "DUADMIN"]
    assert len(dms) == 1 and len(slack.fake.of("response_url!failed")) == 1


async def test_requests_left_at_shutdown_are_taken_up_by_the_next_start_once(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    app, clock = harness.app, harness.clock
    release, started, handled = asyncio.Event(), asyncio.Event(), []

    async def slow(request: Request) -> None:
        started.set()
        await release.wait()
        handled.append(("first", request.payload["n"]))

    async def handle(request: Request) -> None:
        handled.append(("next", request.payload["n"]))
        async with app.uow() as uow:  # what a platform's handler does through its receipt
            assert await uow.inbox.finish(request.platform, request.kind, request.key, clock.now())
            await uow.commit()

    first = Inbox(app.uow, clock, workers=1)
    first.handle("slack", slow)
    for n in range(3):
        assert await first.accept("slack", "command", {"n": n}) is not None
    assert await first.accept("slack", "command", {"n": 0}) is None  # the same request again
    await started.wait()  # the one worker starts on the first request
    with caplog.at_level(logging.INFO, "wowbot.inbox"):
        await first.drain(timeout=0)
    assert "2 acknowledged request(s) left for the next start" in caplog.text
    assert "1 request(s) were still being handled" in caplog.text

    following = Inbox(app.uow, clock)
    following.handle("slack", handle)
    assert await following.tick() == 2  # released at shutdown: taken up at once
    await following.join()
    assert sorted(handled) == [("next", 1), ("next", 2)]
    assert await following.tick() == 0  # the one being handled is still leased
    clock.advance(seconds=LEASE.total_seconds() + 1)  # its process never renewed it: gone
    assert await following.tick() == 1
    await following.join()
    assert sorted(handled) == [("next", 0), ("next", 1), ("next", 2)]
    release.set()
    await first.join()
    assert await following.tick() == 0


async def test_a_live_process_keeps_its_requests_past_the_lease(harness: Harness) -> None:
    app, clock = harness.app, harness.clock
    release = asyncio.Event()

    async def slow(request: Request) -> None:
        await release.wait()

    holder, other = Inbox(app.uow, clock, workers=1), Inbox(app.uow, clock)
    holder.handle("slack", slow)
    other.handle("slack", slow)
    await holder.accept("slack", "command", {"n": 1})
    for _ in range(3):
        clock.advance(seconds=LEASE.total_seconds() / 2)
        assert await holder.tick() == 0  # renews
        assert await other.tick() == 0
    release.set()
    await holder.join()


async def test_handled_requests_are_forgotten_after_a_day(harness: Harness) -> None:
    app, clock = harness.app, harness.clock
    receipt = Receipt("console", "command", "k3")
    await app.bot.command(harness.who("alice"), "help", receipt)
    assert await app.inbox.prune() == 0
    clock.advance(days=1, seconds=1)
    assert await app.inbox.prune() == 1
    assert await count(harness, InboxRow) == 0
    assert await count(harness, OutboxRow) == 0  # no answer handle: nothing queued


async def test_a_429_storm_delivers_every_answer_and_message_once(slack: SlackWorld) -> None:
    await slack.command("UADMIN", "admin channel wall <#CWALL|wow-wall>")
    for _ in range(12):
        slack.fake.fail("response_url", status=429, headers={"Retry-After": "30"})
    for _ in range(6):
        slack.fake.fail(
            "chat.postMessage", status=429, error="ratelimited", headers={"Retry-After": "0"}
        )
    for n in range(5):
        body = slack.command_body("UADMIN", f"hero <@UBOB|bob> case {n} in the storm")
        assert await slack.post(body) == 200
    await slack.settle()
    for _ in range(20):  # Retry-After and the outbox's backoff, on the clock
        slack.clock.advance(minutes=1)
        await slack.settle()
    answers = [a["text"] for a in slack.fake.of("response_url")]
    assert sorted(answers) == [
        "Hero moments now go to <#CWALL>.",
        *(f"Thanks! Hero moment #{n} recorded for bob." for n in range(1, 6)),
    ]
    for channel in ("CWALL", "DUBOB"):
        texts = [m["text"] for m in slack.posted(channel)]
        assert len(texts) == len(set(texts)) == 5, (channel, texts)
    assert len(slack.fake.of("response_url!failed")) == 12
