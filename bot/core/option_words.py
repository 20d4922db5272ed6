"""The words of an admin command that takes options: `name=value` pairs, quoted values,
intervals like `every=15m`."""

from __future__ import annotations

import re
import shlex

from bot.core.errors import UsageError
from bot.core.texts import grammar as tx
from bot.core.texts import write_it_like


def fail(problem: str) -> UsageError:
    return UsageError(write_it_like(problem, "admin"))


def options(words: list[str], allowed: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for word in words:
        name, eq, value = word.partition("=")
        if not eq or name not in allowed:
            raise fail(tx.not_one_of(word, [a + "=" for a in allowed]))
        found[name] = value
    return found


# Slack, Teams and phones turn "…" into “…” as people type: they quote all the same
SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"'})


def words(rest: str) -> list[str]:
    try:
        return shlex.split(rest.translate(SMART_QUOTES))
    except ValueError:
        raise fail(tx.CLOSE_QUOTES) from None


def every(text: str) -> int:
    match = re.fullmatch(r"(\d{1,5})([mh])", text.lower())
    minutes = int(match.group(1)) * (60 if match.group(2) == "h" else 1) if match else 0
    if not 1 <= minutes <= 1440:
        raise fail(tx.not_an_interval(text))
    return minutes
