"""The `/wow feedback …` grammar (SPEC §9): a customer's rating of a contact, typed."""

from __future__ import annotations

import re

from bot.core import commands as c
from bot.core.errors import UsageError
from bot.core.feedback import read_score
from bot.core.guards import bounded, one_line
from bot.core.texts import feedback as tx
from bot.core.texts import write_it_like as wil
from bot.core.tokens import MENTION, plain, quoted_head

LISTS = ("recent", "praise", "poor", "unmatched")
_TRAILING_MENTIONS = re.compile(f"(?:\\s*{MENTION.pattern})+\\s*$")


def parse_feedback(rest: str) -> c.Command:
    """`Acme Dental 5/5 @bob: comment`; `"Acme: the dentist" good`; or a list."""
    if rest.strip().lower() in ("", *LISTS):
        return c.ListFeedback(rest.strip().lower() or "recent")
    quoted = quoted_head(rest)
    head, colon, comment = (quoted[1] if quoted else rest).partition(":")
    agents: tuple[str, ...] = ()
    trailing = _TRAILING_MENTIONS.search(head)
    if trailing:
        agents = tuple(dict.fromkeys(m.group(1) for m in MENTION.finditer(trailing.group(0))))
        head = head[: trailing.start()]
    if len(agents) > 1:
        raise UsageError(wil(tx.ONE_AGENT, "feedback"))
    words = plain(head).split()
    if not words:
        raise UsageError(wil(tx.NO_SCORE if quoted else tx.NO_CUSTOMER, "feedback"))
    score = read_score(words[-1])
    if score is None:
        problem = tx.off_scale(words[-1]) if "/" in words[-1] else tx.NO_SCORE
        raise UsageError(wil(problem, "feedback"))
    customer = quoted[0] if quoted else " ".join(words[:-1])
    if not customer or (quoted and len(words) > 1):
        raise UsageError(wil(tx.NO_CUSTOMER, "feedback"))
    bounded("customer", one_line(customer))
    text = plain(comment).strip() if colon else ""
    if colon and not text:
        raise UsageError(wil(tx.NO_COMMENT, "feedback"))
    return c.RecordFeedback(
        one_line(customer),
        score[0],
        score[1],
        agents[0] if agents else None,
        bounded("comment", text) or None,
    )
