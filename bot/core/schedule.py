"""When a digest subscription is due: local time, IANA zone, week days, skip dates."""

from __future__ import annotations

import datetime as dt

from bot.core.model import DigestSubscription
from bot.core.texts import digests as tx
from bot.core.zones import at_local, local

DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def occurrence(sub: DigestSubscription, day: dt.date) -> dt.datetime | None:
    """The UTC instant the digest is due on local date `day`, or None if it doesn't run then."""
    if day.weekday() not in sub.days or day in sub.skip_dates:
        return None
    return at_local(day, sub.local_time, sub.tz)


def next_occurrence(sub: DigestSubscription, after: dt.datetime) -> dt.datetime | None:
    day = local(after, sub.tz).date()
    for offset in range(0, 400):
        moment = occurrence(sub, day + dt.timedelta(days=offset))
        if moment is not None and moment > after:
            return moment
    return None


def days_label(days: frozenset[int]) -> str:
    """How a set of week days reads in a sentence: "every day", "on weekdays", "on mon,fri"."""
    if days == frozenset(range(7)):
        return tx.EVERY_DAY
    if days == frozenset(range(5)):
        return tx.ON_WEEKDAYS
    return tx.on_days([DAY_LABELS[d].lower() for d in sorted(days)])
