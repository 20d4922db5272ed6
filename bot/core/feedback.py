"""Customer feedback's scales (SPEC §9): how a score is written, and whether it is praise
(posted to the wall), a poor score (a service recovery) or neither."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["praise", "recovery", "neutral"]


@dataclass(frozen=True)
class Scale:
    name: str
    low: float
    high: float
    praise_from: float  # this score or more is praise
    recovery_to: float  # this score or less opens a recovery


SCALES = {
    "csat5": Scale("csat5", 1, 5, 4, 2),
    "nps": Scale("nps", 0, 10, 9, 6),
    "thumbs": Scale("thumbs", 0, 1, 1, 0),
}
# "5/5", "4 / 5", "9/10", "good", "bad", 👍, 👎
_OUT_OF = re.compile(r"^(\d{1,2})\s*/\s*(5|10)$")
THUMBS = {"good": 1.0, "bad": 0.0, "👍": 1.0, "👎": 0.0}


def read_score(word: str) -> tuple[str, float] | None:
    """(scale, score) from a score as typed, or None when the word is not one; a score off
    its scale (6/5) is None too, and the caller says how to write one."""
    word = word.strip().lower()
    if word in THUMBS:
        return "thumbs", THUMBS[word]
    match = _OUT_OF.match(word)
    if match is None:
        return None
    score, out_of = int(match.group(1)), int(match.group(2))
    scale = SCALES["csat5" if out_of == 5 else "nps"]
    return (scale.name, float(score)) if scale.low <= score <= scale.high else None


def verdict(scale: str, score: float) -> Verdict:
    s = SCALES[scale]
    if score >= s.praise_from:
        return "praise"
    if score <= s.recovery_to:
        return "recovery"
    return "neutral"


def shown_score(scale: str, score: float) -> str:
    if scale == "thumbs":
        return "good" if score >= 1 else "bad"
    return f"{score:g}/{5 if scale == 'csat5' else 10}"
