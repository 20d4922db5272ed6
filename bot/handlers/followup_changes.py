"""Changing a follow-up: Done and Snooze from its reminder, and `followup done|cancel|move|
note <id>` typed by its owner (managers and admins: anyone's). A reminder already sent loses
the buttons that no longer apply; a grouped one is redrawn."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.core import commands as c
from bot.core.duetime import resolve_due
from bot.core.errors import Conflict, NotAllowed, NotFound
from bot.core.guards import parse_id
from bot.core.messages import Message, Outgoing, Reply, Section
from bot.core.model import FollowUp, FollowUpStatus, Role
from bot.core.texts import clip
from bot.core.texts import followups as tx
from bot.core.zones import shown
from bot.handlers.context import Context
from bot.handlers.followups import reminder_key

SNOOZES = {"1d": (dt.timedelta(days=1), "1 day"), "1w": (dt.timedelta(weeks=1), "1 week")}


def _listed(section: Section) -> int | None:
    """The follow-up a section of a grouped reminder is about (its Done button says)."""
    for b in section.buttons:
        if b.action == "followup.done":
            return parse_id(b.value)
    return None


async def _load_own(ctx: Context, value: str) -> FollowUp:
    followup_id = parse_id(value)
    followup = (
        await ctx.uow.followups.get(ctx.workspace.id, followup_id)
        if followup_id is not None
        else None
    )
    if followup is None:
        raise NotFound(tx.no_such_followup(clip(value)))
    if followup.owner_id != ctx.actor.id and ctx.actor.role is Role.MEMBER:
        raise NotAllowed(tx.not_yours(followup.id))
    if followup.status is not FollowUpStatus.OPEN:
        raise Conflict(tx.closed_as(followup.id, followup.status.value))
    return followup


async def _grouped(ctx: Context, f: FollowUp) -> Message | None:
    """The DM listing `f` with others, if its buttons are in one, with every follow-up it
    lists locked until this transaction ends: two clicks in one DM take turns, so the
    second redraw shows the first's change."""
    if not f.reminder_key or not f.reminder_key.startswith("followups:"):
        return None
    message = await ctx.uow.outbox.message_of(f.reminder_key)
    if message is not None:
        ids = [i for i in map(_listed, message.sections) if i is not None]
        await ctx.uow.followups.by_ids(ctx.workspace.id, ids, lock=True)
    return message


async def _show_change(ctx: Context, f: FollowUp, grouped: Message | None, text: str) -> None:
    """Take the buttons off the reminder that carries them: a reminder of its own says
    `text`; a grouped one is redrawn, each follow-up it lists as it stands now."""
    if f.reminder_key is None:  # reminded before messages were keyed on the follow-up
        keys = [reminder_key(f, nudge=False), reminder_key(f, nudge=True)]
    elif grouped is None:
        keys = [f.reminder_key] if not f.reminder_key.startswith("followups:") else []
    else:
        await ctx.send(
            Outgoing(
                await _redrawn(ctx, grouped, f.reminder_key),
                update_key=f.reminder_key,
                description=f"follow-up #{f.id} changed in a grouped reminder",
                redraws_click=True,
            )
        )
        return
    for key in keys:
        await ctx.send(
            Outgoing(
                Message(text=text),
                update_key=key,
                description=f"follow-up #{f.id} buttons removed",
                redraws_click=True,
            )
        )


async def _redrawn(ctx: Context, message: Message, key: str) -> Message:
    ids = [i for i in map(_listed, message.sections) if i is not None]
    now = {g.id: g for g in await ctx.uow.followups.by_ids(ctx.workspace.id, ids)}
    owners = await ctx.uow.members.by_ids([g.owner_id for g in now.values()])
    sections = []
    for section in message.sections:
        g = now.get(_listed(section) or 0)
        state = _state(g, key, owners[g.owner_id].tz) if g is not None else None
        if state is not None:
            section = replace(section, lines=(*section.lines, state), buttons=())
        sections.append(section)
    return replace(message, sections=tuple(sections))


def _state(f: FollowUp, key: str, tz: str) -> str | None:
    """What became of a follow-up listed in a grouped reminder; None while its buttons
    there still apply."""
    if f.status is not FollowUpStatus.OPEN:
        return tx.state_after(f.status.value)
    if f.reminder_key != key:
        return tx.REMINDED_LATER
    if f.reminded_at is None:
        return tx.snoozed_until(shown(f.due_at, tz))
    return None


async def done(ctx: Context, action: c.Action) -> Reply:
    return await _finish(ctx, action.value)


async def finish(ctx: Context, cmd: c.FinishFollowUp) -> Reply:
    return await _finish(ctx, cmd.id)


async def _finish(ctx: Context, value: str) -> Reply:
    f = await _load_own(ctx, value)
    grouped = await _grouped(ctx, f)
    if not await ctx.uow.followups.update_open(
        f.id, status=FollowUpStatus.DONE.value, done_at=ctx.now
    ):
        raise Conflict(tx.closed(f.id))
    await _show_change(ctx, f, grouped, tx.done_in_reminder(f.customer))
    return Reply.private(tx.done(f.id, f.customer))


async def snooze(ctx: Context, action: c.Action) -> Reply:
    followup_id, _, span = action.value.partition(":")
    if span not in SNOOZES:
        raise NotFound(tx.not_a_snooze(clip(span)))
    f = await _load_own(ctx, followup_id)
    delta, label = SNOOZES[span]
    due = ctx.now + delta
    grouped = await _grouped(ctx, f)
    if not await ctx.uow.followups.update_open(
        f.id, due_at=due, snoozes=f.snoozes + 1, reminded_at=None, nudged_at=None
    ):
        raise Conflict(tx.closed(f.id))
    when = shown(due, ctx.actor.tz)
    await _show_change(ctx, f, grouped, tx.snoozed_in_reminder(label, f.customer, when))
    return Reply.private(tx.snoozed(f.id, f.customer, label, when))


async def cancel(ctx: Context, cmd: c.CancelFollowUp) -> Reply:
    f = await _load_own(ctx, cmd.id)
    grouped = await _grouped(ctx, f)
    if not await ctx.uow.followups.update_open(f.id, status=FollowUpStatus.CANCELLED.value):
        raise Conflict(tx.closed(f.id))
    await _show_change(ctx, f, grouped, tx.cancelled_in_reminder(f.customer))
    return Reply.private(tx.cancelled(f.id, f.customer))


async def move(ctx: Context, cmd: c.MoveFollowUp) -> Reply:
    f = await _load_own(ctx, cmd.id)
    due = resolve_due(cmd.when, ctx.now, ctx.actor.tz)
    grouped = await _grouped(ctx, f)
    if not await ctx.uow.followups.update_open(f.id, due_at=due, reminded_at=None, nudged_at=None):
        raise Conflict(tx.closed(f.id))
    when = shown(due, ctx.actor.tz)
    if f.reminded_at is not None:
        await _show_change(ctx, f, grouped, tx.moved_in_reminder(f.customer, when))
    return Reply.private(tx.moved(f.id, f.customer, when))


async def set_note(ctx: Context, cmd: c.NoteFollowUp) -> Reply:
    f = await _load_own(ctx, cmd.id)
    if not await ctx.uow.followups.update_open(f.id, note=cmd.note):
        raise Conflict(tx.closed(f.id))
    return Reply.private(tx.noted(f.id, f.customer, cmd.note))
