"""Service recovery (SPEC §9): a poor rating opens a case in the recovery channel; Take it,
Contacted, Propose a WOW gift and Resolved each reply in its thread and redraw its root; an
overdue case is escalated once; resolving creates the owner's follow-up; the customer's next
rating is linked to the case."""

from __future__ import annotations

import asyncio
import datetime as dt

from tests.conftest import Harness, make_harness
from tests.fakes import Sent


def fields(sent: Sent) -> dict[str, str]:
    return {f.label: f.value for f in sent.message.fields}


def on(h: Harness, kind: str, original: Sent) -> Sent:
    """The last message of `kind` sent about `original` (its update, or in its thread):
    messages to different places go out side by side, in no set order."""
    assert original.ref is not None
    found = [s for s in h.messenger.sent if (s.kind, s.target) == (kind, str(original.ref["id"]))]
    assert found, (kind, original.message.text)
    return found[-1]


async def setup(h: Harness) -> None:
    await h.cmd("alice", "/wow admin channel recovery <#CREC|recovery>")
    await h.cmd("alice", "/wow admin managers add <@dana> <@mo>")
    h.messenger.sent.clear()


async def test_a_poor_rating_opens_a_case_that_is_taken_contacted_gifted_and_resolved(
    harness: Harness,
) -> None:
    h = harness
    await setup(h)
    answer = await h.cmd("carl", "/wow feedback Acme Dental 2/5 <@bob>: waited a week for a call")
    assert answer == (
        "Feedback #1 from Acme Dental about Bob recorded: 2/5. A service recovery case (#1) "
        "was opened; someone should reach them by Mon 23 Nov 2026 13:00 (Europe/Helsinki)."
    )
    root, ask = h.messenger.sent
    assert (root.kind, root.target) == ("channel", "CREC")
    assert root.message.title == "Service recovery #1: Acme Dental rated 2/5"
    assert root.message.text == "waited a week for a call"
    assert fields(root) == {
        "Customer": "Acme Dental",
        "Score": "2/5",
        "Agent": "Bob",
        "Contact by": "Mon 23 Nov 2026 13:00 (Europe/Helsinki)",
        "Owner": "nobody yet",
        "Status": "Open: waiting for someone to take it",
    }
    assert (ask.kind, ask.target) == ("thread", str(root.ref["id"]))
    assert set(ask.message.mentions) == {"dana", "mo"}
    assert [b.label for b in ask.message.buttons] == [
        "Take it",
        "Contacted",
        "Resolved",
        "Propose a WOW gift",
    ]

    # Carl is no manager; Dana takes it; Mo, a second later, finds it hers.
    assert "Only managers and admins" in await h.click("carl", "case.take", "1")
    h.messenger.sent.clear()
    assert await h.click("dana", "case.take", "1") == (
        "Case #1 is yours. Reach Acme Dental by Mon 23 Nov 2026 13:00 (Europe/Helsinki), "
        "then press Contacted."
    )
    assert await h.click("mo", "case.take", "1") == "Case #1 is already Dana's."
    assert await h.click("mo", "case.contacted", "1") == (
        "Case #1 is Dana's. Only they or an admin can move it on."
    )
    redrawn_root, redrawn_ask = on(h, "update", root), on(h, "update", ask)
    said = on(h, "thread", root)
    assert (redrawn_root.kind, redrawn_root.target) == ("update", str(root.ref["id"]))
    assert fields(redrawn_root)["Status"] == "Taken by Dana: customer not contacted yet"
    assert (redrawn_ask.kind, redrawn_ask.target) == ("update", str(ask.ref["id"]))
    assert [b.label for b in redrawn_ask.message.buttons] == [
        "Contacted",
        "Resolved",
        "Propose a WOW gift",
    ]
    assert (said.kind, said.message.text) == ("thread", "Dana took this case.")

    h.messenger.sent.clear()
    await h.click("dana", "case.contacted", "1")
    assert on(h, "thread", root).message.text == "Dana contacted Acme Dental."
    assert "Contact by" not in fields(on(h, "update", root))

    # Propose a WOW gift: the gift form, filled with the customer and linked to the case.
    form_reply = await h.app.bot.action(h.who("dana"), _action("case.gift", "1"))
    form = form_reply.message.form
    assert (form.action, form.value) == ("gift.submit", "1")
    assert {i.name: i.initial for i in form.inputs if i.name == "customer"} == {
        "customer": "Acme Dental"
    }
    h.messenger.sent.clear()
    proposed = await h.click(
        "dana", "gift.submit", "1", customer="Acme Dental", gift="flowers for the front desk"
    )
    assert proposed.startswith("Proposed WOW gift #1 for Acme Dental: flowers")
    thread = [s for s in h.messenger.sent if s.kind == "thread" and s.target == str(root.ref["id"])]
    assert thread[-1].message.text.startswith("Dana proposed a WOW gift: flowers for the front")
    h.messenger.sent.clear()
    assert await h.click("mo", "gift.approve", "1") == "You approved gift #1 for Acme Dental."
    thread = [s for s in h.messenger.sent if s.kind == "thread" and s.target == str(root.ref["id"])]
    assert [s.message.text for s in thread] == ["Gift #1 was approved by Mo."]

    # Resolved asks for the outcome and a note; the owner gets a follow-up 7 days on.
    resolve = await h.app.bot.action(h.who("dana"), _action("case.resolve", "1"))
    assert [i.name for i in resolve.message.form.inputs] == ["recovered", "note"]
    assert "Say in a few words" in await h.click(
        "dana", "case.resolve", "1", recovered="true", note=" "
    )
    h.messenger.sent.clear()
    assert await h.click(
        "dana", "case.resolve", "1", recovered="true", note="Called, sent flowers, all good"
    ) == (
        "Case #1 resolved. I'll remind you Mon 30 Nov 2026 09:00 (Europe/Helsinki) to check "
        "Acme Dental is happy now (follow-up #1)."
    )
    root_now = on(h, "update", root)
    assert fields(root_now)["Status"] == "Resolved"
    assert fields(root_now)["Outcome"] == "Recovered: Called, sent flowers, all good"
    assert fields(root_now)["WOW gift"] == "#1 flowers for the front desk (approved)"
    assert on(h, "update", ask).message.buttons == ()
    assert await h.click("dana", "case.contacted", "1") == "Case #1 is resolved already."

    # Seven days later the reminder; then the customer's next rating joins the case.
    h.clock.set(dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC))
    h.messenger.sent.clear()
    await h.tick()
    await h.app.sender.deliver_due()
    reminder = [s for s in h.messenger.sent if s.kind == "dm"]
    assert reminder and reminder[0].target == "dana"
    assert "from service recovery case #1" in str(fields(reminder[0]))
    h.messenger.sent.clear()
    answer = await h.cmd("carl", "/wow feedback acme dental 5/5: lovely flowers, thank you")
    assert answer.endswith("It follows case #1 and was added to its thread.")
    assert "Service recovery case" not in answer
    said = [s for s in h.messenger.sent if s.kind == "thread"]
    assert said[0].message.text == "New feedback from acme dental: 5/5. The recovery worked."
    updated = [s for s in h.messenger.sent if s.kind == "update"]
    assert fields(updated[0])["Later feedback"] == '30 Nov: 5/5 "lovely flowers, thank you"'
    listed = await h.read("alice", "/wow recoveries all")
    assert listed.splitlines()[1] == "#1 23 Nov Acme Dental 2/5: Recovered"


def _action(name: str, value: str):
    from bot.core.commands import Action

    return Action(name, value)


async def test_an_uncontacted_case_is_escalated_once_to_the_admins(harness: Harness) -> None:
    h = harness
    await setup(h)
    assert "should be reached within 2 h" in await h.cmd("alice", "/wow admin sla recovery 2h")
    await h.cmd("carl", "/wow feedback Beta bad: nobody called back")
    await h.cmd("dana", "/wow recovery take 1")
    h.messenger.sent.clear()
    assert await h.app.jobs.next_moment(h.clock.now()) == h.clock.now() + dt.timedelta(hours=2)
    h.clock.advance(hours=1, minutes=59)
    await h.tick()
    await h.app.sender.deliver_due()
    assert h.messenger.sent == []
    h.clock.advance(minutes=1)
    await h.tick()
    await h.tick()  # a second worker finds nothing left to escalate
    await h.app.sender.deliver_due()
    thread = [s for s in h.messenger.sent if s.kind == "thread"]
    assert len(thread) == 1
    assert thread[0].message.text == (
        "Case #1 (Beta) is overdue: the customer has not been contacted, 2 h after it came "
        "in. Admins, please make sure someone reaches the customer now."
    )
    assert thread[0].message.mentions == ("alice",)
    root = next(s for s in h.messenger.sent if s.kind == "update")
    assert fields(root)["Status"].endswith("(OVERDUE)")


async def test_two_managers_taking_at_once_make_one_owner(db_url: str) -> None:
    h = await make_harness(db_url)
    try:
        await setup(h)
        await h.cmd("carl", "/wow feedback Gamma 1/5")
        answers = await asyncio.gather(
            h.app.bot.command(h.who("dana"), "/wow recovery take 1"),
            h.app.bot.command(h.who("mo"), "/wow recovery take 1"),
        )
        texts = sorted(a.message.text for a in answers)
        assert sum(t.startswith("Case #1 is yours") for t in texts) == 1
        assert sum(t.startswith("Case #1 is already") for t in texts) == 1
        async with h.app.uow() as uow:
            case = await uow.recoveries.get(1, 1)
        assert case is not None and case.owner_id is not None
    finally:
        await h.app.close()


async def test_recovery_steps_typed_wrong_say_how(harness: Harness) -> None:
    h = harness
    await setup(h)
    for typed, problem in (
        ("/wow recovery", "Say which step"),
        ("/wow recovery take", "Give the case number"),
        ("/wow recovery take 1 now", '"take" takes only the case number.'),
        ("/wow recovery resolve 1 maybe: x", 'say "recovered" or "not recovered"'),
        ("/wow recovery resolve 1 recovered", "Say in a few words what happened"),
        ("/wow recovery gift 1", "write a colon and the gift"),
        ("/wow recovery take 99", "There is no recovery case #99."),
        ("/wow recoveries later", '"later"'),
    ):
        answer = await h.cmd("dana", typed)
        assert problem in answer, (typed, answer)


async def test_customer_voice_kpis_are_computed_from_30_days_of_feedback(harness: Harness) -> None:
    h = harness
    before = await h.read("alice", "/wow kpi")
    assert "Net promoter" not in before and "Open recovery cases" not in before  # no feedback
    h.clock.advance(days=-40)
    await h.cmd("alice", "/wow feedback Old 0/10")  # 40 days ago: outside the window
    h.clock.advance(days=40)
    for typed in ("Aa 10/10", "Bb 9/10", "Cc 7/10", "Dd 3/10", "Ee 5/5", "Ff 4/5", "Gg 2/5"):
        await h.cmd("alice", f"/wow feedback {typed}")
    await h.cmd("alice", "/wow recovery resolve 3 not recovered: they left")  # Dd's case
    shown = await h.read("alice", "/wow kpi")
    assert "Net promoter score (30 days): 25" in shown  # (2 promoters - 1 detractor) / 4
    assert "Customer satisfaction (1–5, 30 days): 3.67" in shown
    assert "Service recoveries that won the customer back (30 days): 0%" in shown
    assert "Open recovery cases: 2 (target 0, off)" in shown  # Old's and Gg's
