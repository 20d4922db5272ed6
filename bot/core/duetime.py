"""Due times as people write them (SPEC §3 "How input is read"), read in the owner's zone
and stored in UTC.

The grammar is ours because the contract is: a day without a time is 09:00; "friday" is
the coming Friday and "next friday" the Friday of next week; numeric dates are ISO or day
first with dots; a date that does not exist is refused as not a date, and a phrase with a
word the grammar does not know is not a time at all (so "Acme 2000 in 2 days" keeps its
2000). dateparser, used before, differed from this in each of those (it kept the time of
day, read `1.12.2026` month first, `2026-13-01` as 13 January, skipped unknown words).
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from dataclasses import dataclass

from bot.core.errors import UsageError
from bot.core.texts import (
    DUE_FORMS,
    DUE_PAST,
    DUE_TOO_FAR,
    clip,
    due_unreadable,
    not_a_date,
    not_a_time,
)
from bot.core.texts import grammar as tx
from bot.core.zones import at_local, local, shown

DEFAULT_TIME = dt.time(9, 0)  # a date without a time means the start of the working day
TONIGHT = dt.time(20, 0)
# The longest phrase read as a time ("the day after tomorrow at 10:30 am"): the customer is
# what comes before it, so at most this many readings per command.
WHEN_WORDS, WHEN_CHARS = 8, 60

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)} | {
    name.lower(): i for i, name in enumerate(calendar.day_abbr)
}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}
MONTHS["sept"] = 9
UNITS = {"minute": "minutes", "min": "minutes", "hour": "hours", "hr": "hours", "day": "days"}
UNITS |= {"week": "weeks", "wk": "weeks", "month": "months", "year": "years"}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
NUMBERS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
# Words a time phrase may start with; anything else before them belongs to the customer.
STARTS = {"today", "tonight", "tomorrow", "yesterday", "next", "this", "in", "end", "eom", "eow"}
STARTS |= {"noon", "midnight", "the", "day"} | set(WEEKDAYS) | set(MONTHS)
VOCABULARY = sorted(STARTS | set(UNITS) | {u + "s" for u in UNITS} | {"of", "after", "ago"})

_LEAD = re.compile(r"^(?:on|at|by)\s+")
_TIME = re.compile(
    r"(?:^|\s+)(?:at\s+|@\s*)?(?:(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)"
    r"|(?P<h24>\d{1,2}):(?P<m24>\d\d)|(?P<word>noon|midday|midnight))$"
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?$")
_SLASHES = re.compile(r"^\d{1,2}/\d{1,2}(?:/\d{2,4})?$")
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAY_MONTH = re.compile(rf"^(?:the\s+)?{_ORD}\s+(?:of\s+)?([a-z]+)\.?(?:,?\s+(\d{{4}}))?$")
_MONTH_DAY = re.compile(rf"^([a-z]+)\.?\s+(?:the\s+)?{_ORD}(?:,?\s+(\d{{4}}))?$")
_IN = re.compile(r"^in\s+(\d{1,3}|[a-z]+)\s+([a-z]+?)s?$")
_AGO = re.compile(r"^(\d{1,3}|[a-z]+)\s+([a-z]+?)s?\s+ago$")
_NUMERIC_START = re.compile(r"^(?:\d{4}-|\d{1,2}[./]\d|\d{1,2}(?::\d\d)?\s*(?:am|pm)|\d{1,2}:\d\d)")
_DAY_FIRST_START = re.compile(rf"^{_ORD}\s+(?:of\s+)?([a-z]+)")


class NotADate(UsageError):
    """The phrase is shaped like a date, but no such day exists."""


@dataclass(frozen=True)
class Reading:
    """A phrase read: a local day and time, or a span from now ("in 2 hours")."""

    day: dt.date | None = None
    time: dt.time | None = None
    after: dt.timedelta | None = None  # from now, whatever the clocks do meanwhile


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower()).rstrip("!?,;")
    if text.endswith(".") and not text[-2:-1].isdigit():  # "1.12." keeps its dot
        text = text[:-1]
    return _LEAD.sub("", text)


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBERS.get(word)


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _shift(base: dt.datetime, n: int, unit: str) -> Reading:
    if unit in ("minutes", "hours"):
        return Reading(after=dt.timedelta(**{unit: n}))
    if unit in ("days", "weeks"):
        return Reading(day=(base + dt.timedelta(**{unit: n})).date())
    months = n * (12 if unit == "years" else 1)
    return Reading(day=_add_months(base.date(), months))


def _valid(year: int, month: int, day: int, phrase: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NotADate(not_a_date(phrase)) from None


def _next_occurrence(month: int, day: int, base: dt.date, phrase: str) -> dt.date:
    """A day and month without a year: this year's, or next year's once this year's is past."""
    year = base.year + ((month, day) < (base.month, base.day))
    if month == 2 and day == 29 and not calendar.isleap(year):
        raise NotADate(not_a_date(phrase, tx.NO_LEAP_DAY.format(year=year)))
    return _valid(year, month, day, phrase)


def _named_date(text: str, base: dt.date) -> dt.date | None:
    for pattern, day_at, month_at in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        match = pattern.match(text)
        if match and match.group(month_at) in MONTHS:
            month, day = MONTHS[match.group(month_at)], int(match.group(day_at))
            if match.group(3):
                return _valid(int(match.group(3)), month, day, text)
            if not 1 <= day <= 31 or day > calendar.monthrange(2024, month)[1]:
                raise NotADate(not_a_date(text))
            return _next_occurrence(month, day, base, text)
    return None


def _numeric_date(text: str, base: dt.date) -> dt.date | None:
    if match := _ISO.match(text):
        y, m, d = (int(g) for g in match.groups())
        return _valid(y, m, d, text)
    if match := _DOTS.match(text):
        day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
        if year is None:
            if not 1 <= month <= 12:
                raise NotADate(not_a_date(text))
            return _next_occurrence(month, day, base, text)
        return _valid(int(year) + (2000 if len(year) == 2 else 0), month, day, text)
    if _SLASHES.match(text):
        raise NotADate(not_a_date(text, tx.SLASHED_DATE))
    return None


def _relative_day(text: str, base: dt.datetime) -> Reading | None:
    today = base.date()
    monday = today - dt.timedelta(days=today.weekday())
    words = text.removeprefix("this ").split()
    fixed = {
        "today": today,
        "tonight": today,
        "tomorrow": today + dt.timedelta(days=1),
        "yesterday": today - dt.timedelta(days=1),
        "day after tomorrow": today + dt.timedelta(days=2),
        "the day after tomorrow": today + dt.timedelta(days=2),
        "next week": monday + dt.timedelta(weeks=1),
        "next month": _add_months(today.replace(day=1), 1),
        "end of month": _end_of_month(today),
        "end of the month": _end_of_month(today),
        "eom": _end_of_month(today),
        "end of week": _end_of_week(today),
        "end of the week": _end_of_week(today),
        "eow": _end_of_week(today),
    }
    if text in fixed:
        return Reading(day=fixed[text])
    if len(words) == 1 and words[0] in WEEKDAYS:  # the coming one, never today
        ahead = (WEEKDAYS[words[0]] - today.weekday() - 1) % 7 + 1
        return Reading(day=today + dt.timedelta(days=ahead))
    if len(words) == 2 and words[0] == "next" and words[1] in WEEKDAYS:  # next week's
        return Reading(day=monday + dt.timedelta(weeks=1, days=WEEKDAYS[words[1]]))
    for pattern, sign in ((_IN, 1), (_AGO, -1)):
        match = pattern.match(text)
        if match:
            n, unit = _count(match.group(1)), UNITS.get(match.group(2).rstrip("s"))
            if n is None or unit is None:
                return None
            return _shift(base, sign * n, unit)
    return None


def _end_of_month(today: dt.date) -> dt.date:
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


def _end_of_week(today: dt.date) -> dt.date:
    """This week's Friday; at the weekend, next week's."""
    return today + dt.timedelta(days=(4 - today.weekday()) % 7)


def _time_of_day(match: re.Match[str]) -> dt.time | None:
    if match.group("word"):
        return dt.time(0) if match.group("word") == "midnight" else dt.time(12)
    if match.group("h24") is not None:
        hour, minute = int(match.group("h24")), int(match.group("m24"))
        return dt.time(hour, minute) if hour < 24 and minute < 60 else None
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return None
    return dt.time(hour % 12 + (12 if match.group("ap").startswith("p") else 0), minute)


def read(text: str, base: dt.datetime) -> Reading | None:
    """Read a time phrase against `base` (local, naive). None when it is not a time phrase;
    NotADate when it is shaped like a date that does not exist."""
    text = _norm(text)
    if not text or len(text) > WHEN_CHARS or not _starts_like_a_time(text):
        return None
    time = None
    if match := _TIME.search(text):
        time = _time_of_day(match)
        if time is None:
            raise NotADate(not_a_time(match.group(0).strip()))
        text = text[: match.start()].strip()
        if not text:  # a time alone: today's, or tomorrow's once today's has gone
            day = base.date() + dt.timedelta(days=int(time <= base.time()))
            return Reading(day=day, time=time)
    reading = _relative_day(text, base)
    if reading is not None:
        if reading.after is not None and time is not None:
            return None  # "in 2 hours 10am"
        if text == "tonight":
            time = time or TONIGHT
        return Reading(day=reading.day, time=time, after=reading.after)
    named = _numeric_date(text, base.date()) or _named_date(text, base.date())
    return Reading(day=named, time=time) if named is not None else None


def _starts_like_a_time(text: str) -> bool:
    first = text.split()[0]
    if first in STARTS or _NUMERIC_START.match(text):
        return True
    match = _DAY_FIRST_START.match(text)
    return bool(match and match.group(2).rstrip(".") in MONTHS) or bool(_AGO.match(text))


def looks_like_when(text: str) -> bool:
    """Whether a phrase is meant as a time (one that names a day that does not exist is)."""
    try:
        return read(text, dt.datetime(2026, 1, 1)) is not None
    except NotADate:
        return True


def split_customer_and_when(head: str) -> tuple[str, str]:
    """`Acme Dental in 2 weeks` → (`Acme Dental`, `in 2 weeks`); a quoted name is taken whole.

    The customer is the shortest prefix after which the rest reads entirely as a time; only
    the last `WHEN_WORDS` words are tried, so the cost does not grow with the input.
    """
    head = head.strip()
    quoted = re.match(r'^"([^"]*)"\s*(.*)$', head) or re.match(r"^“([^”]*)”\s*(.*)$", head)
    if quoted:
        return quoted.group(1).strip(), quoted.group(2).strip()
    words = head.split()
    for i in range(max(1, len(words) - WHEN_WORDS), len(words)):
        rest = " ".join(words[i:])
        if looks_like_when(rest):
            return " ".join(words[:i]), rest
    return head, ""


def misspelt(text: str) -> tuple[str, str] | None:
    """A typo in a time word and what it most likely meant ("tomorow", "tomorrow")."""
    for word in re.findall(r"[a-z]+", text.lower())[-WHEN_WORDS:]:
        if word in VOCABULARY or len(word) < 3:
            continue
        close = difflib.get_close_matches(word, VOCABULARY, n=1, cutoff=0.75)
        if close:
            return word, close[0]
    return None


def resolve_due(when: str, now: dt.datetime, tz: str) -> dt.datetime:
    """The UTC instant meant by `when`, read in zone `tz`; future and within a year."""
    base = local(now, tz).replace(tzinfo=None)
    reading = read(when, base)
    if reading is None:
        raise UsageError(due_unreadable(clip(when), misspelt(when)))
    if reading.after is not None:
        moment = now + reading.after  # "in 48 hours" across a DST change is 48 hours
    else:
        assert reading.day is not None
        moment = at_local(reading.day, reading.time or DEFAULT_TIME, tz)
    if moment <= now:
        raise UsageError(DUE_PAST.format(when=clip(when), shown=shown(moment, tz)))
    if moment > now + dt.timedelta(days=366):
        raise UsageError(DUE_TOO_FAR.format(when=clip(when), shown=shown(moment, tz)))
    return moment


def resolve_day(when: str, now: dt.datetime, tz: str) -> dt.date:
    """The local date a phrase names in zone `tz` ("tomorrow", "friday", "24 Dec",
    "2026-12-24"), or a UsageError with the accepted forms."""
    reading = read(when, local(now, tz).replace(tzinfo=None))
    if reading is None or reading.day is None:
        raise UsageError(due_unreadable(clip(when), misspelt(when)))
    return reading.day


__all__ = ["DUE_FORMS", "looks_like_when", "resolve_due", "split_customer_and_when"]
