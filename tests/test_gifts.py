"""WOW gifts: budget and the admin's say, decline with a reason, earlier gifts, the form."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest

from bot.core.commands import Action
from bot.core.model import GiftStatus
from tests.conftest import Harness, make_harness


async def status_of(h: Harness, gift_id: int) -> GiftStatus:
    async with h.app.uow() as uow:
        return (await uow.gifts.get(1, gift_id)).status


async def test_a_decision_over_the_month_budget_needs_an_admin(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow admin managers add <@maria>")
    await h.cmd("alice", "/wow admin budget 50 USD")
    await h.cmd("bob", "/wow gift Acme: pizza $40")
    await h.cmd("bob", "/wow gift Beta: flowers $20")
    assert "You approved gift #1" in await h.click("maria", "gift.approve", "1")
    refused = await h.click("maria", "gift.approve", "2")
    assert refused == (
        "Approving this would take the month over budget: $40.00 of $50.00 "
        "spent, and this gift is $20.00. An admin has to approve it."
    )
    assert await status_of(h, 2) is GiftStatus.PROPOSED
    assert "You approved gift #2" in await h.click("alice", "gift.approve", "2")
    month = await h.cmd("bob", "/wow gifts month")
    assert "$60.00 of $50.00 used this month, over by $10.00" in month


async def test_decline_asks_for_a_reason_then_tells_thread_and_proposer(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow admin managers add <@maria>")
    await h.cmd("bob", "/wow gift Acme: a yacht $900 because they like boats")
    reply = await h.app.bot.action(
        h.who("maria"),
        Action("gift.decline", "1"),
    )
    assert reply.message.form is not None and reply.message.form.inputs[0].name == "reason"
    assert await status_of(h, 1) is GiftStatus.PROPOSED
    answer = await h.click("maria", "gift.decline", "1", reason="Too much for one customer")
    assert answer == "You declined gift #1 for Acme."
    assert await status_of(h, 1) is GiftStatus.DECLINED
    texts = [s.message.text for s in h.messenger.sent]
    assert "Declined by Maria: Too much for one customer" in texts
    dm = h.messenger.to("dm", "bob")[-1]
    assert "was declined by Maria: Too much for one customer" in dm.message.text
    assert dm.message.buttons == ()  # nothing to mark as sent
    assert (await h.click("maria", "gift.approve", "1")).startswith("Already declined by Maria")


async def test_the_proposal_shows_this_customers_earlier_gifts(harness: Harness) -> None:
    h = harness
    await h.cmd("bob", "/wow gift Acme Dental: pizza $40")
    await h.cmd("carol", "/wow gift acme dental: a hat $25")
    root = h.messenger.to("channel")[-1].message
    earlier = next(s for s in root.sections if s.title.startswith("Earlier gifts"))
    assert len(earlier.lines) == 1 and earlier.lines[0].startswith("#1 Acme Dental: pizza")


async def test_the_gift_form_records_the_four_checks(harness: Harness) -> None:
    h = harness
    answer = await h.click(
        "bob",
        "gift.submit",
        "",
        customer="Acme",
        gift="a signed card",
        cost="12 USD",
        personalized="true",
        appropriate="true",
        practical="false",
        timely="true",
    )
    assert "Proposed WOW gift #1 for Acme: a signed card ($12.00)" in answer
    root = h.messenger.to("channel")[-1].message
    checks = dict((f.label, f.value) for f in root.fields)["Four checks"]
    assert checks == "Personalized ✓ · Appropriate ✓ · Practical ✗ · Timely ✓"
    bad = await h.click("bob", "gift.submit", "", customer="Acme", gift="cake", cost="lots")
    assert bad.startswith('"lots" is not an amount. Write the amount like $40, 40 USD, €4,50')


async def test_only_the_proposer_marks_sent_and_the_follow_up_follows_the_setting(
    harness: Harness,
) -> None:
    h = harness
    await h.cmd("alice", "/wow admin managers add <@maria>")
    await h.cmd("alice", "/wow admin followup-after-gift 3d")
    await h.cmd("bob", "/wow gift Acme: pizza $40")
    await h.click("maria", "gift.approve", "1")
    h.clock.set(h.clock.now() + dt.timedelta(hours=7, minutes=37))  # marked sent at 16:37
    answer = await h.click("bob", "gift.sent", "1")
    # A day named without a time is 09:00 that day, here too (SPEC §3).
    assert "Follow-up #1: check in with Acme on Thu 26 Nov 2026 09:00 (Europe/Helsinki)" in answer
    assert await status_of(h, 1) is GiftStatus.SENT


async def test_cheer_once_per_member_and_the_wall_post_shows_the_count(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow hero <@bob> stayed late #wowism")
    assert "(1 cheer)" in await h.click("carol", "hero.cheer", "1")
    assert "(2 cheers)" in await h.click("dave", "hero.cheer", "1")
    assert await h.click("carol", "hero.cheer", "1") == "You've cheered this one already."
    updates = h.messenger.to("update")
    assert [u.message.buttons[0].label for u in updates] == ["Cheer (1)", "Cheer (2)"]


async def test_first_sight_of_a_member_from_two_requests_at_once(db_url: str) -> None:
    h = await make_harness(db_url)
    try:
        await h.cmd("alice", "/wow values")
        answers = await asyncio.gather(*(h.cmd("newbie", "/wow me") for _ in range(4)))
        assert all(a.startswith("Newbie (member)") for a in answers)
    finally:
        await h.app.close()


async def test_an_unexpected_failure_answers_with_a_ref_logs_it_and_saves_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    await h.cmd("alice", "/wow values")

    async def broken(workspace: object, user_id: str) -> object:
        raise RuntimeError("directory exploded")

    h.app.bot.directory.profile = broken  # type: ignore[method-assign]
    answer = await h.cmd("alice", "/wow hero <@stranger> helped a stranger")
    match = re.fullmatch(r"Something went wrong \(ref ([0-9a-f]{6})\)\. .*", answer)
    assert match, answer
    assert any(match.group(1) in r.getMessage() and r.exc_info for r in caplog.records)
    assert "directory exploded" not in answer  # the user sees the ref, not the internals
    async with h.app.uow() as uow:
        assert await uow.heroes.between(1, h.clock.now().replace(year=2000), h.clock.now()) == []
    assert h.messenger.sent == []


async def test_gift_and_hero_with_no_arguments_open_their_forms(harness: Harness) -> None:
    for command, action, first in (
        ("/wow gift", "gift.submit", "customer"),
        ("/wow hero", "hero.submit", "nominees"),
    ):
        reply = await harness.app.bot.command(harness.who("bob"), command)
        form = reply.message.form
        assert not reply.error and form.action == action and form.inputs[0].name == first
        assert form.typed_hint.startswith(command)  # the console shows how to type it instead


async def test_the_proposer_is_never_asked_to_decide_their_own_gift(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow gift Acme: pizza $40")  # alice is the only admin, no managers
    ask = h.messenger.to("thread")[-1].message
    assert ask.mentions == () and "Nobody else can decide it yet" in ask.text
    await h.cmd("alice", "/wow admin managers add <@maria> <@bob>")
    await h.cmd("bob", "/wow gift Beta: flowers $20")
    assert h.messenger.to("thread")[-1].message.mentions == ("maria",)


def four_checks(h: Harness) -> str:
    """The "Four checks" field of the gift's root message as last sent or redrawn."""
    root = [m for m in h.messenger.sent if m.message.title == "WOW gift #1 for Acme"][-1]
    return dict((f.label, f.value) for f in root.message.fields)["Four checks"]


async def test_a_typed_gifts_proposer_confirms_the_four_checks_by_typing(
    harness: Harness,
) -> None:
    h = harness
    await h.cmd("alice", "/wow admin managers add <@maria>")
    reply = await h.app.bot.command(h.who("bob"), "/wow gift Acme: pizza $40")
    assert reply.message is not None
    assert "/wow gift checks 1 personalized appropriate practical timely" in reply.message.text
    assert [(b.label, b.action, b.value) for b in reply.message.buttons] == [
        ("Confirm the four checks", "gift.checks", "1")
    ]
    await h.app.sender.deliver_due()
    assert four_checks(h).startswith("Personalized ? · Appropriate ? · Practical ? · Timely ?")

    answer = await h.cmd("bob", "/wow gift checks 1 personalised, practical and timely")
    shown = "Personalized ✓ · Appropriate ✗ · Practical ✓ · Timely ✓"
    assert answer == f"Gift #1 for Acme: {shown}. The managers' thread shows it."
    await h.app.sender.deliver_due()
    assert h.messenger.to("update")[-1].message.title == "WOW gift #1 for Acme"
    assert four_checks(h) == shown
    async with h.app.uow() as uow:
        stored = (await uow.gifts.get(1, 1)).checks
    assert stored == {"personalized": True, "appropriate": False, "practical": True, "timely": True}

    assert "Only Bob, who proposed gift #1" in await h.cmd("maria", "/wow gift checks 1 all")
    typo = await h.cmd("bob", "/wow gift checks 1 practicle")
    assert typo.startswith('"practicle" is not one of the four checks. Did you mean "practical"?')
    assert "/wow gift <customer>" not in typo  # only the checks' usage line
    assert (await h.cmd("bob", "/wow gift checks 1")).startswith("Name the checks the gift meets")
    assert four_checks(h) == shown  # mistakes changed nothing

    await h.click("maria", "gift.approve", "1")
    late = await h.cmd("bob", "/wow gift checks 1 all")
    assert late.startswith("Gift #1 is already approved; its four checks can only change")


async def test_the_confirm_button_opens_the_checks_form_filled_with_what_is_known(
    harness: Harness,
) -> None:
    h = harness
    await h.cmd("bob", "/wow gift Acme: pizza $40")
    await h.cmd("bob", "/wow gift checks 1 appropriate")
    reply = await h.app.bot.action(h.who("bob"), Action("gift.checks", "1"))
    assert reply.message is not None and reply.message.form is not None
    form = reply.message.form
    assert (form.action, form.value) == ("gift.checks.save", "1")
    assert [(i.name, i.kind, i.initial) for i in form.inputs] == [
        ("personalized", "toggle", "false"),
        ("appropriate", "toggle", "true"),
        ("practical", "toggle", "false"),
        ("timely", "toggle", "false"),
    ]
    refused = await h.click("carol", "gift.checks", "1")
    assert refused.startswith("Only Bob, who proposed gift #1")
    answer = await h.click(
        "bob", "gift.checks.save", "1", personalized="true", appropriate="false", timely="true"
    )
    shown = "Personalized ✓ · Appropriate ✗ · Practical ✗ · Timely ✓"
    assert answer.startswith(f"Gift #1 for Acme: {shown}")
    assert four_checks(h) == shown


async def test_a_customer_named_checks_is_still_a_gift_proposal(harness: Harness) -> None:
    answer = await harness.cmd("bob", "/wow gift checks: a mug")
    assert answer.startswith("Proposed WOW gift #1 for checks: a mug (no cost).")


async def test_the_digest_names_the_months_gift_spend_once(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow admin managers add <@maria>")
    await h.cmd("bob", "/wow gift Acme: pizza $40")
    await h.click("maria", "gift.approve", "1")
    for budget in (None, "/wow admin budget 500 USD"):
        if budget:
            await h.cmd("alice", budget)
        digest = (await h.app.bot.command(h.who("alice"), "/wow digest preview")).message
        lines = [line for s in digest.sections for line in s.lines]
        spend = [line for line in lines if "$40.00" in line]
        assert len(spend) == 1, lines  # the KPI's reading, not a second "Spent this month"
        assert spend[0].startswith("Gift spend this month: $40.00")
