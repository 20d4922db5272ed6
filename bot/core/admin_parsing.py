"""The `/wow admin …` grammar."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from bot.core import commands as c
from bot.core.errors import UsageError
from bot.core.guards import bounded, one_line
from bot.core.kpi import PRESETS
from bot.core.money import read_money
from bot.core.texts import WRITE_IT_LIKE, clip, write_it_like
from bot.core.tokens import (
    KEY,
    leading_mentions,
    parse_channel,
    parse_number,
    plain,
)


def _fail(problem: str) -> UsageError:
    return UsageError(write_it_like(problem, "admin"))


def parse_admin(rest: str) -> c.Command:
    area, _, args = rest.partition(" ")
    area, args = area.lower(), args.strip()
    parser = AREAS.get(area)
    if parser is None:
        problem = f'"{clip(area)}" is not an admin command.' if area else "Say what to administer."
        raise _fail(problem)
    try:
        return parser(args)
    except UsageError as mistake:  # only the usage of the admin command that was meant
        problem, _, shown = str(mistake).partition(WRITE_IT_LIKE)
        if not shown:
            raise
        raise UsageError(write_it_like(problem, f"admin {area}")) from None


def _roles(role: str):
    def parse(args: str) -> c.Command:
        if not args and role == "manager":
            return c.ListRoles()
        op, _, rest = args.partition(" ")
        if op.lower() not in ("add", "remove"):
            raise _fail(f"Say add or remove, then mention the people ({role}s).")
        ids, left = leading_mentions(rest)
        if not ids or left:
            raise _fail(f"Mention the people to {op.lower()} as {role}s, e.g. @maria.")
        return c.SetRole(role, op.lower() == "add", ids)

    return parse


def _channel(args: str) -> c.Command:
    words = args.split()
    if not words or words[0].lower() not in ("wall", "gifts") or len(words) > 2:
        raise _fail("Say which channel (wall or gifts), then optionally #channel.")
    channel = parse_channel(words[1], "admin") if len(words) == 2 else None
    return c.SetChannel(words[0].lower(), channel)


def _values(args: str) -> c.Command:
    op, _, name = plain(args).partition(" ")
    name = name.strip()
    if op.lower() not in ("add", "remove") or not name:
        raise _fail("Say add or remove, then the value's name.")
    if op.lower() == "remove":
        return c.RemoveValue(name.lstrip("#"))
    slug = None
    match = re.search(r"\s#([\w\-]+)$", name)
    if match:
        name, slug = name[: match.start()].strip(), bounded("slug", match.group(1).lower())
    return c.AddValue(bounded("value name", name), slug)


def _budget(args: str) -> c.Command:
    if not args.strip():
        raise _fail("Give the monthly budget as an amount and a currency code.")
    amount, currency = read_money(args, "admin")
    if currency is None:
        raise _fail(f"Say which currency: {args.strip()} EUR, {args.strip()} USD, …")
    return c.SetBudget(amount, currency)


def _duration(unit: str, low: int, high: int) -> Callable[[str], int]:
    def parse(args: str) -> int:
        match = re.fullmatch(rf"(\d{{1,6}})\s*{unit}", args.strip().lower())
        if not match or not low <= int(match.group(1)) <= high:
            raise _fail(
                f"Give a whole number of {'hours' if unit == 'h' else 'days'} "
                f"from {low} to {high}, like {low * 2}{unit}."
            )
        return int(match.group(1))

    return parse


SOURCES = ("manual", "push", "http")


def _options(words: list[str], allowed: tuple[str, ...]) -> dict[str, str]:
    options: dict[str, str] = {}
    for word in words:
        name, eq, value = word.partition("=")
        if not eq or name not in allowed:
            raise _fail(f'"{clip(word)}" is not one of {", ".join(a + "=" for a in allowed)}.')
        options[name] = value
    return options


def _words(rest: str) -> list[str]:
    try:
        return shlex.split(rest)
    except ValueError:
        raise _fail("Close the quotes.") from None


def _kpi(args: str) -> c.Command:
    op, _, rest = plain(args).partition(" ")
    op, rest = op.lower(), rest.strip()
    if op == "remove" and KEY.match(rest.lower()):
        return c.RemoveKpi(rest.lower())
    if op == "enable":
        if rest.lower() not in PRESETS:
            raise _fail(
                f'"{clip(rest)}" is not a ready-made KPI; enable one of {", ".join(PRESETS)}.'
            )
        return c.EnableKpiPreset(rest.lower())
    if op == "source":
        return _kpi_source(_words(rest))
    if op != "define":
        raise _fail("Say kpi define, kpi source, kpi enable or kpi remove.")
    words = _words(rest)
    if len(words) < 2 or not KEY.match(words[0]):
        raise _fail("Start with a key of lowercase letters, digits and _ (e.g. csat).")
    options = _options(words[2:], ("unit", "target", "better", "near", "source", "min", "max"))
    better = options.get("better", "higher").lower()
    if better not in ("higher", "lower"):
        raise _fail('better= takes "higher" or "lower".')
    source = options.get("source", "manual").lower()
    if source not in SOURCES:
        raise _fail('source= takes "manual", "push" or "http".')
    numbers = {
        name: parse_number(options[name], what, "admin", unit=options.get("unit", ""))
        for name, what in (
            ("target", "target"),
            ("near", "near band"),
            ("min", "min"),
            ("max", "max"),
        )
        if name in options
    }
    if numbers.get("near", 0) < 0:
        raise _fail("near= is a distance from the target, so it can't be negative.")
    low, high = numbers.get("min"), numbers.get("max")
    if low is not None and high is not None and low >= high:
        raise _fail(f"min= must be below max= ({options['min']} is not below {options['max']}).")
    target = numbers.get("target")
    if target is not None and not (low if low is not None else target) <= target <= (
        high if high is not None else target
    ):
        raise _fail(f"The target {options['target']} is outside min= … max=.")
    return c.DefineKpi(
        words[0],
        bounded("label", one_line(words[1])),
        bounded("unit", one_line(options.get("unit", ""))),
        target,
        better,
        numbers.get("near"),
        source,
        low,
        high,
    )


def _kpi_source(words: list[str]) -> c.Command:
    if len(words) < 2 or not KEY.match(words[0]) or words[1].lower() not in SOURCES:
        raise _fail("Give the KPI's key and its source: manual, push, or http <url>.")
    key, kind = words[0], words[1].lower()
    if kind != "http":
        if len(words) > 2:
            raise _fail(f"A {kind} source takes nothing more.")
        return c.SetKpiSource(key, kind)
    if len(words) < 3 or not re.match(r"^https?://[^\s/]+", words[2]):
        raise _fail("Give the URL to poll, starting with http:// or https://.")
    options = _options(words[3:], ("pointer", "every", "auth"))
    pointer = bounded("pointer", options.get("pointer", ""))
    if pointer and not pointer.startswith("/"):
        raise _fail("pointer= is a JSON pointer and starts with /, e.g. pointer=/data/value.")
    every = _every(options.get("every", "15m"))
    auth = bounded("auth header", options.get("auth", "")) or None
    return c.SetKpiSource(key, "http", bounded("URL", words[2]), pointer, every, auth)


def _every(text: str) -> int:
    match = re.fullmatch(r"(\d{1,5})([mh])", text.lower())
    minutes = int(match.group(1)) * (60 if match.group(2) == "h" else 1) if match else 0
    if not 1 <= minutes <= 1440:
        raise _fail(
            f'every= takes minutes or hours from 1m to 24h, like every=15m, not "{clip(text)}".'
        )
    return minutes


def _apikey(args: str) -> c.Command:
    op, _, label = args.partition(" ")
    op, label = op.lower(), label.strip().lower()
    if op == "list" and not label:
        return c.ListApiKeys()
    if op in ("create", "revoke"):
        label = label or "default"
        if not re.fullmatch(r"[a-z0-9_\-]{1,40}", label):
            raise _fail("An API key's label is up to 40 letters, digits, - or _.")
        return c.CreateApiKey(label) if op == "create" else c.RevokeApiKey(label)
    raise _fail("Say apikey create [label], apikey revoke [label] or apikey list.")


AREAS = {
    "managers": _roles("manager"),
    "admins": _roles("admin"),
    "channel": _channel,
    "values": _values,
    "budget": _budget,
    "sla": lambda a: c.SetSla(_duration("h", 1, 720)(a)),
    "followup-after-gift": lambda a: c.SetFollowUpAfterGift(_duration("d", 1, 365)(a)),
    "kpi": _kpi,
    "apikey": _apikey,
}
