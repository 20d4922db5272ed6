"""Tokens shared by the grammars: mentions, channels, numbers, dates, keys."""

from __future__ import annotations

import datetime as dt
import re

from bot.core.errors import UsageError
from bot.core.texts import write_it_like as wil

MENTION = re.compile(r"<@([^>|\s]+)(?:\|[^>]*)?>")
CHANNEL = re.compile(r"^(?:<#([^>|\s]+)(?:\|[^>]*)?>|#([\w.\-]+))$")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def leading_mentions(rest: str) -> tuple[tuple[str, ...], str]:
    ids: list[str] = []
    while True:
        rest = rest.lstrip()
        match = MENTION.match(rest)
        if not match:
            return tuple(dict.fromkeys(ids)), rest
        ids.append(match.group(1))
        rest = rest[match.end() :]


def parse_date(word: str, command: str) -> dt.date:
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise UsageError(wil(f'"{word}" is not a date; write it as YYYY-MM-DD.', command)) from None


def parse_number(word: str, what: str, command: str) -> float:
    try:
        value = float(word.replace(",", "."))
    except ValueError:
        raise UsageError(wil(f'The {what} "{word}" is not a number.', command)) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise UsageError(wil(f'The {what} "{word}" is not a number.', command))
    return value


def parse_channel(word: str, command: str) -> str:
    match = CHANNEL.match(word)
    if not match:
        raise UsageError(wil(f'"{word}" is not a channel; write it as #channel.', command))
    return match.group(1) or match.group(2)
