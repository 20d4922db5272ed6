"""Reminders that fall due together: one DM per owner listing them, each with its own
Done / Snooze; a click redraws that DM; more than fit one DM are split."""

from __future__ import annotations

import datetime as dt
import json

from slack_sdk.models.blocks import Block

from bot.adapters.slack.blocks import to_blocks
from bot.adapters.teams.cards import attachment, to_card
from bot.core.limits import LIMITS
from bot.core.messages import Message
from bot.core.model import FollowUp, FollowUpStatus, Member, Role
from bot.handlers.followups import reminders
from tests.conftest import Harness
from tests.fakes import Sent


async def move(h: Harness, moment: dt.datetime) -> None:
    h.clock.set(moment)
    await h.tick()


def buttons(message: Message) -> list[list[tuple[str, str]]]:
    return [[(b.action, b.value) for b in s.buttons] for s in message.sections]


async def test_reminders_due_together_come_in_one_dm_each_with_its_own_buttons(
    harness: Harness,
) -> None:
    h = harness
    for customer in ("Acme", "Beta", "Gamma"):
        await h.cmd("bob", f"/wow followup {customer} in 2 days: call back")
    await h.cmd("carl", "/wow followup Delta in 2 days")
    await move(h, h.clock.now() + dt.timedelta(days=2, minutes=1))

    (group,) = h.messenger.to("dm", "bob")
    assert group.message.title == "3 follow-ups to do"
    assert [s.title for s in group.message.sections] == [
        "#1 Follow up with Acme",
        "#2 Follow up with Beta",
        "#3 Follow up with Gamma",
    ]
    assert group.message.sections[0].lines[0] == "Note: call back"
    assert buttons(group.message) == [
        [("followup.done", str(n)), ("followup.snooze", f"{n}:1d"), ("followup.snooze", f"{n}:1w")]
        for n in (1, 2, 3)
    ]
    (alone,) = h.messenger.to("dm", "carl")  # one due alone: a reminder of its own
    assert alone.message.title == "Time to follow up with Delta" and not alone.message.sections

    # A day later all three are nudged, again in one DM.
    await move(h, h.clock.now() + dt.timedelta(days=1, minutes=1))
    _, nudged = h.messenger.to("dm", "bob")
    assert [s.title for s in nudged.message.sections] == [
        "#1 Still to do: Acme",
        "#2 Still to do: Beta",
        "#3 Still to do: Gamma",
    ]


async def test_done_and_snooze_in_a_grouped_dm_redraw_it_with_both_changes(
    harness: Harness,
) -> None:
    h = harness
    for customer in ("Acme", "Beta", "Gamma"):
        await h.cmd("bob", f"/wow followup {customer} in 2 days")
    await move(h, h.clock.now() + dt.timedelta(days=2, minutes=1))
    (group,) = h.messenger.to("dm", "bob")

    assert "is done" in await h.click("bob", "followup.done", "1")
    assert "now due" in await h.click("bob", "followup.snooze", "2:1w")
    first, second = h.messenger.to("update", str(group.ref["id"]))
    assert first.message.sections[0].lines[-1] == "Done."
    assert buttons(first.message)[0] == [] and len(buttons(first.message)[1]) == 3
    # The second redraw keeps the first change and adds its own; Gamma keeps its buttons.
    assert second.message.sections[0].lines[-1] == "Done."
    assert second.message.sections[1].lines[-1].startswith("Snoozed: now due ")
    assert [len(b) for b in buttons(second.message)] == [0, 0, 3]
    assert second.message.title == group.message.title

    # Nothing else changed: the done one stays done; Gamma alone is nudged a day later.
    assert "is done already" in await h.click("bob", "followup.done", "1")
    await move(h, h.clock.now() + dt.timedelta(days=1, minutes=1))
    assert h.messenger.to("dm", "bob")[-1].message.title == "Still to do: follow up with Gamma"
    await move(h, h.clock.now() + dt.timedelta(weeks=1))
    beta = h.messenger.to("dm", "bob")[-1]
    assert beta.message.title == "Time to follow up with Beta"  # the snooze ran out

    # Beta's buttons are in its own reminder now: Done takes them off there, and the old
    # DM, which says Beta was snoozed, is left as it is.
    assert "is done" in await h.click("bob", "followup.done", "2")
    assert len(h.messenger.to("update", str(group.ref["id"]))) == 2
    (closed,) = h.messenger.to("update", str(beta.ref["id"]))
    assert closed.message.text == "Followed up with Beta. Done."


async def test_more_than_fit_one_dm_are_split_and_each_sent_once(harness: Harness) -> None:
    h = harness
    for n in range(23):
        await h.cmd("bob", f"/wow followup Customer{n} in 2 days")
    await move(h, h.clock.now() + dt.timedelta(days=2, minutes=1))
    await h.tick()  # a second run finds nothing more to send
    dms: list[Sent] = h.messenger.to("dm", "bob")
    assert [d.message.title for d in dms] == [
        "23 follow-ups to do (1 of 3)",
        "23 follow-ups to do (2 of 3)",
        "23 follow-ups to do (3 of 3)",
    ]
    assert [len(d.message.sections) for d in dms] == [10, 10, 3]
    listed = [s.title.split()[0] for d in dms for s in d.message.sections]
    assert listed == [f"#{n}" for n in range(1, 24)]


def test_a_grouped_reminder_fits_slack_and_teams_whatever_the_notes() -> None:
    """The longest customers and notes, in characters JSON escapes to six bytes each: every
    DM stays within Slack's 50 blocks and Teams' 28 KB an activity, and all are listed."""
    owner = Member(1, 1, "U1", "Bob", "UTC", Role.MEMBER)
    due = [
        (
            FollowUp(
                id=n,
                workspace_id=1,
                owner_id=1,
                customer="顧" * LIMITS["customer"],
                note=None if n % 3 else "客" * LIMITS["note"],
                due_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
                status=FollowUpStatus.OPEN,
                origin="manual",
                created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
                reminders=1,
            ),
            False,
        )
        for n in range(1, 31)
    ]
    messages = reminders(due, owner)
    assert [f.id for _, carried in messages for f in carried] == list(range(1, 31))
    assert len({o.key for o, _ in messages}) == len(messages) > 3
    for outgoing, carried in messages:
        assert len(outgoing.message.sections) == len(carried) <= 10
        _, blocks = to_blocks(outgoing.message)
        assert len(blocks) <= 50
        for block in Block.parse_all(blocks):
            block.validate_json()
        card = attachment(to_card(outgoing.message))
        assert len(json.dumps({"type": "message", "attachments": [card]})) < 28_000
