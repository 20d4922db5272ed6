"""IANA time zones and local-time arithmetic that survives daylight-saving changes."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.errors import UsageError
from bot.core.texts import UNKNOWN_ZONE


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def check_zone(name: str) -> str:
    """Return the canonical spelling of an IANA zone, or raise a UsageError."""
    canonical = _canonical().get(name.lower())
    if canonical is None:
        raise UsageError(UNKNOWN_ZONE.format(zone=name))
    return canonical


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(moment: dt.datetime, tz: str) -> dt.datetime:
    return moment.astimezone(zone(tz))


def at_local(day: dt.date, time: dt.time, tz: str) -> dt.datetime:
    """The UTC instant of a wall-clock time on a local date (DST gaps move forward)."""
    naive = dt.datetime.combine(day, time)
    aware = naive.replace(tzinfo=zone(tz))
    # Round-trip through UTC normalises a time that falls in a spring-forward gap.
    return aware.astimezone(dt.UTC)


def shown(moment: dt.datetime, tz: str) -> str:
    """How a time is shown to a person: in their zone, with the zone named."""
    t = local(moment, tz)
    return f"{t:%a} {t.day} {t:%b %Y} {t:%H:%M} ({tz})"


def shown_short(moment: dt.datetime, tz: str) -> str:
    return f"{local(moment, tz):%H:%M}"


def day_bounds(day: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants where a local date starts and ends."""
    return at_local(day, dt.time(0), tz), at_local(day + dt.timedelta(days=1), dt.time(0), tz)


def month_bounds(moment: dt.datetime, tz: str) -> tuple[dt.datetime, dt.datetime]:
    t = local(moment, tz)
    start = dt.date(t.year, t.month, 1)
    end = dt.date(t.year + (t.month == 12), t.month % 12 + 1, 1)
    return at_local(start, dt.time(0), tz), at_local(end, dt.time(0), tz)


PERIODS = ("week", "month", "quarter", "year")


def calendar_period(period: str, moment: dt.datetime, tz: str) -> tuple[dt.date, dt.date]:
    """The first and last local dates of the calendar week (from Monday), month, quarter or
    year that holds `moment` in zone `tz`."""
    today = local(moment, tz).date()
    if period == "week":
        start = today - dt.timedelta(days=today.weekday())
        return start, start + dt.timedelta(days=6)
    if period == "year":
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    first = today.month if period == "month" else (today.month - 1) // 3 * 3 + 1
    months = 1 if period == "month" else 3
    after = dt.date(today.year + (first + months > 12), (first + months - 1) % 12 + 1, 1)
    return dt.date(today.year, first, 1), after - dt.timedelta(days=1)


def dates_shown(start: dt.date, end: dt.date) -> str:
    """`1–31 Dec 2026`, `23 Nov – 29 Nov 2026`, `28 Dec 2026 – 3 Jan 2027`."""
    if start.year != end.year:
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day}–{end.day} {end:%b %Y}"
