"""The `/wow recovery …` and `/wow recoveries` grammar (SPEC §9): each step of a service
recovery case typed, as the buttons do it."""

from __future__ import annotations

import re

from bot.core import commands as c
from bot.core.errors import UsageError
from bot.core.guards import bounded, parse_id
from bot.core.recovery import read_outcome
from bot.core.texts import grammar as gtx
from bot.core.texts import recovery as tx
from bot.core.texts import write_it_like as wil
from bot.core.tokens import plain

STEPS = ("take", "contacted", "resolve", "gift")
LISTS = ("open", "mine", "all")
_CASE = re.compile(r"#?(\d{1,18})\b\s*(.*)$", re.DOTALL)


def parse_recovery(rest: str) -> c.Command:
    step, _, rest = plain(rest).partition(" ")
    step = step.lower()
    if step not in STEPS:
        raise UsageError(wil(tx.STEP_HOW, "recovery"))
    match = _CASE.match(rest.strip())
    if match is None or parse_id(match.group(1)) is None:
        raise UsageError(wil(tx.CASE_NUMBER, "recovery"))
    case, tail = match.group(1), match.group(2).strip()
    if step in ("take", "contacted"):
        if tail:
            raise UsageError(wil(tx.nothing_after(step), "recovery"))
        return c.CaseStep(step, case)
    if step == "gift":
        body = tail[1:].strip() if tail.startswith(":") else ""
        if not body:
            raise UsageError(wil(tx.GIFT_HOW, "recovery"))
        from bot.core.parsing import gift_body  # the gift grammar, after its colon

        return _for_case(gift_body(tx.case_customer(case), body, "recovery"), case)
    said, colon, note = tail.partition(":")
    outcome = read_outcome(said)
    if outcome is None:
        raise UsageError(wil(tx.OUTCOME_HOW, "recovery"))
    note = note.strip()
    if not colon or not note:
        raise UsageError(wil(tx.NO_NOTE, "recovery"))
    return c.ResolveCase(case, outcome, bounded("outcome note", note))


def _for_case(gift: c.ProposeGift, case: str) -> c.ProposeGift:
    return c.ProposeGift(gift.customer, gift.gift, gift.why, gift.cost, gift.currency, (), case)


def parse_recoveries(rest: str) -> c.Command:
    scope = rest.strip().lower() or "open"
    if scope not in LISTS:
        raise UsageError(wil(gtx.not_one_of(rest, LISTS), "recoveries"))
    return c.ListRecoveries(scope)
