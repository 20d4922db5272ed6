"""What a digest says (SPEC §4): KPIs, yesterday's heroes, gifts, follow-ups. Names, no pings."""

from __future__ import annotations

import datetime as dt

from bot.core.messages import Message, Section
from bot.core.model import GiftStatus, Workspace
from bot.core.ports import UnitOfWork
from bot.core.texts import digests as tx
from bot.core.zones import day_bounds, local, month_bounds
from bot.handlers.format import age, money
from bot.handlers.kpis import readings
from bot.handlers.voice_digest import voice_section


async def build_digest(
    uow: UnitOfWork, ws: Workspace, tz: str, now: dt.datetime, *, late: bool = False
) -> Message:
    today = local(now, tz).date()
    yesterday = today - dt.timedelta(days=1)
    kpis = await _kpis(uow, ws, yesterday, now)
    spend_shown = kpis is not None and any(k == "gift_spend" for k in kpis[1])
    sections = [
        s
        for s in (
            kpis and kpis[0],
            await _heroes(uow, ws, yesterday, tz),
            await _gifts(uow, ws, yesterday, tz, now, spend_shown=spend_shown),
            await _followups(uow, ws, today, tz, now),
            await voice_section(uow, ws, yesterday, tz, now),
        )
        if s is not None
    ]
    text = tx.SOMETHING if sections else tx.QUIET
    if late:
        text = tx.LATE + text
    return Message(title=tx.title(f"{today:%a %d %b %Y}"), text=text, sections=tuple(sections))


async def _kpis(
    uow: UnitOfWork, ws: Workspace, day: dt.date, now: dt.datetime
) -> tuple[Section, list[str]] | None:
    """The KPI section, and the keys of the KPIs it shows."""
    shown = [
        r
        for r in await readings(uow, ws, day, now, include_empty=False)
        if r.value is not None and (r.value or r.definition.target is not None)
    ]
    if not shown:
        return None
    section = Section(tx.SECTIONS["kpis"], tuple(r.line() for r in shown))
    return section, [r.definition.key for r in shown]


async def _heroes(uow: UnitOfWork, ws: Workspace, day: dt.date, tz: str) -> Section | None:
    count = await uow.heroes.count_between(ws.id, *day_bounds(day, tz))
    if not count:
        return None
    moments = await uow.heroes.between(ws.id, *day_bounds(day, tz), limit=3)
    ids = {i for m in moments for i in (*m.nominee_ids, m.nominator_id)}
    names = {i: m.name for i, m in (await uow.members.by_ids(list(ids))).items()}
    lines = [tx.heroes_yesterday(count)]
    for m in moments:
        heroes = ", ".join(names[i] for i in m.nominee_ids)
        story = m.story if len(m.story) <= 200 else m.story[:199] + "…"
        lines.append(tx.moment(heroes, story, names[m.nominator_id]))
    return Section(tx.SECTIONS["heroes"], tuple(lines))


async def _gifts(
    uow: UnitOfWork, ws: Workspace, day: dt.date, tz: str, now: dt.datetime, *, spend_shown: bool
) -> Section | None:
    lines = []
    pending = await uow.gifts.tally(ws.id, [GiftStatus.PROPOSED], limit=3)
    if pending.count:
        oldest, late = await uow.gifts.waiting(ws.id, now)
        names = ", ".join(f"{g.customer} ({g.gift})" for g in pending.first)
        lines.append(tx.pending(pending.count, age(oldest or now, now), names, late, ws.sla_hours))
    yesterday = day_bounds(day, tz)
    approved = await uow.gifts.tally(
        ws.id, [GiftStatus.APPROVED, GiftStatus.SENT], decided_within=yesterday, limit=5
    )
    if approved.count:
        names = ", ".join(f"{g.customer} ({g.gift})" for g in approved.first)
        lines.append(tx.approved_yesterday(approved.count, names))
    sent = await uow.gifts.tally(ws.id, [GiftStatus.SENT], sent_within=yesterday, limit=5)
    if sent.count:
        lines.append(tx.sent_yesterday(sent.count, ", ".join(g.customer for g in sent.first)))
    spent = await uow.gifts.spend(ws.id, *month_bounds(now, ws.timezone), ws.currency)
    if (lines or spent) and not spend_shown:  # once: the KPIs may show it already
        budget = money(ws.budget, ws.currency) if ws.budget is not None else None
        lines.append(tx.spent(money(spent, ws.currency), budget))
    return Section(tx.SECTIONS["gifts"], tuple(lines)) if lines else None


SHOWN = 10  # follow-ups named per line; the rest are counted


async def _followups(
    uow: UnitOfWork, ws: Workspace, today: dt.date, tz: str, now: dt.datetime
) -> Section | None:
    _, end_of_today = day_bounds(today, tz)
    overdue = await uow.followups.tally_open(ws.id, due_before=now, limit=SHOWN)
    due_today = await uow.followups.tally_open(
        ws.id, due_from=now, due_before=end_of_today, limit=SHOWN
    )
    if not overdue.count and not due_today.count:
        return None
    owners = await uow.members.by_ids([f.owner_id for f in overdue.first + due_today.first])
    lines = []
    groups = tx.FOLLOWUP_GROUPS
    for label, group in ((groups["overdue"], overdue), (groups["today"], due_today)):
        if group.count:
            items = ", ".join(f"{owners[f.owner_id].name}: {f.customer}" for f in group.first)
            lines.append(tx.followup_group(label, group.count, items, group.count - SHOWN))
    return Section(tx.SECTIONS["followups"], tuple(lines))
