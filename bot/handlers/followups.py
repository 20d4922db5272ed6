"""Follow-ups: create in the owner's zone, list, remind by DM, Done and Snooze."""

from __future__ import annotations

import datetime as dt

from bot.core import commands as c
from bot.core.duetime import resolve_due
from bot.core.errors import Conflict, NotAllowed, NotFound
from bot.core.guards import parse_id
from bot.core.messages import Button, Destination, Field, Message, Outgoing, Reply
from bot.core.model import FollowUp, FollowUpStatus, Member, Role
from bot.core.texts import clip
from bot.core.zones import shown
from bot.handlers.context import Context

SNOOZES = {"1d": (dt.timedelta(days=1), "1 day"), "1w": (dt.timedelta(weeks=1), "1 week")}


async def add_followup(ctx: Context, cmd: c.AddFollowUp) -> Reply:
    due = resolve_due(cmd.when, ctx.now, ctx.actor.tz)
    followup = await ctx.uow.followups.add(
        FollowUp(
            id=0,
            workspace_id=ctx.workspace.id,
            owner_id=ctx.actor.id,
            customer=cmd.customer,
            note=cmd.note,
            due_at=due,
            status=FollowUpStatus.OPEN,
            origin="manual",
            created_at=ctx.now,
        )
    )
    note = f": {cmd.note}" if cmd.note else ""
    return Reply.private(
        f"Follow-up #{followup.id} with {cmd.customer} on {shown(due, ctx.actor.tz)}{note}. "
        "I'll remind you by DM."
    )


def line(f: FollowUp, owner: Member, tz: str, now: dt.datetime, with_owner: bool) -> str:
    late = " (overdue)" if f.due_at <= now else ""
    who = f"{owner.name}: " if with_owner else ""
    note = f": {f.note}" if f.note else ""
    return f"#{f.id} {who}{f.customer} on {shown(f.due_at, tz)}{late}{note}"


async def list_followups(ctx: Context, cmd: c.ListFollowUps) -> Reply:
    owner_id = ctx.actor.id if cmd.scope == "mine" else None
    due_before = ctx.now if cmd.scope == "overdue" else None
    found = await ctx.uow.followups.open(ctx.workspace.id, owner_id=owner_id, due_before=due_before)
    title = {
        "mine": "Your open follow-ups",
        "team": "The team's open follow-ups",
        "overdue": "Overdue follow-ups",
    }[cmd.scope]
    if not found:
        return Reply.private(f"{title}: none.")
    owners = await ctx.uow.members.by_ids([f.owner_id for f in found])
    lines = [
        line(f, owners[f.owner_id], ctx.actor.tz, ctx.now, cmd.scope != "mine") for f in found[:50]
    ]
    return Reply(Message(title=title, text="\n".join(lines)))


def reminder(f: FollowUp, owner: Member, *, nudge: bool) -> Outgoing:
    origin = f"from gift #{f.gift_id}" if f.origin == "gift" else "added by you"
    fields = [
        Field("Customer", f.customer),
        Field("Due", shown(f.due_at, owner.tz)),
        Field("Origin", origin),
    ]
    if f.note:
        fields.insert(1, Field("Note", f.note))
    title = (
        f"Still to do: follow up with {f.customer}"
        if nudge
        else f"Time to follow up with {f.customer}"
    )
    text = f"Check in with {f.customer}: {f.note}" if f.note else f"Check in with {f.customer}."
    return Outgoing(
        Message(
            title=title,
            text=text,
            fields=tuple(fields),
            buttons=(
                Button("Done", "followup.done", str(f.id), "primary"),
                Button("Snooze 1 day", "followup.snooze", f"{f.id}:1d"),
                Button("Snooze 1 week", "followup.snooze", f"{f.id}:1w"),
            ),
        ),
        Destination.to_member(owner.id),
        key=f"followup:{f.id}:{'nudge' if nudge else 'remind'}:{f.reminders}",
        description=f"follow-up #{f.id} {'nudge' if nudge else 'reminder'} to {owner.name}",
    )


async def _load_own(ctx: Context, value: str) -> FollowUp:
    followup_id = parse_id(value)
    followup = (
        await ctx.uow.followups.get(ctx.workspace.id, followup_id)
        if followup_id is not None
        else None
    )
    if followup is None:
        raise NotFound(f"Follow-up #{clip(value)} doesn't exist in this workspace.")
    if followup.owner_id != ctx.actor.id and ctx.actor.role is not Role.ADMIN:
        raise NotAllowed("Only the owner of this follow-up can change it.")
    if followup.status is not FollowUpStatus.OPEN:
        raise Conflict(f"Follow-up #{followup.id} is {followup.status.value} already.")
    return followup


async def _close_buttons(ctx: Context, f: FollowUp, text: str) -> None:
    for kind in ("remind", "nudge"):
        await ctx.send(
            Outgoing(
                Message(text=text),
                update_key=f"followup:{f.id}:{kind}:{f.reminders}",
                description=f"follow-up #{f.id} buttons removed",
            )
        )


async def done(ctx: Context, action: c.Action) -> Reply:
    f = await _load_own(ctx, action.value)
    if not await ctx.uow.followups.update_open(
        f.id, status=FollowUpStatus.DONE.value, done_at=ctx.now
    ):
        raise Conflict(f"Follow-up #{f.id} is closed already.")
    await _close_buttons(ctx, f, f"Followed up with {f.customer}. Done.")
    return Reply.private(f"Follow-up #{f.id} with {f.customer} is done. Nice work!")


async def snooze(ctx: Context, action: c.Action) -> Reply:
    followup_id, _, span = action.value.partition(":")
    if span not in SNOOZES:
        raise NotFound(f'"{span}" is not a snooze length.')
    f = await _load_own(ctx, followup_id)
    delta, label = SNOOZES[span]
    due = ctx.now + delta
    if not await ctx.uow.followups.update_open(
        f.id, due_at=due, snoozes=f.snoozes + 1, reminded_at=None, nudged_at=None
    ):
        raise Conflict(f"Follow-up #{f.id} is closed already.")
    await _close_buttons(ctx, f, f"Snoozed {label}: {f.customer} on {shown(due, ctx.actor.tz)}.")
    return Reply.private(
        f"Snoozed follow-up #{f.id} with {f.customer} by {label}: now due "
        f"{shown(due, ctx.actor.tz)}."
    )
