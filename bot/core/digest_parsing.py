"""The `/wow digest …` grammar."""

from __future__ import annotations

import datetime as dt
import re

from bot.core import commands as c
from bot.core.duetime import looks_like_when
from bot.core.errors import UsageError
from bot.core.texts import grammar as tx
from bot.core.texts import not_a_day
from bot.core.texts import write_it_like as wil
from bot.core.tokens import C_OPEN, parse_channel
from bot.core.zones import check_zone

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_time_of_day(word: str) -> dt.time:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", word.lower())
    if match:
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if half:
            hour = hour % 12 + (12 if half == "pm" else 0) if 1 <= hour <= 12 else 99
        elif match.group(2) is None:
            hour = 99
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise UsageError(wil(tx.not_a_time_of_day(word), "digest"))


def parse_days(word: str) -> frozenset[int] | None:
    word = word.lower()
    if word in ("weekdays", "daily", "weekends"):
        return {
            "weekdays": frozenset(range(5)),
            "daily": frozenset(range(7)),
            "weekends": frozenset((5, 6)),
        }[word]
    names = word.split(",")
    if all(n[:3] in DAY_NAMES and len(n) >= 3 for n in names):
        return frozenset(DAY_NAMES.index(n[:3]) for n in names)
    return None


def parse_digest(rest: str) -> c.Command:
    words = rest.split()
    sub = words[0].lower() if words else ""
    args = words[1:]
    simple: dict[str, type[c.DigestPreview | c.DigestNow | c.DigestStatus]] = {
        "preview": c.DigestPreview,
        "now": c.DigestNow,
        "status": c.DigestStatus,
    }
    if sub in simple and not args:
        return simple[sub]()
    if sub == "unsubscribe" and len(args) <= 1:
        return c.DigestUnsubscribe(parse_channel(args[0], "digest") if args else None)
    if sub == "skip" and args:
        channel = None
        if len(args) > 1 and (args[-1].startswith(("#", C_OPEN))):
            channel = parse_channel(args.pop(), "digest")
        day = " ".join(args)
        if not looks_like_when(day):
            raise UsageError(wil(not_a_day(day), "digest"))
        return c.DigestSkip(day, channel)
    if sub == "subscribe":
        return _subscribe(args)
    problem = tx.not_a_subcommand(sub, "digest") if sub else tx.DIGEST_WHAT
    raise UsageError(wil(problem, "digest"))


def _subscribe(args: list[str]) -> c.Command:
    channel = None
    if args and args[0].lower() != "at":
        channel = parse_channel(args.pop(0), "digest")
    if len(args) < 2 or args[0].lower() != "at":
        raise UsageError(wil(tx.DIGEST_WHEN, "digest"))
    at = parse_time_of_day(args[1])
    tz = days = None
    for word in args[2:]:
        parsed = parse_days(word)
        if parsed is not None and days is None:
            days = parsed
        elif "/" in word or word.upper() == "UTC":
            tz = check_zone(word)
        else:
            raise UsageError(wil(tx.neither_zone_nor_days(word), "digest"))
    return c.DigestSubscribe(at, channel, tz, days)
