"""The `/wow` grammar (SPEC §3): text in, a typed command out, or a UsageError that says
what was wrong and how to write it right.

Adapters hand us wire text, Slack's form: typed `&`, `<`, `>` escaped as `&amp;`, `&lt;`,
`&gt;`, and the mentions the platform vouches for as `<@USERID|name>`, channels as
`<#CHANNELID|name>` (Teams and the console translate to it). In the console a plain `#name`
is also a channel wherever a channel is expected.
"""

from __future__ import annotations

import difflib
import re

from bot.core import commands as c
from bot.core.admin_parsing import parse_admin
from bot.core.digest_parsing import parse_digest
from bot.core.duetime import misspelt, split_customer_and_when
from bot.core.errors import UsageError
from bot.core.feedback_parsing import parse_feedback
from bot.core.guards import bounded, one_line, parse_id
from bot.core.limits import COMMAND, LIMITS
from bot.core.model import FOUR_CHECKS
from bot.core.money import COST_TAIL, split_cost
from bot.core.recovery_parsing import parse_recoveries, parse_recovery
from bot.core.texts import (
    USAGE,
    command_too_long,
    no_when,
    too_long,
    unknown_command,
    unknown_help_topic,
)
from bot.core.texts import gifts as gtx
from bot.core.texts import grammar as tx
from bot.core.texts import write_it_like as wil
from bot.core.tokens import (
    SCIENTIFIC,
    from_wire,
    leading_mentions,
    parse_date,
    parse_number,
    plain,
    quoted_head,
)
from bot.core.zones import PERIODS, check_zone


def parse(text: str) -> c.Command:
    """Parse wire text (see `tokens.from_wire`) into a command."""
    return parse_verb(*split_verb(text))


def split_verb(text: str) -> tuple[str, str]:
    """Wire text → (the command's verb, lowercased; the rest in the core's form). Too long
    a command is refused here, before any costly reading."""
    text = from_wire(text).strip()
    if len(text) > COMMAND:
        raise UsageError(command_too_long(len(text)))
    text = re.sub(r"^/?wow\b", "", text, flags=re.IGNORECASE).strip()
    verb, _, rest = re.sub(r"\s", " ", text, count=1).partition(" ")
    return verb.lower(), rest.strip()


def parse_verb(verb: str, rest: str) -> c.Command:
    if not verb:
        return c.Help()
    parser = PARSERS.get(verb)
    if parser is None:
        raise UsageError(unknown_command(verb[:40]))
    return parser(rest)


def _help(rest: str) -> c.Command:
    topic = rest.lower().lstrip("/") or None
    if topic and topic not in USAGE:
        raise UsageError(unknown_help_topic(topic))
    return c.Help(topic)


def _hero(rest: str) -> c.Command:
    if not rest:
        return c.OpenHeroForm()
    nominees, story = leading_mentions(rest)
    if not nominees:
        raise UsageError(wil(tx.NO_NOMINEE, "hero"))
    story = plain(story).strip()
    if not story:
        raise UsageError(wil(tx.NO_STORY, "hero"))
    return c.RecordHero(nominees, bounded("story", story))


def _leaderboard(rest: str) -> c.Command:
    period, value = "month", None
    for word in plain(rest).split():
        if word.startswith("#") and len(word) > 1:
            value = word[1:]
        elif word.lower() in ("week", "month", "quarter", "year", "all"):
            period = word.lower()
        else:
            raise UsageError(wil(tx.not_a_period(word), "leaderboard"))
    return c.Leaderboard(period, value)


def _stats(rest: str) -> c.Command:
    ids, left = leading_mentions(rest)
    words = plain(left).lower().split()
    if len(ids) > 1 or len(words) > 1 or (words and words[0] not in (*PERIODS, "all")):
        raise UsageError(wil(tx.STATS_WHO, "stats"))
    return c.Stats(ids[0] if ids else None, words[0] if words else "all")


def _values(rest: str) -> c.Command:
    return c.Values()


def _me(rest: str) -> c.Command:
    if not rest:
        return c.Me()
    words = rest.split()
    if words[0].lower() != "tz" or len(words) != 2:
        raise UsageError(wil(tx.ME_TZ, "me"))
    return c.Me(check_zone(words[1]))


def _gift(rest: str) -> c.Command:
    if not rest:
        return c.OpenGiftForm()
    rest = plain(rest)
    first, _, after = rest.partition(" ")
    if first.lower() == "checks" and ":" not in rest:  # "gift checks: …" is a customer
        return _gift_checks(after.strip())
    quoted = quoted_head(rest)  # a quoted name keeps its colons
    if quoted:
        customer, (_, colon, body) = quoted[0], quoted[1].partition(":")
        if quoted[1][:1] not in (":", ""):
            raise UsageError(wil(tx.COLON_AFTER_QUOTES, "gift"))
    else:
        customer, colon, body = rest.partition(":")
    customer, body = one_line(customer), body.strip()
    if not colon:
        raise UsageError(wil(tx.NO_COLON, "gift"))
    if not customer:
        raise UsageError(wil(tx.NO_CUSTOMER_BEFORE_COLON, "gift"))
    bounded("customer", customer)
    return gift_body(customer, body, "gift")


def gift_body(customer: str, body: str, command: str) -> c.ProposeGift:
    """What follows the colon of a typed gift: `<gift> [cost] [because <why>]`."""
    why = None
    match = re.search(r"\bbecause\b", body, flags=re.IGNORECASE)
    if match:
        body, why = body[: match.start()].strip(), body[match.end() :].strip()
        if not why:
            raise UsageError(wil(tx.NO_WHY, command))
        bounded("why", why)
    if len(body) > LIMITS["gift"] + COST_TAIL:  # too long even with a cost at its end
        raise UsageError(too_long("gift", len(body)))
    gift, cost, currency = split_cost(body, command)
    gift = one_line(gift)
    if not gift:
        raise UsageError(wil(tx.NO_GIFT, command))
    check_gift_lengths(customer, gift, why)
    return c.ProposeGift(customer, gift, why, cost, currency)


CHECK_SPELLINGS = {name: name for name in FOUR_CHECKS} | {"personalised": "personalized"}


def _gift_checks(rest: str) -> c.Command:
    match = re.match(r"#?(\d+)(?=[\s,]|$)[\s,]*(.*)$", rest, flags=re.DOTALL)
    if not match or parse_id(match.group(1)) is None:
        raise UsageError(wil(tx.NO_GIFT_NUMBER, "gift checks"))
    words = [w for w in re.split(r"[\s,]+", match.group(2).lower()) if w and w != "and"]
    if not words:
        raise UsageError(wil(gtx.CHECKS_NONE_NAMED, "gift checks"))
    if words in (["all"], ["none"]):
        return c.ConfirmGiftChecks(match.group(1), FOUR_CHECKS if words == ["all"] else ())
    met = []
    for word in words:
        if word not in CHECK_SPELLINGS:
            close = difflib.get_close_matches(word, [*CHECK_SPELLINGS, "all", "none"], n=1)
            raise UsageError(wil(gtx.not_a_check(word, close[0] if close else None), "gift checks"))
        met.append(CHECK_SPELLINGS[word])
    return c.ConfirmGiftChecks(match.group(1), tuple(n for n in FOUR_CHECKS if n in met))


def check_gift_lengths(customer: str, gift: str, why: str | None) -> None:
    for what, value in (("customer", customer), ("gift", gift), ("why", why or "")):
        bounded(what, value)


def _scope(rest: str, options: tuple[str, ...], command: str) -> str:
    scope = rest.strip().lower() or options[0]
    if scope not in options:
        raise UsageError(wil(tx.not_one_of(rest, options), command))
    return scope


def _gifts(rest: str) -> c.Command:
    return c.ListGifts(_scope(rest, ("pending", "mine", "month"), "gifts"))


def _followups(rest: str) -> c.Command:
    return c.ListFollowUps(_scope(rest, ("mine", "team", "overdue"), "followups"))


FOLLOWUP_CHANGES = ("done", "cancel", "move", "note")


def _followup(rest: str) -> c.Command:
    if not rest:
        raise UsageError(wil(tx.NO_FOLLOWUP, "followup"))
    rest = plain(rest)
    first, _, after = rest.partition(" ")
    if first.lower() in FOLLOWUP_CHANGES:
        return _followup_change(first.lower(), after.strip())
    quoted = quoted_head(rest)
    tail = quoted[1] if quoted else rest  # a quoted name's colons are its own
    note = None
    match = re.search(r":(\s|$)", tail)
    if match:
        tail, note = tail[: match.start()], tail[match.end() :].strip() or None
    if note:
        bounded("note", note)
    if quoted:
        customer, when = quoted[0], one_line(tail)
    else:
        customer, when = split_customer_and_when(one_line(tail))
    if not customer:
        raise UsageError(wil(tx.NO_CUSTOMER_FIRST, "followup"))
    bounded("customer", customer)
    if not when:
        raise UsageError(no_when(customer, misspelt(customer)))
    return c.AddFollowUp(customer, when, note)


def _followup_change(sub: str, rest: str) -> c.Command:
    match = re.match(r"#?(\d+)(?=[\s:]|$)\s*(.*)$", rest, flags=re.DOTALL)
    if not match or parse_id(match.group(1)) is None:
        raise UsageError(wil(tx.no_followup_number(sub), "followup"))
    ident, after = match.group(1), match.group(2).strip()
    if sub in ("done", "cancel"):
        if after:
            raise UsageError(wil(tx.only_the_number(sub), "followup"))
        return c.FinishFollowUp(ident) if sub == "done" else c.CancelFollowUp(ident)
    if sub == "move":
        if not after or after.startswith(":"):
            raise UsageError(wil(tx.MOVE_WHEN, "followup"))
        return c.MoveFollowUp(ident, one_line(after))
    note = after.removeprefix(":").strip()
    if not after.startswith(":") or not note:
        raise UsageError(wil(tx.NOTE_AFTER_COLON, "followup"))
    return c.NoteFollowUp(ident, bounded("note", note))


def _kpi(rest: str) -> c.Command:
    words = rest.split()
    if not words:
        return c.ShowKpis()
    sub = words[0].lower()
    if sub == "status" and len(words) == 1:
        return c.KpiStatus()
    if sub == "history" and len(words) in (2, 3):
        days = 30
        if len(words) == 3:
            match = re.fullmatch(r"(\d{1,3})d", words[2].lower())
            if not match or not 2 <= int(match.group(1)) <= 366:
                raise UsageError(wil(tx.not_a_span(words[2]), "kpi"))
            days = int(match.group(1))
        return c.KpiHistory(words[1].lower(), days)
    if sub != "log":
        raise UsageError(wil(tx.not_a_subcommand(words[0], "kpi"), "kpi"))
    if len(words) not in (3, 4):
        raise UsageError(wil(tx.KPI_KEY_AND_VALUE, "kpi"))
    key = words[1].lower()
    typed = re.fullmatch(r"[-+−]?[\d.,']*\d[.,]?([^\d.,'].{0,19})?", words[2])
    # "95%": the handler checks that the unit is the KPI's own
    unit = (typed.group(1) or "") if typed and not SCIENTIFIC.fullmatch(words[2]) else ""
    value = parse_number(words[2], "value", "kpi", unit=unit)
    day = parse_date(words[3], "kpi") if len(words) == 4 else None
    return c.LogKpi(key, value, day, unit)


PARSERS = {
    "help": _help,
    "hero": _hero,
    "leaderboard": _leaderboard,
    "stats": _stats,
    "values": _values,
    "me": _me,
    "gift": _gift,
    "gifts": _gifts,
    "followup": _followup,
    "followups": _followups,
    "kpi": _kpi,
    "digest": parse_digest,
    "feedback": parse_feedback,
    "recovery": parse_recovery,
    "recoveries": parse_recoveries,
    "admin": parse_admin,
}
