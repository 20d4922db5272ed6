"""Tokens shared by the grammars: mentions, channels, numbers, dates, keys."""

from __future__ import annotations

import datetime as dt
import math
import re

from bot.core.errors import UsageError
from bot.core.limits import NUMBER
from bot.core.texts import grammar as tx
from bot.core.texts import write_it_like as wil

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CHANNEL_NAME = 80  # Slack's own limit for a channel name; ids are shorter still

# Inside the core, a mention the platform vouched for is a sentinel that no user can type:
# U+E000 id [U+E004 name] U+E001 (channels use U+E002 … U+E003).
M_OPEN, M_CLOSE, C_OPEN, C_CLOSE, NAME = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
SENTINELS = re.compile("[\ue000-\ue004]")
# No class below matches `<`: a match attempt ends at the next `<`, so reading a long text
# full of unclosed `<@` stays linear.
WIRE_MENTION = re.compile(r"<@([^<>|\s]+)(?:\|([^<>]*))?>")
WIRE_CHANNEL = re.compile(r"<#([^<>|\s]+)(?:\|([^<>]*))?>")
WIRE_SPECIAL = re.compile(r"<!([^<>|\s]+)(?:\|([^<>]*))?>")  # <!channel>, <!here>, <!subteam^S1>
WIRE_LINK = re.compile(r"<((?:https?|mailto):[^<>|\s]+)(?:\|([^<>]*))?>")
MENTION = re.compile(f"{M_OPEN}([^{M_CLOSE}{NAME}]+)(?:{NAME}([^{M_CLOSE}]*))?{M_CLOSE}")
CHANNEL = re.compile(
    f"^(?:{C_OPEN}([^{C_CLOSE}{NAME}]+)(?:{NAME}[^{C_CLOSE}]*)?{C_CLOSE}|#([\\w.\\-]+))$"
)
_CHANNEL_IN_TEXT = re.compile(f"{C_OPEN}([^{C_CLOSE}{NAME}]+)(?:{NAME}([^{C_CLOSE}]*))?{C_CLOSE}")


def from_wire(text: str) -> str:
    """Slack-style text (typed `&`, `<`, `>` escaped; `<@ID|name>` and `<#ID|name>` put
    there by the platform) to the core's form: real mentions become sentinels, then the
    typed characters are unescaped, so nothing a user typed can become a mention."""
    text = SENTINELS.sub("", text)

    def mention(m: re.Match[str]) -> str:
        name = f"{NAME}{m.group(2)}" if m.group(2) else ""
        return f"{M_OPEN}{m.group(1)}{name}{M_CLOSE}"

    def channel(m: re.Match[str]) -> str:
        name = f"{NAME}{m.group(2)}" if m.group(2) else ""
        return f"{C_OPEN}{m.group(1)}{name}{C_CLOSE}"

    text = WIRE_CHANNEL.sub(channel, WIRE_MENTION.sub(mention, text))
    # Other platform markup becomes the plain text it stands for: never live again.
    text = WIRE_SPECIAL.sub(
        lambda m: "@" + (m.group(2) or m.group(1).split("^")[0]).lstrip("@"), text
    )
    text = WIRE_LINK.sub(
        lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text
    )
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def plain(text: str) -> str:
    """Free text as people read it: mentions inside it become @name, channels #name."""
    text = MENTION.sub(lambda m: f"@{m.group(2) or m.group(1)}", text)
    return _CHANNEL_IN_TEXT.sub(lambda m: f"#{m.group(2) or m.group(1)}", text)


def channel_ref(channel: str) -> str:
    """A channel named in a bot message: Slack shows it as a channel link, others as #name."""
    return f"{C_OPEN}{channel}{C_CLOSE}"


CHANNEL_REF = re.compile(f"{C_OPEN}([^{C_CLOSE}{NAME}]+)(?:{NAME}[^{C_CLOSE}]*)?{C_CLOSE}")


def to_wire(text: str) -> str:
    """Typed text in the wire form: for adapters whose users type raw characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_QUOTED = re.compile(r'^\s*(?:"([^"]*)"|“([^”]*)”|«([^»]*)»)')


def quoted_head(text: str) -> tuple[str, str] | None:
    """A name in quotes at the start, kept whole (colons, digits and all), and what follows;
    None when the text does not start with a closed quote."""
    match = _QUOTED.match(text)
    if not match:
        return None
    name = next(g for g in match.groups() if g is not None)
    return " ".join(name.split()), text[match.end() :].strip()


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
    if re.fullmatch(r"\d{4}-\d\d-\d\d", word):
        try:
            return dt.date.fromisoformat(word)
        except ValueError:
            pass
    raise UsageError(wil(tx.not_an_iso_date(word), command))


NUMBER_SHAPE = re.compile(r"[-+−]?(?:\d+(?:[.,']\d+)*[.,]?\d*|[.,]\d+)")
SCIENTIFIC = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d{1,4}")
GROUPED = re.compile(r"\d{1,3}(?:[,.']\d{3})+")


def parse_number(
    word: str, what: str, command: str, *, low: float = -NUMBER, unit: str = ""
) -> float:
    """A number as people write it (`4.6`, `4,6`, `-3`, `1,000,000`, `1.000,5`, and with
    `unit` after it, `95%` or `100calls`); never NaN, an infinity or beyond ±10¹²
    (`limits.NUMBER`), and not below `low`. `1,000` alone could be a thousand or one, so it
    is refused with both ways to write it."""
    text = word[: -len(unit)] if unit and word.lower().endswith(unit.lower()) else word
    value = _number_value(text.strip(), word, what, command) if len(word) <= 40 else math.nan
    if not math.isfinite(value):
        raise UsageError(wil(tx.not_a_number(what, word), command))
    if not low <= value <= NUMBER:
        raise UsageError(
            wil(tx.out_of_range(what, word, number_text(low), number_text(NUMBER)), command)
        )
    return value


def _number_value(text: str, raw: str, what: str, command: str) -> float:
    if SCIENTIFIC.fullmatch(text):  # 1e6, 2.5E-3
        return float(text)
    if not NUMBER_SHAPE.fullmatch(text):
        return math.nan
    sign = -1.0 if text[:1] in "-−" else 1.0
    body = text.lstrip("+-−")
    marks = [ch for ch in body if ch in ".,'"]
    if not marks:
        whole, fraction = body, ""
    elif len(set(marks) - {"'"}) == 2 or (marks[-1] != marks[0] and "'" not in marks[-1]):
        point = marks[-1]  # 1.000,5 or 1,000.5: the last mark is the decimal one
        whole, _, fraction = body.rpartition(point)
        if not GROUPED.fullmatch(whole) or point in whole:
            return math.nan
    elif len(marks) > 1 or marks[0] == "'":  # 1,000,000 or 1'000: grouped, no decimals
        whole, fraction = body, ""
        if not GROUPED.fullmatch(whole):
            return math.nan
    else:
        whole, _, fraction = body.partition(marks[0])
        if len(fraction) == 3 and whole not in ("", "0"):
            minus = "-" if sign < 0 else ""
            grouped = f"{minus}{whole}{fraction}"
            decimal = minus + number_text(float(f"{whole}.{fraction}"))
            raise UsageError(wil(tx.two_readings(what, raw, grouped, decimal), command))
    digits = re.sub(r"[.,']", "", whole)
    return sign * float(f"{digits or 0}.{fraction or 0}")


def number_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def parse_channel(word: str, command: str) -> str:
    match = CHANNEL.match(word)
    if not match:
        raise UsageError(wil(tx.not_a_channel(word), command))
    channel = match.group(1) or match.group(2)
    if len(channel) > CHANNEL_NAME:
        raise UsageError(wil(tx.channel_too_long(CHANNEL_NAME, len(channel)), command))
    return channel
