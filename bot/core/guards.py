"""What every piece of input passes before the core reads it: control characters and
the core's own marker characters removed, lengths held to `limits.LIMITS`, ids that fit."""

from __future__ import annotations

import re

from bot.core.errors import UsageError
from bot.core.limits import ID_DIGITS, LIMITS
from bot.core.texts import too_long

# C0 and C1 controls (NUL included; PostgreSQL refuses NUL in text), DEL, lone surrogates
# (they cannot be encoded), and U+E000–U+E004, which the core uses to mark the mentions and
# channels a platform vouched for: typed, they could forge one.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\ue004]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")


def clean(text: str, *, multiline: bool = True) -> str:
    """Text as the bot keeps it: line breaks made `\\n` (or spaces, for one-line text),
    tabs made spaces, every other control character removed."""
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    text = _UNWANTED.sub("", text)
    return text if multiline else " ".join(text.split())


def one_line(text: str) -> str:
    return clean(text, multiline=False)


def bounded(what: str, text: str) -> str:
    """`text`, or a UsageError naming the limit of `what` (a key of LIMITS)."""
    if len(text) > LIMITS[what]:
        raise UsageError(too_long(what, len(text)))
    return text


def shortened(text: str, limit: int) -> str:
    """Text that is not the user's to fix (a platform's display name): cut, marked with …."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_id(value: str) -> int | None:
    """A button's id (`gift.approve` on gift 12) if it is a whole number the database can
    hold; None for anything else, which then names nothing."""
    return int(value) if re.fullmatch(rf"[0-9]{{1,{ID_DIGITS}}}", value) else None
