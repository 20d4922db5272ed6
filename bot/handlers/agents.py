"""Which colleague a helpdesk means (SPEC §9): `admin agent @bob <email or helpdesk id>`,
the list of those names, and the feedback no colleague matched yet (admins)."""

from __future__ import annotations

from bot.core import commands as c
from bot.core.feedback import shown_score
from bot.core.messages import Message, Reply
from bot.core.texts import admin as atx
from bot.core.texts import none_listed
from bot.core.texts import recovery as tx
from bot.core.zones import local
from bot.handlers.context import Context

LISTED = 20


async def set_agent(ctx: Context, cmd: c.SetAgent) -> Reply:
    member = await ctx.member(cmd.member)
    before = await ctx.uow.agents.alias(ctx.workspace.id, cmd.ref, member.id)
    was = (await ctx.uow.members.get(before)).name if before is not None else None
    matched = await ctx.uow.feedback.match(ctx.workspace.id, cmd.ref, member.id)
    return Reply.private(tx.agent_set(cmd.ref, member.name, matched, was))


async def forget_agent(ctx: Context, cmd: c.ForgetAgent) -> Reply:
    if not await ctx.uow.agents.forget(ctx.workspace.id, cmd.ref):
        return Reply.private(tx.agent_unknown(cmd.ref))
    return Reply.private(tx.agent_forgotten(cmd.ref))


async def list_agents(ctx: Context, cmd: c.ListAgents) -> Reply:
    if cmd.member is not None:
        member = await ctx.member(cmd.member)
        names = await ctx.uow.agents.aliases(ctx.workspace.id, member.id)
        return Reply.private(tx.agents_of(member.name, names))
    return await unmatched(ctx)


async def unmatched(ctx: Context) -> Reply:
    found = await ctx.uow.feedback.unmatched(ctx.workspace.id, LISTED)
    if not found:
        return Reply.private(none_listed(tx.UNMATCHED_TITLE))
    lines = [
        tx.unmatched_line(
            f.id,
            f"{local(f.given_at, ctx.actor.tz):%d %b}",
            f.customer,
            shown_score(f.scale, f.score),
            f.agent_ref or "",
        )
        for f in found
    ]
    return Reply(
        Message(title=tx.UNMATCHED_TITLE, text="\n".join(lines), footer=tx.unmatched_hint())
    )


async def set_recovery_sla(ctx: Context, cmd: c.SetRecoverySla) -> Reply:
    ctx.workspace.recovery_sla_minutes = cmd.minutes
    await ctx.uow.workspaces.save(ctx.workspace)
    return Reply.private(atx.recovery_sla_set(cmd.minutes))


async def set_recovery_followup(ctx: Context, cmd: c.SetFollowUpAfterRecovery) -> Reply:
    ctx.workspace.recovery_followup_days = cmd.days
    await ctx.uow.workspaces.save(ctx.workspace)
    return Reply.private(atx.recovery_followup_set(cmd.days))
