"""A WOW gift that helps a service recovery (SPEC §9): proposed from the case (the gift
form filled with its customer), linked to it, and its decision told in the case's thread."""

from __future__ import annotations

from bot.core import commands as c
from bot.core.errors import Conflict
from bot.core.messages import Message, Reply
from bot.core.model import Gift
from bot.core.recovery import UNRESOLVED, CaseStatus, RecoveryCase
from bot.core.texts import recovery as tx
from bot.handlers.context import Context
from bot.handlers.recovery_cases import case_changed
from bot.handlers.recovery_steps import load_case


async def gift_case(ctx: Context, value: str) -> RecoveryCase:
    """The case a gift is proposed for: one still open, without a gift yet."""
    case = await load_case(ctx, value)
    if case.status is CaseStatus.RESOLVED:
        raise Conflict(tx.resolved_already(case.id))
    if case.gift_id is not None:
        raise Conflict(tx.has_gift(case.id, case.gift_id))
    return case


async def link_gift(ctx: Context, case: RecoveryCase, gift: Gift) -> None:
    if not await ctx.uow.recoveries.step(case.id, UNRESOLVED, gift_id=gift.id):
        raise Conflict(tx.resolved_already(case.id))
    case.gift_id = gift.id
    said = Message(text=tx.gift_proposed(ctx.actor.name, gift.id, gift.gift))
    for outgoing in await case_changed(ctx.uow, ctx.workspace, case, ctx.now, said):
        await ctx.send(outgoing)


async def gift_told(ctx: Context, gift: Gift, said: str) -> None:
    """A decision on a case's gift, in the case's thread and on its root."""
    case = await ctx.uow.recoveries.by_gift(gift.id)
    if case is None:
        return
    for outgoing in await case_changed(ctx.uow, ctx.workspace, case, ctx.now, Message(text=said)):
        if outgoing.update_key != f"case:{case.id}:ask":
            await ctx.send(outgoing)


async def gift_button(ctx: Context, action: c.Action) -> Reply:
    from bot.handlers.gifts import gift_form  # gifts imports this module

    return gift_form(ctx.workspace.currency, await gift_case(ctx, action.value))
