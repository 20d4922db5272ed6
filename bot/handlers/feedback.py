"""Customer feedback (SPEC §9): typed ratings recorded; praise with a comment goes to the
wall with a "Make it a hero moment" button, and the colleague it is about gets a DM."""

from __future__ import annotations

from bot.core import commands as c
from bot.core.errors import NotAllowed, NotFound
from bot.core.feedback import shown_score, verdict
from bot.core.guards import parse_id
from bot.core.messages import Button, Destination, Message, Outgoing, Reply
from bot.core.model import Feedback, Member
from bot.core.texts import clip, none_listed
from bot.core.texts import feedback as tx
from bot.core.zones import local
from bot.handlers.context import Context
from bot.handlers.hero import hero_form

LISTED = 20


async def record_feedback(ctx: Context, cmd: c.RecordFeedback) -> Reply:
    agent = await ctx.member(cmd.agent) if cmd.agent else None
    feedback = await ctx.uow.feedback.add(
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
        )
    )
    score = shown_score(feedback.scale, feedback.score)
    text = tx.recorded(feedback.id, feedback.customer, score, agent.name if agent else None)
    if agent is not None and await _praise(ctx, feedback, agent):
        text += tx.PRAISE_POSTED.format(agent=agent.name)
    return Reply.private(text)


async def _praise(ctx: Context, feedback: Feedback, agent: Member) -> bool:
    """Praise with a comment: the wall, with its button, and a DM to the agent. Praise
    without a comment is only counted."""
    if verdict(feedback.scale, feedback.score) != "praise" or not feedback.comment:
        return False
    score = shown_score(feedback.scale, feedback.score)
    await ctx.send(
        Outgoing(
            Message(
                title=tx.praise_title(feedback.customer, agent.name),
                text=feedback.comment,
                footer=score,
                buttons=(Button(tx.MAKE_HERO, "feedback.hero", str(feedback.id), "primary"),),
            ),
            Destination.to_channel(ctx.workspace.wall_channel or ctx.channel),
            key=f"feedback:{feedback.id}:wall",
            description=f"praise #{feedback.id} on the wall",
        )
    )
    await ctx.send(
        Outgoing(
            Message(title=tx.praise_dm(feedback.customer, score), text=feedback.comment),
            Destination.to_member(agent.id),
            description=f"praise #{feedback.id} to {agent.name}",
        )
    )
    return True


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
