"""The `/wow admin …` grammar."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core import commands as c
from bot.core.errors import UsageError
from bot.core.guards import bounded, one_line
from bot.core.kpi import PRESETS
from bot.core.money import read_money
from bot.core.option_words import every as _every
from bot.core.option_words import fail as _fail
from bot.core.option_words import options as _options
from bot.core.option_words import words as _words
from bot.core.source_parsing import parse_feedback_admin
from bot.core.texts import WRITE_IT_LIKE, write_it_like
from bot.core.texts import grammar as tx
from bot.core.tokens import (
    KEY,
    leading_mentions,
    parse_channel,
    parse_number,
    plain,
)


def parse_admin(rest: str) -> c.Command:
    area, _, args = rest.partition(" ")
    area, args = area.lower(), args.strip()
    parser = AREAS.get(area)
    if parser is None:
        problem = tx.not_an_admin_command(area) if area else tx.ADMIN_WHAT
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
            raise _fail(tx.roles_how(role))
        ids, left = leading_mentions(rest)
        if not ids or left:
            raise _fail(tx.mention_people(op.lower(), role))
        return c.SetRole(role, op.lower() == "add", ids)

    return parse


def _channel(args: str) -> c.Command:
    words = args.split()
    if not words or words[0].lower() not in ("wall", "gifts", "recovery") or len(words) > 2:
        raise _fail(tx.CHANNEL_WHICH)
    channel = parse_channel(words[1], "admin") if len(words) == 2 else None
    return c.SetChannel(words[0].lower(), channel)


def _values(args: str) -> c.Command:
    op, _, name = plain(args).partition(" ")
    name = name.strip()
    if op.lower() not in ("add", "remove") or not name:
        raise _fail(tx.VALUES_HOW)
    if op.lower() == "remove":
        return c.RemoveValue(name.lstrip("#"))
    slug = None
    match = re.search(r"\s#([\w\-]+)$", name)
    if match:
        name, slug = name[: match.start()].strip(), bounded("slug", match.group(1).lower())
    return c.AddValue(bounded("value name", name), slug)


def _budget(args: str) -> c.Command:
    if not args.strip():
        raise _fail(tx.BUDGET_HOW)
    amount, currency = read_money(args, "admin")
    if currency is None:
        raise _fail(tx.which_currency(args.strip()))
    return c.SetBudget(amount, currency)


def _duration(unit: str, low: int, high: int) -> Callable[[str], int]:
    def parse(args: str) -> int:
        match = re.fullmatch(rf"(\d{{1,6}})\s*{unit}", args.strip().lower())
        if not match or not low <= int(match.group(1)) <= high:
            raise _fail(tx.whole_number_of(unit, low, high))
        return int(match.group(1))

    return parse


SOURCES = ("manual", "push", "http")


def _kpi(args: str) -> c.Command:
    op, _, rest = plain(args).partition(" ")
    op, rest = op.lower(), rest.strip()
    if op == "remove" and KEY.match(rest.lower()):
        return c.RemoveKpi(rest.lower())
    if op == "enable":
        if rest.lower() not in PRESETS:
            raise _fail(tx.not_a_preset(rest, list(PRESETS)))
        return c.EnableKpiPreset(rest.lower())
    if op == "source":
        return _kpi_source(_words(rest))
    if op != "define":
        raise _fail(tx.KPI_ADMIN_HOW)
    words = _words(rest)
    if len(words) < 2 or not KEY.match(words[0]):
        raise _fail(tx.KPI_KEY)
    options = _options(words[2:], ("unit", "target", "better", "near", "source", "min", "max"))
    better = options.get("better", "higher").lower()
    if better not in ("higher", "lower"):
        raise _fail(tx.BETTER_HOW)
    source = options.get("source", "manual").lower()
    if source not in SOURCES:
        raise _fail(tx.SOURCE_HOW)
    numbers = {
        name: parse_number(options[name], what, "admin", unit=options.get("unit", ""))
        for name, what in (
            ("target", "target"),
            ("near", tx.NEAR_BAND),
            ("min", "min"),
            ("max", "max"),
        )
        if name in options
    }
    if numbers.get("near", 0) < 0:
        raise _fail(tx.NEAR_NEGATIVE)
    low, high = numbers.get("min"), numbers.get("max")
    if low is not None and high is not None and low >= high:
        raise _fail(tx.min_not_below_max(options["min"], options["max"]))
    target = numbers.get("target")
    if target is not None and not (low if low is not None else target) <= target <= (
        high if high is not None else target
    ):
        raise _fail(tx.target_outside(options["target"]))
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
        raise _fail(tx.KPI_SOURCE_HOW)
    key, kind = words[0], words[1].lower()
    if kind != "http":
        if len(words) > 2:
            raise _fail(tx.source_takes_nothing(kind))
        return c.SetKpiSource(key, kind)
    if len(words) < 3 or not re.match(r"^https?://[^\s/]+", words[2]):
        raise _fail(tx.URL_HOW)
    options = _options(words[3:], ("pointer", "every", "auth"))
    pointer = bounded("pointer", options.get("pointer", ""))
    if pointer and not pointer.startswith("/"):
        raise _fail(tx.POINTER_HOW)
    every = _every(options.get("every", "15m"))
    auth = bounded("auth header", options.get("auth", "")) or None
    return c.SetKpiSource(key, "http", bounded("URL", words[2]), pointer, every, auth)


def _apikey(args: str) -> c.Command:
    op, _, label = args.partition(" ")
    op, label = op.lower(), label.strip().lower()
    if op == "list" and not label:
        return c.ListApiKeys()
    if op in ("create", "revoke"):
        label = label or "default"
        if not re.fullmatch(r"[a-z0-9_\-]{1,40}", label):
            raise _fail(tx.APIKEY_LABEL)
        return c.CreateApiKey(label) if op == "create" else c.RevokeApiKey(label)
    raise _fail(tx.APIKEY_HOW)


def _sla(args: str) -> c.Command:
    first, _, rest = args.partition(" ")
    if first.lower() != "recovery":
        return c.SetSla(_duration("h", 1, 720)(args))
    match = re.fullmatch(r"(\d{1,5})\s*([mh])", rest.strip().lower())
    minutes = int(match.group(1)) * (60 if match.group(2) == "h" else 1) if match else 0
    if not 15 <= minutes <= 7 * 24 * 60:
        raise _fail(tx.RECOVERY_SLA_HOW)
    return c.SetRecoverySla(minutes)


def _agent(args: str) -> c.Command:
    ids, left = leading_mentions(args)
    left = plain(left).strip()
    if not ids and not left:
        return c.ListAgents()
    if not ids and left.lower().startswith("forget "):
        ref = left[7:].strip()
        if ref:
            return c.ForgetAgent(bounded("agent", ref))
    if len(ids) != 1:
        raise _fail(tx.AGENT_HOW)
    if not left:
        return c.ListAgents(ids[0])
    if len(left.split()) > 1:
        raise _fail(tx.AGENT_ONE_NAME)
    return c.SetAgent(ids[0], bounded("agent", left))


AREAS = {
    "managers": _roles("manager"),
    "admins": _roles("admin"),
    "channel": _channel,
    "values": _values,
    "budget": _budget,
    "sla": _sla,
    "followup-after-gift": lambda a: c.SetFollowUpAfterGift(_duration("d", 1, 365)(a)),
    "followup-after-recovery": lambda a: c.SetFollowUpAfterRecovery(_duration("d", 1, 365)(a)),
    "agent": _agent,
    "feedback": parse_feedback_admin,
    "kpi": _kpi,
    "apikey": _apikey,
}
