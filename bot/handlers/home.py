"""A member's own page: their recognition, their open follow-ups, gifts waiting on them."""

from __future__ import annotations

from bot.core.messages import Field, Message, Section
from bot.core.model import GiftStatus
from bot.handlers.context import Context
from bot.handlers.followups import line
from bot.handlers.format import gift_line


async def home_message(ctx: Context) -> Message:
    me = ctx.actor
    moments = await ctx.uow.heroes.involving(ctx.workspace.id, me.id)
    given = sum(1 for m in moments if m.nominator_id == me.id)
    received = [m for m in moments if me.id in m.nominee_ids]
    sections = []
    if received:
        sections.append(
            Section("Your latest hero moments", tuple(m.story[:150] for m in received[:3]))
        )
    followups = await ctx.uow.followups.open(ctx.workspace.id, owner_id=me.id)
    sections.append(
        Section(
            "Your open follow-ups",
            tuple(line(f, me, me.tz, ctx.now, False) for f in followups[:10]) or ("None. Nice!",),
        )
    )
    pending = await ctx.uow.gifts.search(ctx.workspace.id, statuses=[GiftStatus.PROPOSED])
    mine = [g for g in pending if g.proposer_id == me.id]
    if mine:
        sections.append(
            Section(
                "Your gifts waiting for a decision",
                tuple(gift_line(g, me.name, ctx.now) for g in mine[:10]),
            )
        )
    if me.role.can_decide:
        others = [g for g in pending if g.proposer_id != me.id]
        names = await ctx.names(g.proposer_id for g in others[:10])
        sections.append(
            Section(
                "Gifts for you to decide",
                tuple(gift_line(g, names[g.proposer_id], ctx.now) for g in others[:10])
                or ("None.",),
            )
        )
    return Message(
        title=f"WOW, {me.name}",
        text="Recognise a colleague with /wow hero, propose a gift with /wow gift.",
        fields=(Field("Hero moments given", str(given)), Field("Received", str(len(received)))),
        sections=tuple(sections),
    )
