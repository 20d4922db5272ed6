"""Customer feedback (SPEC §9): typed ratings recorded; praise with a comment goes to the
wall with a "Make it a hero moment" button, and the colleague it is about gets a DM."""

from __future__ import annotations

from bot.core import commands as c
from bot.core.errors import NotAllowed, NotFound
from bot.core.feedback import shown_score
from bot.core.guards import parse_id
from bot.core.messages import Message, Reply
from bot.core.model import Feedback
from bot.core.texts import clip, none_listed
from bot.core.texts import feedback as tx
from bot.core.texts import recovery as rtx
from bot.core.zones import local, shown
from bot.handlers.agents import unmatched
from bot.handlers.context import Context
from bot.handlers.feedback_intake import take_in
from bot.handlers.hero import hero_form

LISTED = 20


async def record_feedback(ctx: Context, cmd: c.RecordFeedback) -> Reply:
    agent = await ctx.member(cmd.agent) if cmd.agent else None
    taken = await take_in(
        ctx,
        Feedback(
            id=0,
            workspace_id=ctx.workspace.id,
            customer=cmd.customer,
            scale=cmd.scale,
            score=cmd.score,
            comment=cmd.comment,
            agent_id=agent.id if agent else None,
            source="typed",
            given_at=ctx.now,
            created_at=ctx.now,
            by_id=ctx.actor.id,
        ),
        ctx.channel,
    )
    feedback = taken.feedback
    score = shown_score(feedback.scale, feedback.score)
    text = tx.recorded(feedback.id, feedback.customer, score, agent.name if agent else None)
    if agent is not None and taken.praised:
        text += tx.PRAISE_POSTED.format(agent=agent.name)
    if taken.opened is not None:
        text += rtx.case_opened(taken.opened.id, shown(taken.opened.due_at, ctx.actor.tz))
    elif taken.followed is not None:
        text += rtx.case_followed(taken.followed.id)
    return Reply.private(text)


async def make_hero(ctx: Context, action: c.Action) -> Reply:
    """The hero form, filled with the agent, the customer and their words."""
    feedback_id = parse_id(action.value)
    found = await ctx.uow.feedback.get(ctx.workspace.id, feedback_id) if feedback_id else None
    if found is None or found.agent_id is None:
        raise NotFound(tx.no_such_feedback(clip(action.value)))
    if found.agent_id == ctx.actor.id:
        raise NotAllowed(tx.NOT_YOURSELF)
    agent = await ctx.uow.members.get(found.agent_id)
    values = await ctx.uow.values.list(ctx.workspace.id)
    story = tx.hero_story(found.customer, found.comment or "")
    filled = {"nominees": agent.user_id, "story": story, "customer": found.customer}
    return hero_form(ctx, values, filled, tx.hero_typed(agent.name, story))


async def list_feedback(ctx: Context, cmd: c.ListFeedback) -> Reply:
    if cmd.scope == "unmatched":
        await ctx.require_admin()
        return await unmatched(ctx)
    title = tx.LISTS[cmd.scope]
    found = await ctx.uow.feedback.recent(ctx.workspace.id, cmd.scope, LISTED)
    if not found:
        return Reply.private(none_listed(title))
    names = await ctx.names(f.agent_id for f in found if f.agent_id is not None)
    lines = [
        tx.feedback_line(
            f.id,
            f"{local(f.given_at, ctx.actor.tz):%d %b}",
            f.customer,
            shown_score(f.scale, f.score),
            names.get(f.agent_id) if f.agent_id is not None else None,
            f.comment,
        )
        for f in found
    ]
    return Reply(Message(title=title, text="\n".join(lines)))
