"""A member's own page: their recognition, their open follow-ups, gifts waiting on them."""

from __future__ import annotations

from bot.core.messages import Field, Message, Section
from bot.core.model import GiftStatus
from bot.core.texts import HOME, home_title
from bot.handlers.context import Context
from bot.handlers.followups import line
from bot.handlers.format import gift_line, quote_line


async def home_message(ctx: Context) -> Message:
    me = ctx.actor
    moments = await ctx.uow.heroes.involving(ctx.workspace.id, me.id)
    given = sum(1 for m in moments if m.nominator_id == me.id)
    received = [m for m in moments if me.id in m.nominee_ids]
    sections = []
    if received:
        sections.append(Section(HOME["received"], tuple(m.story[:150] for m in received[:3])))
    praise = await ctx.uow.feedback.praise_for(ctx.workspace.id, me.id, None, 3)
    if praise.first:
        sections.append(Section(HOME["praise"], tuple(quote_line(f, me.tz) for f in praise.first)))
    followups = await ctx.uow.followups.open(ctx.workspace.id, owner_id=me.id)
    sections.append(
        Section(
            HOME["followups"],
            tuple(line(f, me, me.tz, ctx.now, False) for f in followups[:10])
            or (HOME["no_followups"],),
        )
    )
    pending = await ctx.uow.gifts.search(ctx.workspace.id, statuses=[GiftStatus.PROPOSED])
    mine = [g for g in pending if g.proposer_id == me.id]
    if mine:
        sections.append(
            Section(
                HOME["mine"],
                tuple(gift_line(g, me.name, ctx.now) for g in mine[:10]),
            )
        )
    if me.role.can_decide:
        others = [g for g in pending if g.proposer_id != me.id]
        names = await ctx.names(g.proposer_id for g in others[:10])
        sections.append(
            Section(
                HOME["to_decide"],
                tuple(gift_line(g, names[g.proposer_id], ctx.now) for g in others[:10])
                or (HOME["none"],),
            )
        )
    return Message(
        title=home_title(me.name),
        text=HOME["text"],
        fields=(
            Field(HOME["given"], str(given)),
            Field(HOME["received_count"], str(len(received))),
        ),
        sections=tuple(sections),
    )
