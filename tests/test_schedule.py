"""What falls due with time: reminders and nudges, SLA nudges, digests (local time,
zone, days, skip dates, DST, late and missed)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.handlers import jobs
from bot.handlers.digest_content import build_digest
from tests.conftest import Harness
from tests.fakes import FixedClock

HEL = ZoneInfo("Europe/Helsinki")


def at(*args: int) -> dt.datetime:
    """A Helsinki wall-clock time as UTC."""
    return dt.datetime(*args, tzinfo=HEL).astimezone(dt.UTC)


async def move(h: Harness, moment: dt.datetime) -> None:
    h.clock.set(moment)
    await h.tick()


def dms(h: Harness, user: str) -> list[str]:
    return [s.message.title or "" for s in h.messenger.to("dm", user)]


async def test_a_reminder_comes_at_its_time_and_one_nudge_a_day_later(harness: Harness) -> None:
    h = harness
    await h.cmd("bob", "/wow me tz Europe/Helsinki")
    assert "Mon 30 Nov 2026 10:00" in await h.cmd("bob", "/wow followup Acme on 2026-11-30 10am")
    await move(h, at(2026, 11, 30, 9, 59))
    assert dms(h, "bob") == []
    await move(h, at(2026, 11, 30, 10, 0, 30))
    assert dms(h, "bob") == ["Time to follow up with Acme"]
    await move(h, at(2026, 12, 1, 9, 0))
    assert len(dms(h, "bob")) == 1
    await move(h, at(2026, 12, 1, 10, 1))
    assert dms(h, "bob") == ["Time to follow up with Acme", "Still to do: follow up with Acme"]
    await move(h, at(2026, 12, 9, 10, 0))
    assert len(dms(h, "bob")) == 2  # one nudge, not a nag


async def test_done_stops_the_nudge_and_snooze_brings_the_reminder_back(harness: Harness) -> None:
    h = harness
    await h.cmd("bob", "/wow followup Acme in 2 days")
    await h.cmd("bob", "/wow followup Beta in 2 days")
    await move(h, h.clock.now() + dt.timedelta(days=2, minutes=1))
    assert dms(h, "bob") == ["2 follow-ups to do"]  # due together: one DM
    assert "is done" in await h.click("bob", "followup.done", "1")
    assert "now due" in await h.click("bob", "followup.snooze", "2:1w")
    await move(h, h.clock.now() + dt.timedelta(days=2))
    assert len(dms(h, "bob")) == 1  # no nudge for the done one, none for the snoozed one
    await move(h, h.clock.now() + dt.timedelta(days=5, minutes=1))
    assert dms(h, "bob")[-1] == "Time to follow up with Beta"
    assert "is done already" in await h.click("bob", "followup.done", "1")


async def test_a_nine_oclock_follow_up_fires_at_nine_across_the_dst_change(db_url: str) -> None:
    from tests.conftest import make_harness

    h = await make_harness(db_url, clock=FixedClock(at(2026, 10, 20, 9, 0)))
    try:
        await h.cmd("bob", "/wow me tz Europe/Helsinki")
        await h.cmd("bob", "/wow followup Acme on 2026-10-27 9am")  # after the 25 Oct change
        await move(h, dt.datetime(2026, 10, 27, 6, 0, tzinfo=dt.UTC))  # 09:00 in summer time
        assert dms(h, "bob") == []
        await move(h, dt.datetime(2026, 10, 27, 7, 0, tzinfo=dt.UTC))  # 09:00 in winter time
        assert dms(h, "bob") == ["Time to follow up with Acme"]
    finally:
        await h.app.close()


async def test_an_undecided_gift_gets_one_sla_nudge_in_its_thread(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow admin managers add <@maria>")
    await h.cmd("alice", "/wow admin sla 4h")
    await h.cmd("bob", "/wow gift Acme: pizza $40")
    await move(h, h.clock.now() + dt.timedelta(hours=3, minutes=59))
    assert len(h.messenger.to("thread")) == 1  # only the ask
    await move(h, h.clock.now() + dt.timedelta(minutes=2))
    nudges = [s for s in h.messenger.to("thread") if s.message.text.startswith("Reminder")]
    assert len(nudges) == 1 and nudges[0].message.mentions == ("maria",)
    await move(h, h.clock.now() + dt.timedelta(days=3))
    assert len(h.messenger.to("thread")) == 2


async def test_a_digest_posts_once_at_local_time_on_its_days_skipping_skip_dates(
    harness: Harness,
) -> None:
    h = harness  # Mon 23 Nov 2026, 09:00 Helsinki
    answer = await h.cmd(
        "alice", "/wow digest subscribe #team at 08:30 Europe/Helsinki mon,wed,fri"
    )
    assert "Next: Wed 25 Nov 2026 08:30 (Europe/Helsinki)" in answer
    assert "No digest in #team on Fri 27 Nov 2026" in await h.cmd(
        "alice",
        "/wow digest skip friday #team",  # a day named as people name it
    )
    posted = []
    moment = h.clock.now()
    for _ in range(14 * 24 * 2):  # every half hour for two weeks
        moment += dt.timedelta(minutes=30)
        before = len(h.messenger.to("channel", "team"))
        await move(h, moment)
        if len(h.messenger.to("channel", "team")) > before:
            posted.append(moment.astimezone(HEL))
    assert [(p.strftime("%a %d"), p.hour, p.minute) for p in posted] == [
        ("Wed 25", 8, 30),
        ("Mon 30", 8, 30),
        ("Wed 02", 8, 30),
        ("Fri 04", 8, 30),
        ("Mon 07", 8, 30),
    ]


async def test_digests_due_together_in_one_workspace_and_zone_are_built_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each digest is a few dozen statements over the team's history; twenty channels
    subscribed at 08:30 in one zone read the same one, so it is built once, not twenty times."""
    h = harness
    builds: list[str] = []

    async def counted(uow: Any, ws: Any, tz: str, now: Any, **kw: Any) -> Any:
        builds.append(tz)
        return await build_digest(uow, ws, tz, now, **kw)

    monkeypatch.setattr(jobs, "build_digest", counted)
    await h.cmd("alice", "/wow hero <@bob> kept calm")
    for n in range(20):
        await h.cmd("alice", f"/wow digest subscribe #team{n} at 08:30 Europe/Helsinki daily")
    await h.cmd("alice", "/wow digest subscribe #tokyo at 08:30 Asia/Tokyo daily")
    await move(h, at(2026, 11, 24, 1, 31))  # 08:31 in Tokyo
    await move(h, at(2026, 11, 24, 8, 31))
    assert builds == ["Asia/Tokyo", "Europe/Helsinki"]
    digests = [h.messenger.to("channel", f"team{n}") for n in range(20)]
    assert all(len(d) == 1 for d in digests)
    assert len({d[0].message for d in digests}) == 1  # the same digest in each
    assert "Bob: kept calm (by Alice)" in "\n".join(
        line for s in digests[0][0].message.sections for line in s.lines
    )


async def test_the_digest_keeps_its_local_time_across_the_dst_change(db_url: str) -> None:
    from tests.conftest import make_harness

    h = await make_harness(db_url, clock=FixedClock(at(2026, 10, 23, 12, 0)))
    try:
        await h.cmd("alice", "/wow digest subscribe #team at 08:30 Europe/Helsinki daily")
        posted = []
        moment = h.clock.now()
        while moment < at(2026, 10, 28, 0, 0):
            upcoming = await h.app.jobs.next_moment(moment)
            moment = upcoming
            await move(h, moment)
            posted.append(moment)
        assert [p.strftime("%d %H:%M") for p in posted[:5]] == [
            "24 05:30",
            "25 06:30",
            "26 06:30",
            "27 06:30",
            "28 06:30",
        ]  # UTC: +3, then +2
    finally:
        await h.app.close()


async def test_a_digest_missed_while_down_is_sent_late_within_grace_else_recorded_missed(
    harness: Harness,
) -> None:
    h = harness
    await h.cmd("alice", "/wow digest subscribe #team at 08:30 Europe/Helsinki daily")
    await move(h, at(2026, 11, 24, 13, 0))  # the bot was down from 08:30 to 13:00
    posted = h.messenger.to("channel", "team")
    assert len(posted) == 1 and posted[0].message.text.startswith("(Sent late")
    await move(h, at(2026, 11, 25, 15, 0))  # down from before 08:30 to 15:00: past the grace
    assert len(h.messenger.to("channel", "team")) == 1
    await move(h, at(2026, 11, 26, 8, 30))
    assert len(h.messenger.to("channel", "team")) == 2
    status = await h.app.bot.command(h.who("alice"), "/wow digest status")
    lines = status.message.sections[0].lines
    assert lines[1].startswith("Thu 26 Nov: sent")
    assert lines[2] == "Wed 25 Nov: missed"
    assert lines[3].startswith("Tue 24 Nov: late")
