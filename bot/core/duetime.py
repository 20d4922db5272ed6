"""Due times in natural language ("in 2 weeks", "tomorrow 10am", "next friday",
"on 2026-12-01"), read with dateparser in the owner's zone and stored in UTC."""

from __future__ import annotations

import datetime as dt
import re

import dateparser
from dateparser.date import DateDataParser

from bot.core.errors import UsageError
from bot.core.texts import DUE_PAST, DUE_TOO_FAR, DUE_UNREADABLE, clip
from bot.core.zones import at_local, local, shown

DEFAULT_TIME = dt.time(9, 0)  # a date without a time means the start of the working day
_ON = re.compile(r"^(on|at|by)\s+", re.IGNORECASE)
_SETTINGS = {"PREFER_DATES_FROM": "future", "RETURN_TIME_AS_PERIOD": True}


# The longest phrase read as a time ("next friday at 10:30 am", "on 1 December 2026 at
# 9am"): the customer is what comes before it, so at most this many readings per command.
WHEN_WORDS, WHEN_CHARS = 8, 60


def _parse(text: str, base: dt.datetime | None = None) -> tuple[dt.datetime, str] | None:
    text = _ON.sub("", text.strip())
    if not text or len(text) > WHEN_CHARS or not re.search(r"[A-Za-z0-9]", text):
        return None
    settings = dict(_SETTINGS)
    if base is not None:
        settings["RELATIVE_BASE"] = base
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj, data.period or "day"


def is_when(text: str) -> bool:
    return _parse(text) is not None


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
        if is_when(rest):
            return " ".join(words[:i]), rest
    return head, ""


def resolve_due(when: str, now: dt.datetime, tz: str) -> dt.datetime:
    """The UTC instant meant by `when`, read in zone `tz`; future and within a year."""
    base = local(now, tz).replace(tzinfo=None)
    parsed = _parse(when, base)
    if parsed is None:
        raise UsageError(DUE_UNREADABLE.format(when=clip(when)))
    moment, period = parsed
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    else:
        time = moment.time()
        if period != "time" and time == dt.time(0):
            time = DEFAULT_TIME
        moment = at_local(moment.date(), time, tz)
    if moment <= now:
        raise UsageError(DUE_PAST.format(when=when, shown=shown(moment, tz)))
    if moment > now + dt.timedelta(days=366):
        raise UsageError(DUE_TOO_FAR.format(when=when, shown=shown(moment, tz)))
    return moment


__all__ = ["dateparser", "is_when", "resolve_due", "split_customer_and_when"]
