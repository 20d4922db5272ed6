"""Admin commands: roles, channels, values, budget, SLA, follow-up delay, KPI definitions."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.core import commands as c
from bot.core.errors import Conflict, NotFound, UsageError
from bot.core.messages import Reply
from bot.core.model import GiftStatus, Role
from bot.core.texts import admin as tx
from bot.core.tokens import channel_ref
from bot.core.zones import month_bounds
from bot.handlers.context import Context
from bot.handlers.format import money
from bot.handlers.hero import find_value
from bot.handlers.recovery_cases import post_waiting


async def set_role(ctx: Context, cmd: c.SetRole) -> Reply:
    people = await ctx.members(cmd.members)
    target = Role(cmd.role)
    changed = []
    for person in people:
        if cmd.add:
            if person.role is target or (person.role is Role.ADMIN and target is Role.MANAGER):
                continue  # nothing to change: admins can decide already
            person.role = target
        else:
            if person.role is not target:
                continue
            if target is Role.ADMIN:
                admins = await ctx.uow.members.with_roles(ctx.workspace.id, [Role.ADMIN])
                if len(admins) <= 1:
                    raise Conflict(tx.last_admin(person.name))
            person.role = Role.MEMBER
        await ctx.uow.members.save(person)
        changed.append(person.name)
    if not changed:
        names = [p.name for p in people]
        return Reply.private(tx.role_unchanged(names, cmd.role, adding=cmd.add))
    return Reply.private(tx.role_changed(changed, cmd.role, adding=cmd.add))


async def set_channel(ctx: Context, cmd: c.SetChannel) -> Reply:
    channel = cmd.channel or ctx.channel
    if cmd.which == "wall":
        ctx.workspace.wall_channel = channel
    elif cmd.which == "recovery":
        ctx.workspace.recovery_channel = channel
    else:
        ctx.workspace.gifts_channel = channel
    await ctx.uow.workspaces.save(ctx.workspace)
    waiting = await post_waiting(ctx.uow, ctx.workspace, ctx.now, ctx.send)
    return Reply.private(tx.channel_set(tx.CHANNEL_FOR[cmd.which], channel_ref(channel), waiting))


async def list_roles(ctx: Context, cmd: c.ListRoles) -> Reply:
    people = await ctx.uow.members.with_roles(ctx.workspace.id, [Role.MANAGER, Role.ADMIN])
    names = {
        role: ", ".join(sorted((m.name for m in people if m.role is role), key=str.casefold))
        for role in (Role.MANAGER, Role.ADMIN)
    }
    return Reply.private(tx.roles(names[Role.MANAGER], names[Role.ADMIN]))


def slugify(name: str) -> str:
    """A value's slug in any script: `Yhteisöllisyys` → `yhteisöllisyys`, `Own It!` → `own-it`."""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-")[:50]


async def add_value(ctx: Context, cmd: c.AddValue) -> Reply:
    values = await ctx.uow.values.list(ctx.workspace.id)
    slug = cmd.slug or slugify(cmd.name)
    if not slug:
        raise UsageError(tx.NO_SLUG)
    if find_value(values, cmd.name) or any(v.slug == slug for v in values):
        raise Conflict(tx.value_exists(cmd.name, slug))
    value = await ctx.uow.values.add(ctx.workspace.id, cmd.name, slug)
    return Reply.private(tx.value_added(value.name, value.slug))


async def remove_value(ctx: Context, cmd: c.RemoveValue) -> Reply:
    values = await ctx.uow.values.list(ctx.workspace.id)
    value = find_value(values, cmd.name)
    if value is None:
        known = ", ".join(f"#{v.slug}" for v in values)
        raise NotFound(tx.no_such_value(cmd.name, known))
    await ctx.uow.values.remove(value.id)
    return Reply.private(tx.value_removed(value.name, value.slug))


async def set_budget(ctx: Context, cmd: c.SetBudget) -> Reply:
    ws = ctx.workspace
    before, had_budget = ws.currency, ws.budget is not None
    ws.budget, ws.currency = cmd.amount, cmd.currency
    await ctx.uow.workspaces.save(ws)
    answer = tx.budget_set(money(cmd.amount, cmd.currency))
    if before != cmd.currency:
        answer += await _currency_change(ctx, before, cmd.currency, had_budget=had_budget)
    return Reply.private(answer)


async def _currency_change(ctx: Context, before: str, after: str, *, had_budget: bool) -> str:
    """What a new budget currency means for this month: gifts approved in the old one are
    not counted against it, and proposals in the old one can no longer be approved."""
    ws = ctx.workspace
    spent = await ctx.uow.gifts.spend(ws.id, *month_bounds(ctx.now, ws.timezone), before)
    pending = [
        g
        for g in await ctx.uow.gifts.search(ws.id, statuses=[GiftStatus.PROPOSED], limit=500)
        if g.currency == before
    ]
    if not (had_budget or spent or pending):
        return ""  # nothing was counted in the old currency
    notes = [tx.counted_in(after, before)]
    if spent:
        notes.append(tx.old_spend(money(spent, before), before, after, money(Decimal(0), after)))
    if pending:
        ids = ", ".join(f"#{g.id}" for g in pending[:10])
        notes.append(tx.old_proposals(len(pending), before, ids, after))
    return "".join(notes)


async def set_sla(ctx: Context, cmd: c.SetSla) -> Reply:
    ctx.workspace.sla_hours = cmd.hours
    await ctx.uow.workspaces.save(ctx.workspace)
    return Reply.private(tx.sla_set(cmd.hours))


async def set_followup_days(ctx: Context, cmd: c.SetFollowUpAfterGift) -> Reply:
    ctx.workspace.followup_days = cmd.days
    await ctx.uow.workspaces.save(ctx.workspace)
    return Reply.private(tx.followup_days_set(cmd.days))
