"""Follow-ups: create in the owner's zone, list, and the reminder DMs (changing one is in
`followup_changes`)."""

from __future__ import annotations

import datetime as dt

from bot.core import commands as c
from bot.core.duetime import resolve_due
from bot.core.messages import Button, Destination, Field, Message, Outgoing, Reply, Section
from bot.core.model import FollowUp, FollowUpStatus, Member
from bot.core.texts import followups as tx
from bot.core.texts import none_listed
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
    return Reply.private(tx.added(followup.id, cmd.customer, shown(due, ctx.actor.tz), cmd.note))


def line(f: FollowUp, owner: Member, tz: str, now: dt.datetime, with_owner: bool) -> str:
    who = owner.name if with_owner else None
    return tx.listed(f.id, who, f.customer, shown(f.due_at, tz), f.due_at <= now, f.note)


async def list_followups(ctx: Context, cmd: c.ListFollowUps) -> Reply:
    owner_id = ctx.actor.id if cmd.scope == "mine" else None
    due_before = ctx.now if cmd.scope == "overdue" else None
    found = await ctx.uow.followups.open(ctx.workspace.id, owner_id=owner_id, due_before=due_before)
    title = tx.LISTS[cmd.scope]
    if not found:
        return Reply.private(none_listed(title))
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
    return tx.origin(f.gift_id if f.origin == "gift" else None, f.case_id)


def _buttons(f: FollowUp) -> tuple[Button, ...]:
    return (
        Button(tx.DONE, "followup.done", str(f.id), "primary"),
        Button(tx.SNOOZE_DAY, "followup.snooze", f"{f.id}:1d"),
        Button(tx.SNOOZE_WEEK, "followup.snooze", f"{f.id}:1w"),
    )


def reminder(f: FollowUp, owner: Member, *, nudge: bool) -> Outgoing:
    label = tx.FIELDS
    fields = [
        Field(label["customer"], f.customer),
        Field(label["due"], shown(f.due_at, owner.tz)),
        Field(label["origin"], _origin(f)),
    ]
    if f.note:
        fields.insert(1, Field(label["note"], f.note))
    title = tx.reminder_title(f.customer, nudge=nudge)
    text = tx.check_in(f.customer, f.note)
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
        message = Message(
            title=tx.grouped_title(len(due), n, len(parts)),
            text=tx.GROUPED_TEXT,
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
    label = tx.FIELDS
    lines = [tx.field_line(label["note"], f.note)] if f.note else []
    lines += [
        tx.field_line(label["due"], shown(f.due_at, owner.tz)),
        tx.field_line(label["origin"], _origin(f)),
    ]
    return Section(tx.section_title(f.id, f.customer, nudge=nudge), tuple(lines), _buttons(f))
