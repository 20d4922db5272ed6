"""`followup done|cancel|move|note <id>`: the owner changes their follow-up (managers and
admins anyone's); a reminder already sent loses its buttons; state is what tests assert."""

from __future__ import annotations

import datetime as dt

from bot.core.model import FollowUp, FollowUpStatus
from tests.conftest import Harness


async def followup(h: Harness, number: int) -> FollowUp:
    async with h.app.uow() as uow:
        found = await uow.followups.get(1, number)  # the harness's one workspace
    assert found is not None
    return found


async def move_clock(h: Harness, by: dt.timedelta) -> None:
    h.clock.set(h.clock.now() + by)
    await h.tick()


async def test_the_owner_cancels_a_follow_up_and_it_is_never_reminded(harness: Harness) -> None:
    h = harness
    assert "Follow-up #1 with Acme" in await h.cmd("bob", "/wow followup Acme tomorrow")
    assert "#1 Acme" in await h.cmd("bob", "/wow followups")
    assert "Cancelled follow-up #1 with Acme." in await h.cmd("bob", "/wow followup cancel 1")
    assert (await followup(h, 1)).status is FollowUpStatus.CANCELLED
    await move_clock(h, dt.timedelta(days=3))
    assert h.messenger.to("dm", "bob") == []
    assert "none" in await h.cmd("bob", "/wow followups")
    assert "is cancelled already" in await h.cmd("bob", "/wow followup done 1")


async def test_moving_a_follow_up_reminds_at_the_new_time_in_the_owners_zone(
    harness: Harness,
) -> None:
    h = harness  # Monday 23 Nov, 09:00 in Helsinki
    await h.cmd("bob", "/wow followup Acme tomorrow: call back")
    answer = await h.cmd("bob", "/wow followup move #1 friday 14:30")
    assert answer == "Moved follow-up #1 with Acme to Fri 27 Nov 2026 14:30 (Europe/Helsinki)."
    await move_clock(h, dt.timedelta(days=2))  # Wednesday: tomorrow has passed, no reminder
    assert h.messenger.to("dm", "bob") == []
    h.clock.set(dt.datetime(2026, 11, 27, 12, 31, tzinfo=dt.UTC))  # Fri 14:31 Helsinki
    await h.tick()
    (reminder,) = h.messenger.to("dm", "bob")
    assert reminder.message.title == "Time to follow up with Acme"


async def test_moving_a_reminded_follow_up_takes_the_buttons_off_its_reminder(
    harness: Harness,
) -> None:
    h = harness
    await h.cmd("bob", "/wow followup Acme tomorrow")
    await move_clock(h, dt.timedelta(days=1, minutes=1))
    (reminder,) = h.messenger.to("dm", "bob")
    assert reminder.message.buttons
    await h.cmd("bob", "/wow followup move 1 next friday")
    (update,) = h.messenger.to("update", str(reminder.ref["id"]))
    assert update.message.text.startswith("Moved: Acme on Fri 4 Dec 2026 09:00")
    assert not update.message.buttons
    f = await followup(h, 1)
    assert (f.reminded_at, f.nudged_at) == (None, None)  # reminded again on the new day


async def test_a_note_is_replaced_and_shown_in_the_list(harness: Harness) -> None:
    h = harness
    await h.cmd("bob", "/wow followup Acme tomorrow: old note")
    assert "Follow-up #1 with Acme: ask about the invoice" in await h.cmd(
        "bob", "/wow followup note 1: ask about the invoice"
    )
    assert (await followup(h, 1)).note == "ask about the invoice"
    assert "Acme on Tue 24 Nov 2026 09:00 (Europe/Helsinki): ask about the invoice" in (
        await h.cmd("bob", "/wow followups")
    )


async def test_done_by_command_closes_it(harness: Harness) -> None:
    h = harness
    await h.cmd("bob", "/wow followup Acme tomorrow")
    assert "is done. Nice work!" in await h.cmd("bob", "/wow followup done 1")
    assert (await followup(h, 1)).status is FollowUpStatus.DONE


async def test_only_the_owner_managers_and_admins_change_a_follow_up(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow admin managers add <@maria>")
    await h.cmd("bob", "/wow followup Acme tomorrow")
    for command in ("cancel 1", "move 1 friday", "note 1: mine now", "done 1"):
        assert "someone else's" in await h.cmd("carol", f"/wow followup {command}")
    f = await followup(h, 1)
    assert (f.status, f.note, f.due_at) == (
        FollowUpStatus.OPEN,
        None,
        dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC),
    )
    assert "Moved follow-up #1" in await h.cmd("maria", "/wow followup move 1 friday")
    assert "Cancelled follow-up #1" in await h.cmd("alice", "/wow followup cancel 1")


async def test_a_customer_named_like_a_subcommand_is_quoted(harness: Harness) -> None:
    h = harness
    assert "Follow-up #1 with Done Deal Ltd" in await h.cmd(
        "bob", '/wow followup "Done Deal Ltd" tomorrow'
    )
    assert "Give the follow-up's number after done" in await h.cmd(
        "bob", "/wow followup done deal tomorrow"
    )
