"""Follow-ups: create in the owner's zone, list, and the reminder DMs (changing one is in
`followup_changes`)."""

from __future__ import annotations

import datetime as dt

from bot.core import commands as c
from bot.core.duetime import resolve_due
from bot.core.messages import Button, Destination, Field, Message, Outgoing, Reply, Section
from bot.core.model import FollowUp, FollowUpStatus, Member
from bot.core.zones import shown
from bot.handlers.context import Context


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


# Reminders listed in one DM, and the characters of their customers and notes: Slack allows
# 50 blocks, Teams about 28 KB an activity (a note of 1,000 non-Latin characters is 6 KB
# once JSON escapes it, and each follow-up's three buttons 1 KB more).
GROUP_AT_MOST, GROUP_TEXT_AT_MOST = 10, 2_000


def reminder_key(f: FollowUp, *, nudge: bool) -> str:
    return f"followup:{f.id}:{'nudge' if nudge else 'remind'}:{f.reminders}"


def _origin(f: FollowUp) -> str:
    return f"from gift #{f.gift_id}" if f.origin == "gift" else "added by you"


def _buttons(f: FollowUp) -> tuple[Button, ...]:
    return (
        Button("Done", "followup.done", str(f.id), "primary"),
        Button("Snooze 1 day", "followup.snooze", f"{f.id}:1d"),
        Button("Snooze 1 week", "followup.snooze", f"{f.id}:1w"),
    )


def reminder(f: FollowUp, owner: Member, *, nudge: bool) -> Outgoing:
    fields = [
        Field("Customer", f.customer),
        Field("Due", shown(f.due_at, owner.tz)),
        Field("Origin", _origin(f)),
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
        Message(title=title, text=text, fields=tuple(fields), buttons=_buttons(f)),
        Destination.to_member(owner.id),
        key=reminder_key(f, nudge=nudge),
        description=f"follow-up #{f.id} {'nudge' if nudge else 'reminder'} to {owner.name}",
    )


def reminders(
    due: list[tuple[FollowUp, bool]], owner: Member
) -> list[tuple[Outgoing, list[FollowUp]]]:
    """What falls due together for one owner, given as (follow-up, is a nudge) pairs: a
    reminder of its own, or DMs listing up to GROUP_AT_MOST each, every follow-up with its
    own buttons; each message with the follow-ups it carries. A message's key names its
    first follow-up and that one's reminder, so it is queued once whoever claims it."""
    if len(due) == 1:
        f, nudge = due[0]
        return [(reminder(f, owner, nudge=nudge), [f])]
    parts: list[list[tuple[FollowUp, bool]]] = [[]]
    text = 0
    for f, nudge in due:
        size = len(f.customer) + len(f.note or "")
        if parts[-1] and (len(parts[-1]) == GROUP_AT_MOST or text + size > GROUP_TEXT_AT_MOST):
            parts.append([])
            text = 0
        parts[-1].append((f, nudge))
        text += size
    out = []
    for n, part in enumerate(parts, 1):
        first, nudge = part[0]
        of = f" ({n} of {len(parts)})" if len(parts) > 1 else ""
        message = Message(
            title=f"{len(due)} follow-ups to do{of}",
            text="Time to check in with these customers.",
            sections=tuple(_section(f, owner, nudge=nudge) for f, nudge in part),
        )
        outgoing = Outgoing(
            message,
            Destination.to_member(owner.id),
            key=f"followups:{first.id}:{'nudge' if nudge else 'remind'}:{first.reminders}",
            description=f"{len(part)} follow-up reminders to {owner.name}",
        )
        out.append((outgoing, [f for f, _ in part]))
    return out


def _section(f: FollowUp, owner: Member, *, nudge: bool) -> Section:
    title = f"Still to do: {f.customer}" if nudge else f"Follow up with {f.customer}"
    lines = [f"Note: {f.note}"] if f.note else []
    lines += [f"Due: {shown(f.due_at, owner.tz)}", f"Origin: {_origin(f)}"]
    return Section(f"#{f.id} {title}", tuple(lines), _buttons(f))
