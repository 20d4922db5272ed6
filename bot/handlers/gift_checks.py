"""The four checks of a typed gift, confirmed by its proposer while it waits for a manager."""

from __future__ import annotations

from bot.core import commands as c
from bot.core.errors import Conflict, NotAllowed
from bot.core.messages import Form, Message, Outgoing, Reply
from bot.core.model import FOUR_CHECKS, Gift, GiftStatus
from bot.core.texts import gifts as tx
from bot.handlers.context import Context
from bot.handlers.format import checks_line, ticked
from bot.handlers.gifts import check_toggles, load_gift, root_message


async def _changeable(ctx: Context, value: str) -> Gift:
    gift = await load_gift(ctx, value)
    if gift.proposer_id != ctx.actor.id:
        proposer = await ctx.uow.members.get(gift.proposer_id)
        raise NotAllowed(tx.CHECKS_ONLY_PROPOSER.format(name=proposer.name, id=gift.id))
    if gift.status is not GiftStatus.PROPOSED:
        raise Conflict(tx.CHECKS_AFTER_DECISION.format(id=gift.id, status=gift.status.value))
    return gift


async def confirm_typed(ctx: Context, cmd: c.ConfirmGiftChecks) -> Reply:
    gift = await _changeable(ctx, cmd.gift)
    return await _save(ctx, gift, {name: name in cmd.met for name in FOUR_CHECKS})


async def open_form(ctx: Context, action: c.Action) -> Reply:
    """The button on a typed gift's confirmation: the four checks as ticks."""
    gift = await _changeable(ctx, action.value)
    return Reply(
        Message(
            text=tx.checks_form_text(gift.id, gift.customer),
            form=Form(
                title=tx.CHECKS_TITLE,
                action="gift.checks.save",
                value=str(gift.id),
                inputs=check_toggles(gift.checks),
                submit_label=tx.CHECKS_SUBMIT,
                typed_hint=tx.checks_typed(gift.id),
            ),
        )
    )


async def save_form(ctx: Context, action: c.Action) -> Reply:
    gift = await _changeable(ctx, action.value)
    fields = dict(action.fields)
    checks = {name: ticked(fields, name) for name in FOUR_CHECKS}
    return await _save(ctx, gift, checks)


async def _save(ctx: Context, gift: Gift, checks: dict[str, bool]) -> Reply:
    won = await ctx.uow.gifts.transition(
        gift.id, GiftStatus.PROPOSED, GiftStatus.PROPOSED, checks=checks
    )
    if not won:  # decided between our read and our write
        await _changeable(ctx, str(gift.id))
    gift.checks = dict(checks)
    await ctx.send(
        Outgoing(
            await root_message(ctx, gift, ctx.actor.name, None),
            update_key=f"gift:{gift.id}:root",
            description=f"gift #{gift.id} four checks",
        )
    )
    return Reply.private(tx.checks_saved(gift.id, gift.customer, checks_line(gift.checks)))
