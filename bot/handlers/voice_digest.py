"""The digest's "Customer voice" section (SPEC §9): yesterday's ratings and their average,
the best quote, and the recovery cases still open, with their ages and owners."""

from __future__ import annotations

import datetime as dt

from bot.core.feedback import SCALES, shown_score
from bot.core.messages import Section
from bot.core.model import Workspace
from bot.core.ports import UnitOfWork
from bot.core.recovery import UNRESOLVED
from bot.core.texts import clip
from bot.core.texts import digests as tx
from bot.core.texts import recovery as rtx
from bot.core.zones import day_bounds
from bot.handlers.format import age

CASES_SHOWN = 5


async def voice_section(
    uow: UnitOfWork, ws: Workspace, day: dt.date, tz: str, now: dt.datetime
) -> Section | None:
    lines = []
    start, end = day_bounds(day, tz)
    tallies = await uow.feedback.tallies(ws.id, start, end)
    count = sum(n for n, _, _, _ in tallies.values())
    if count:
        parts = []
        for scale in ("csat5", "nps"):
            n, total, _, _ = tallies.get(scale, (0, 0.0, 0, 0))
            if n:
                parts.append(tx.average_of(total / n, int(SCALES[scale].high)))
        n, total, _, _ = tallies.get("thumbs", (0, 0.0, 0, 0))
        if n:
            parts.append(tx.thumbs(int(total), n - int(total)))
        lines.append(tx.ratings_yesterday(count, parts))
    quotes = await uow.feedback.quotes(ws.id, start, end, 50)
    if quotes:
        best = max(quotes, key=lambda f: _share(f.scale, f.score))  # newest first: ties
        agent = (await uow.members.get(best.agent_id)).name if best.agent_id else None
        score = shown_score(best.scale, best.score)
        lines.append(tx.best_quote(clip(best.comment or "", 200), best.customer, agent, score))
    open_count = await uow.recoveries.open_count(ws.id)
    if open_count:
        cases = await uow.recoveries.listed(ws.id, UNRESOLVED, CASES_SHOWN, oldest_first=True)
        owners = await uow.members.by_ids([k.owner_id for k in cases if k.owner_id])
        items = "; ".join(
            tx.case_item(
                k.id,
                k.customer,
                age(k.created_at, now),
                owners[k.owner_id].name if k.owner_id else rtx.NOBODY,
                k.overdue(now),
            )
            for k in cases
        )
        lines.append(tx.open_cases(open_count, items, open_count - len(cases)))
    return Section(tx.SECTIONS["voice"], tuple(lines)) if lines else None


def _share(scale: str, score: float) -> float:
    """A score as a share of its scale, so 5/5, 10/10 and good compare."""
    s = SCALES[scale]
    return (score - s.low) / (s.high - s.low)
