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
