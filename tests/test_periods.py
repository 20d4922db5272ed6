"""Leaderboard and stats periods are calendar periods in the viewer's zone, with the dates
shown (SPEC §3): on a Monday "this week" holds no Friday; on 2 January "this year" holds no
November."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.zones import calendar_period, dates_shown
from tests.conftest import Harness

HEL = "Europe/Helsinki"


@pytest.mark.parametrize(
    ("period", "moment", "first", "last"),
    [
        ("week", dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC), "2026-11-23", "2026-11-29"),
        ("week", dt.datetime(2026, 11, 22, 22, 30, tzinfo=dt.UTC), "2026-11-23", "2026-11-29"),
        ("week", dt.datetime(2026, 12, 31, 12, 0, tzinfo=dt.UTC), "2026-12-28", "2027-01-03"),
        ("month", dt.datetime(2026, 2, 10, 12, 0, tzinfo=dt.UTC), "2026-02-01", "2026-02-28"),
        ("quarter", dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC), "2026-10-01", "2026-12-31"),
        ("quarter", dt.datetime(2026, 3, 31, 21, 30, tzinfo=dt.UTC), "2026-04-01", "2026-06-30"),
        ("year", dt.datetime(2026, 12, 31, 22, 30, tzinfo=dt.UTC), "2027-01-01", "2027-12-31"),
    ],
)
def test_calendar_periods_are_read_in_the_viewers_zone(
    period: str, moment: dt.datetime, first: str, last: str
) -> None:
    # 22:30 UTC (21:30 in summer) is already the next day in Helsinki.
    assert calendar_period(period, moment, HEL) == (
        dt.date.fromisoformat(first),
        dt.date.fromisoformat(last),
    )


def test_dates_are_shown_compactly() -> None:
    assert dates_shown(dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == "1–31 Dec 2026"
    assert dates_shown(dt.date(2026, 11, 23), dt.date(2026, 12, 6)) == "23 Nov – 6 Dec 2026"
    assert dates_shown(dt.date(2026, 12, 28), dt.date(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"


async def test_on_monday_this_week_leaves_out_last_friday(harness: Harness) -> None:
    h = harness
    h.clock.set(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC))  # Friday
    await h.cmd("alice", "/wow hero <@bob> calmed an angry caller")
    h.clock.set(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC))  # Monday 09:00 Helsinki
    await h.cmd("alice", "/wow hero <@carol> fixed the queue")
    week = await h.read("dave", "/wow leaderboard week")
    assert week == "Leaderboard this week (23–29 Nov 2026)\n1. Carol: 1"
    month = await h.read("dave", "/wow leaderboard month")
    assert month.startswith("Leaderboard this month (1–30 Nov 2026)")
    assert "Bob: 1" in month and "Carol: 1" in month


async def test_on_the_second_of_january_this_year_is_two_days_long(harness: Harness) -> None:
    h = harness
    h.clock.set(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    await h.cmd("alice", "/wow hero <@bob> stayed late")
    h.clock.set(dt.datetime(2027, 1, 2, 10, 0, tzinfo=dt.UTC))
    await h.cmd("alice", "/wow hero <@bob> came in early")
    stats = await h.read("bob", "/wow stats year")
    assert "Stats for Bob this year (1 Jan – 31 Dec 2027)" in stats
    assert "Received: 1" in stats
    assert "Received: 2" in await h.read("bob", "/wow stats")
    year = await h.read("dave", "/wow leaderboard year")
    assert year == "Leaderboard this year (1 Jan – 31 Dec 2027)\n1. Bob: 1"
