"""Every rating comes in here, typed, pushed or polled (SPEC §9): its agent matched to a
member, saved once per helpdesk ticket, linked to the customer's earlier recovery case;
praise with words goes to the wall, a poor score opens a case."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.feedback import shown_score, verdict
from bot.core.messages import Button, Destination, Message, Outgoing
from bot.core.model import Feedback, Member
from bot.core.recovery import CaseStatus, RecoveryCase
from bot.core.texts import feedback as tx
from bot.core.texts import recovery as rtx
from bot.handlers.context import Scene
from bot.handlers.recovery_cases import case_changed, follow_case, open_case


@dataclass(frozen=True)
class Intake:
    feedback: Feedback
    agent: Member | None
    replaced: Feedback | None  # the earlier rating of the same ticket, if any
    praised: bool  # posted to the wall now
    opened: RecoveryCase | None  # the case it opened
    followed: RecoveryCase | None  # the earlier case of the customer it follows


async def find_agent(scene: Scene, ref: str) -> Member | None:
    """The member a helpdesk means: a name set with `admin agent`, the email of their
    platform profile, or their platform id."""
    uow, ws = scene.uow, scene.workspace
    member_id = await uow.agents.member_for(ws.id, ref)
    if member_id is not None:
        return await uow.members.get(member_id)
    if "@" in ref:
        found = await uow.members.by_email(ws.id, ref)
        if found is not None:
            return found
        user_id = await scene.directory.user_by_email(ws, ref)
        return await scene.member(user_id) if user_id else None
    return await uow.members.by_user(ws.id, ref)


def _posts_praise(f: Feedback | None) -> bool:
    return (
        f is not None
        and f.agent_id is not None
        and bool(f.comment)
        and verdict(f.scale, f.score) == "praise"
    )


async def take_in(scene: Scene, feedback: Feedback, here: str | None) -> Intake:
    """Save a rating and act on it. `here` is where it was typed, if it was."""
    uow, ws, now = scene.uow, scene.workspace, scene.now
    if feedback.agent_id is None and feedback.agent_ref:
        agent = await find_agent(scene, feedback.agent_ref)
        if agent is not None:
            feedback.agent_id, feedback.agent_ref = agent.id, None
    saved, before = await uow.feedback.save(feedback)
    agent = await uow.members.get(saved.agent_id) if saved.agent_id is not None else None
    own = await uow.recoveries.for_feedback(saved.id) if before else None
    followed = None
    if before is None:
        followed = await follow_case(uow, ws, saved, now, scene.send)
    elif own is not None and (before.scale, before.score) != (saved.scale, saved.score):
        said = rtx.rating_changed(
            saved.customer,
            shown_score(before.scale, before.score),
            shown_score(saved.scale, saved.score),
        )
        for outgoing in await case_changed(uow, ws, own, now, Message(text=said)):
            await scene.send(outgoing)
    praised = False
    if agent is not None and _posts_praise(saved) and not _posts_praise(before):
        await praise(scene, saved, agent, here)
        praised = True
    opened = None
    poor = verdict(saved.scale, saved.score) == "recovery"
    still_open = followed is not None and followed.status is not CaseStatus.RESOLVED
    if poor and own is None and not still_open:
        opened = await open_case(uow, ws, saved, now, here, scene.send)
    return Intake(saved, agent, before, praised, opened, followed)


async def praise(scene: Scene, feedback: Feedback, agent: Member, here: str | None) -> None:
    """Praise with a comment: the wall, with its button, and a DM to the agent."""
    score = shown_score(feedback.scale, feedback.score)
    wall = scene.workspace.wall_channel or here
    if wall:
        await scene.send(
            Outgoing(
                Message(
                    title=tx.praise_title(feedback.customer, agent.name),
                    text=feedback.comment or "",
                    footer=score,
                    buttons=(Button(tx.MAKE_HERO, "feedback.hero", str(feedback.id), "primary"),),
                ),
                Destination.to_channel(wall),
                key=f"feedback:{feedback.id}:wall",
                description=f"praise #{feedback.id} on the wall",
            )
        )
    await scene.send(
        Outgoing(
            Message(title=tx.praise_dm(feedback.customer, score), text=feedback.comment or ""),
            Destination.to_member(agent.id),
            description=f"praise #{feedback.id} to {agent.name}",
        )
    )
