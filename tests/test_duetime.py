"""Due times in natural language, in the owner's zone; stored UTC; DST-proof."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.duetime import resolve_due, split_customer_and_when
from bot.core.errors import UsageError
from bot.core.parsing import parse

HEL = "Europe/Helsinki"
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)  # Mon 23 Nov, 14:00 in Helsinki


def local(moment: dt.datetime, tz: str = HEL) -> dt.datetime:
    return moment.astimezone(ZoneInfo(tz))


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("in 2 weeks", dt.datetime(2026, 12, 7, 9, 0)),  # a day without a time: 09:00
        ("tomorrow 10am", dt.datetime(2026, 11, 24, 10, 0)),
        ("friday", dt.datetime(2026, 11, 27, 9, 0)),
        ("next friday", dt.datetime(2026, 12, 4, 9, 0)),  # the Friday of next week
        ("on 2026-12-01", dt.datetime(2026, 12, 1, 9, 0)),
        ("in 3 days", dt.datetime(2026, 11, 26, 9, 0)),
        ("in 2 hours", dt.datetime(2026, 11, 23, 16, 0)),  # an hour count keeps the time
        ("tomorrow at 16:30", dt.datetime(2026, 11, 24, 16, 30)),
    ],
)
def test_due_times_read_in_the_owners_zone(when: str, expected: dt.datetime) -> None:
    due = resolve_due(when, NOW, HEL)
    assert due.tzinfo == dt.UTC
    assert local(due).replace(tzinfo=None) == expected


def test_the_same_words_mean_other_instants_in_other_zones() -> None:
    helsinki = resolve_due("tomorrow 10am", NOW, HEL)
    new_york = resolve_due("tomorrow 10am", NOW, "America/New_York")
    assert new_york - helsinki == dt.timedelta(hours=7)


@pytest.mark.parametrize("when", ["yesterday", "2 weeks ago", "on 2026-11-01"])
def test_a_past_time_is_refused(when: str) -> None:
    with pytest.raises(UsageError, match="in the past"):
        resolve_due(when, NOW, HEL)


@pytest.mark.parametrize("when", ["in 2 years", "on 2028-01-01"])
def test_a_time_beyond_a_year_is_refused(when: str) -> None:
    with pytest.raises(UsageError, match="more than a year away"):
        resolve_due(when, NOW, HEL)


def test_unreadable_time_is_refused_with_examples() -> None:
    with pytest.raises(UsageError, match=r"couldn't read .blursday.*in 3 days"):
        resolve_due("blursday", NOW, HEL)


@pytest.mark.parametrize(
    ("text", "customer", "when", "note"),
    [
        (
            "followup Acme Dental in 2 weeks: ask how the new call flow works",
            "Acme Dental",
            "in 2 weeks",
            "ask how the new call flow works",
        ),
        ('followup "Dr. Lee\'s office" tomorrow 10am', "Dr. Lee's office", "tomorrow 10am", None),
        ("followup Acme on 2026-12-01", "Acme", "on 2026-12-01", None),
        (
            "followup Acme Dental tomorrow 10:00: check the 10:30 slot",
            "Acme Dental",
            "tomorrow 10:00",
            "check the 10:30 slot",
        ),
        ('followup "In 2 weeks Ltd" next friday', "In 2 weeks Ltd", "next friday", None),
    ],
)
def test_followup_grammar_splits_customer_when_and_note(
    text: str, customer: str, when: str, note: str | None
) -> None:
    command = parse(text)
    assert (command.customer, command.when, command.note) == (customer, when, note)


def test_customer_without_a_time_has_no_when() -> None:
    assert split_customer_and_when("Acme Dental") == ("Acme Dental", "")


def test_a_nine_oclock_follow_up_across_the_dst_change_is_still_at_nine() -> None:
    # Helsinki leaves summer time on Sun 25 Oct 2026: UTC+3 → UTC+2.
    before = dt.datetime(2026, 10, 20, 6, 0, tzinfo=dt.UTC)  # Tue 20 Oct 09:00 (UTC+3)
    due = resolve_due("on 2026-10-27 9am", before, HEL)
    assert local(due).hour == 9
    assert due == dt.datetime(2026, 10, 27, 7, 0, tzinfo=dt.UTC)  # 09:00 at UTC+2
    spring = dt.datetime(2027, 3, 20, 7, 0, tzinfo=dt.UTC)  # into summer time on 28 Mar
    due = resolve_due("on 2027-03-30 9am", spring, HEL)
    assert (local(due).hour, due.hour) == (9, 6)
