"""Deciding WOW gifts: approve, decline with a reason, mark as sent (→ a follow-up)."""

from __future__ import annotations

import datetime as dt

from bot.core import commands as c
from bot.core.duetime import DEFAULT_TIME
from bot.core.errors import Conflict, NotAllowed, UsageError
from bot.core.messages import Button, Destination, Form, Input, Message, Outgoing, Reply
from bot.core.model import FollowUp, FollowUpStatus, Gift, GiftStatus, Role
from bot.core.texts import (
    ALREADY_DECIDED,
    LIMITS,
    ONLY_DECIDERS,
    OVER_BUDGET,
    OWN_PROPOSAL,
    too_long,
)
from bot.core.texts import gifts as tx
from bot.core.texts import recovery as rtx
from bot.core.zones import at_local, local, month_bounds, shown, shown_short
from bot.handlers.context import Context
from bot.handlers.format import money
from bot.handlers.gifts import ask_message, load_gift, root_message
from bot.handlers.recovery_gifts import gift_told


async def _check_decider(ctx: Context, gift: Gift) -> None:
    if not ctx.actor.role.can_decide:
        raise NotAllowed(ONLY_DECIDERS)
    if gift.proposer_id == ctx.actor.id:
        raise NotAllowed(OWN_PROPOSAL)
    await _check_undecided(ctx, gift)


async def _check_undecided(ctx: Context, gift: Gift) -> None:
    if gift.status is GiftStatus.PROPOSED:
        return
    decider = await ctx.uow.members.get(gift.decided_by_id) if gift.decided_by_id else None
    status = "declined" if gift.status is GiftStatus.DECLINED else "approved"
    raise Conflict(
        ALREADY_DECIDED.format(
            status=status,
            name=decider.name if decider else "someone",
            time=shown_short(gift.decided_at or ctx.now, ctx.actor.tz),
        )
    )


async def approve(ctx: Context, action: c.Action) -> Reply:
    gift = await load_gift(ctx, action.value)
    await _check_decider(ctx, gift)
    ws = ctx.workspace
    if gift.currency != ws.currency:
        raise Conflict(tx.old_currency(gift.id, money(gift.cost, gift.currency), ws.currency))
    if ws.budget is not None:
        # Two approvals at once must not both fit the same remaining budget: the check and
        # the decision happen while this workspace's budget is held.
        ws = await ctx.uow.workspaces.lock(ws.id)
    if ws.budget is not None and ctx.actor.role is not Role.ADMIN:
        spent = await ctx.uow.gifts.spend(ws.id, *month_bounds(ctx.now, ws.timezone), ws.currency)
        if spent + gift.cost > ws.budget:
            raise NotAllowed(
                OVER_BUDGET.format(
                    spent=money(spent, ws.currency),
                    budget=money(ws.budget, ws.currency),
                    cost=money(gift.cost, gift.currency),
                )
            )
    await _decide(ctx, gift, GiftStatus.APPROVED, None)
    return Reply.private(tx.you_approved(gift.id, gift.customer))


def reason_form(gift: Gift) -> Reply:
    return Reply(
        Message(
            text=tx.reason_question(gift.id, gift.customer),
            form=Form(
                title=tx.REASON_TITLE,
                action="gift.decline",
                value=str(gift.id),
                inputs=(
                    Input("reason", tx.REASON_LABEL, "multiline", max_length=LIMITS["reason"]),
                ),
                submit_label=tx.DECLINE,
            ),
        )
    )


async def decline(ctx: Context, action: c.Action) -> Reply:
    gift = await load_gift(ctx, action.value)
    await _check_decider(ctx, gift)
    reason = (action.text or dict(action.fields).get("reason") or "").strip()
    if not reason:
        return reason_form(gift)
    if len(reason) > LIMITS["reason"]:
        raise UsageError(too_long("reason", len(reason)))
    await _decide(ctx, gift, GiftStatus.DECLINED, reason)
    return Reply.private(tx.you_declined(gift.id, gift.customer))


async def _decide(ctx: Context, gift: Gift, status: GiftStatus, reason: str | None) -> None:
    won = await ctx.uow.gifts.transition(
        gift.id,
        GiftStatus.PROPOSED,
        status,
        decided_by_id=ctx.actor.id,
        decided_at=ctx.now,
        decline_reason=reason,
    )
    if not won:  # someone decided between our read and our write
        await _check_undecided(ctx, await load_gift(ctx, str(gift.id)))
    gift.status, gift.decided_by_id, gift.decided_at = status, ctx.actor.id, ctx.now
    gift.decline_reason = reason
    proposer = await ctx.uow.members.get(gift.proposer_id)
    verdict = (
        tx.approved_by(ctx.actor.name) if reason is None else tx.declined_by(ctx.actor.name, reason)
    )
    await ctx.send(
        Outgoing(
            await root_message(ctx, gift, proposer.name, ctx.actor.name),
            update_key=f"gift:{gift.id}:root",
            description=f"gift #{gift.id} status",
        )
    )
    await ctx.send(
        Outgoing(
            ask_message(gift, [], tx.decision(ctx.actor.name, reason)),
            update_key=f"gift:{gift.id}:ask",
            description=f"gift #{gift.id} buttons removed",
            redraws_click=True,
        )
    )
    await ctx.send(
        Outgoing(
            Message(text=verdict),
            Destination.to_thread(f"gift:{gift.id}:root"),
            description=f"gift #{gift.id} decision in thread",
        )
    )
    await gift_told(ctx, gift, rtx.gift_decided(gift.id, status.value, ctx.actor.name))
    buttons = (
        (Button(tx.MARK_SENT, "gift.sent", str(gift.id), "primary"),) if reason is None else ()
    )
    text = (
        tx.approved_dm(gift.customer, gift.gift, ctx.actor.name)
        if reason is None
        else tx.declined_dm(gift.customer, gift.gift, ctx.actor.name, reason)
    )
    await ctx.send(
        Outgoing(
            Message(text=text, buttons=buttons),
            Destination.to_member(proposer.id),
            key=f"gift:{gift.id}:decision",
            description=f"gift #{gift.id} decision to {proposer.name}",
        )
    )


async def mark_sent(ctx: Context, action: c.Action) -> Reply:
    gift = await load_gift(ctx, action.value)
    if gift.proposer_id != ctx.actor.id and ctx.actor.role is not Role.ADMIN:
        raise NotAllowed(tx.ONLY_PROPOSER_SENDS)
    if gift.status is GiftStatus.SENT:
        raise Conflict(tx.sent_already(gift.id))
    if gift.status is not GiftStatus.APPROVED:
        raise Conflict(tx.not_approved(gift.id, gift.status.value))
    if not await ctx.uow.gifts.transition(
        gift.id, GiftStatus.APPROVED, GiftStatus.SENT, sent_at=ctx.now
    ):
        raise Conflict(tx.sent_already(gift.id))
    gift.status, gift.sent_at = GiftStatus.SENT, ctx.now
    owner = await ctx.uow.members.get(gift.proposer_id)
    days = ctx.workspace.followup_days
    here = local(ctx.now, owner.tz)
    due = at_local(here.date() + dt.timedelta(days=days), DEFAULT_TIME, owner.tz)  # SPEC §3
    followup = await ctx.uow.followups.add(
        FollowUp(
            id=0,
            workspace_id=ctx.workspace.id,
            owner_id=owner.id,
            customer=gift.customer,
            note=tx.landed(gift.gift),
            due_at=due,
            status=FollowUpStatus.OPEN,
            origin="gift",
            created_at=ctx.now,
            gift_id=gift.id,
        )
    )
    decider = await ctx.uow.members.get(gift.decided_by_id) if gift.decided_by_id else None
    await ctx.send(
        Outgoing(
            await root_message(ctx, gift, owner.name, decider.name if decider else None),
            update_key=f"gift:{gift.id}:root",
            description=f"gift #{gift.id} status",
        )
    )
    await gift_told(ctx, gift, rtx.gift_decided(gift.id, "sent", owner.name))
    await ctx.send(
        Outgoing(
            Message(text=tx.sent_dm(gift.customer, gift.gift, money(gift.cost, gift.currency))),
            update_key=f"gift:{gift.id}:decision",
            description=f"gift #{gift.id} sent",
            redraws_click=True,
        )
    )
    return Reply.private(tx.marked_sent(gift.id, followup.id, gift.customer, shown(due, owner.tz)))
