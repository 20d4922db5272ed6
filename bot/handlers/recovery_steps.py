"""The steps of a service recovery case, by button or typed (SPEC §9): Take it, Contacted,
Resolved (outcome and note; a follow-up N days later), Propose a WOW gift. Each step is a
conditional update: two people clicking at once make one owner."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from bot.core import commands as c
from bot.core.duetime import DEFAULT_TIME
from bot.core.errors import Conflict, NotAllowed, NotFound, UsageError
from bot.core.feedback import shown_score
from bot.core.guards import parse_id
from bot.core.limits import LIMITS
from bot.core.messages import Form, Input, Message, Reply
from bot.core.model import FollowUp, FollowUpStatus, Member, Role
from bot.core.recovery import BEFORE_CONTACT, UNRESOLVED, CaseStatus, RecoveryCase
from bot.core.texts import clip, none_listed, too_long
from bot.core.texts import recovery as tx
from bot.core.zones import at_local, local, shown
from bot.handlers.context import Context
from bot.handlers.format import ticked
from bot.handlers.recovery_cases import case_changed

LISTED = 20


async def load_case(ctx: Context, value: str) -> RecoveryCase:
    case_id = parse_id(value)
    case = await ctx.uow.recoveries.get(ctx.workspace.id, case_id) if case_id else None
    if case is None:
        raise NotFound(tx.no_such_case(clip(value)))
    return case


async def _owner_name(ctx: Context, case: RecoveryCase) -> str:
    return (await ctx.uow.members.get(case.owner_id)).name if case.owner_id else tx.NOBODY


async def _may_move(ctx: Context, case: RecoveryCase) -> int | Literal["any"] | None:
    """Whether the actor may move the case on: its owner, an admin, or (while nobody owns
    it) a manager, who then owns it. The owner the update expects to find."""
    if case.status is CaseStatus.RESOLVED:
        raise Conflict(tx.resolved_already(case.id))
    if case.owner_id is None:
        if not ctx.actor.role.can_decide:
            raise NotAllowed(tx.ONLY_MANAGERS_TAKE)
        return None
    if case.owner_id != ctx.actor.id and ctx.actor.role is not Role.ADMIN:
        raise NotAllowed(tx.someone_elses(case.id, await _owner_name(ctx, case)))
    return case.owner_id


async def _moved(ctx: Context, case: RecoveryCase, said: str, *, clicked: bool) -> RecoveryCase:
    """After a step: the case read again, and its root, ask and thread told."""
    fresh = await load_case(ctx, str(case.id))
    for outgoing in await case_changed(
        ctx.uow, ctx.workspace, fresh, ctx.now, Message(text=said), clicked=clicked
    ):
        await ctx.send(outgoing)
    return fresh


async def _lost(ctx: Context, case_id: int) -> None:
    """A step that did not happen because someone else's came first: say whose."""
    case = await load_case(ctx, str(case_id))
    if case.status is CaseStatus.RESOLVED:
        raise Conflict(tx.resolved_already(case.id))
    if case.status is CaseStatus.CONTACTED:
        raise Conflict(tx.contacted_already(case.id))
    raise Conflict(tx.taken_already(case.id, await _owner_name(ctx, case)))


async def take(ctx: Context, value: str, *, clicked: bool = False) -> Reply:
    case = await load_case(ctx, value)
    if not ctx.actor.role.can_decide:
        raise NotAllowed(tx.ONLY_MANAGERS_TAKE)
    if case.status is not CaseStatus.OPEN:
        await _lost(ctx, case.id)
    if not await ctx.uow.recoveries.step(
        case.id,
        (CaseStatus.OPEN,),
        None,
        status=CaseStatus.TAKEN,
        owner_id=ctx.actor.id,
        taken_at=ctx.now,
    ):
        await _lost(ctx, case.id)
    await _moved(ctx, case, tx.took(ctx.actor.name), clicked=clicked)
    return Reply.private(tx.you_took(case.id, case.customer, shown(case.due_at, ctx.actor.tz)))


async def contacted(ctx: Context, value: str, *, clicked: bool = False) -> Reply:
    case = await load_case(ctx, value)
    owner = await _may_move(ctx, case)
    if case.status is CaseStatus.CONTACTED:
        raise Conflict(tx.contacted_already(case.id))
    if not await ctx.uow.recoveries.step(
        case.id,
        BEFORE_CONTACT,
        owner,
        status=CaseStatus.CONTACTED,
        owner_id=case.owner_id or ctx.actor.id,
        taken_at=case.taken_at or ctx.now,
        contacted_at=ctx.now,
    ):
        await _lost(ctx, case.id)
    await _moved(ctx, case, tx.contacted(ctx.actor.name, case.customer), clicked=clicked)
    return Reply.private(tx.you_contacted(case.id, case.customer))


def resolve_form(case: RecoveryCase) -> Reply:
    return Reply(
        Message(
            text=tx.resolve_question(case.id, case.customer),
            form=Form(
                title=tx.resolve_title(case.id, case.customer),
                action="case.resolve",
                value=str(case.id),
                inputs=(
                    Input("recovered", tx.RECOVERED_LABEL, "toggle", required=False),
                    Input("note", tx.NOTE_LABEL, "multiline", max_length=LIMITS["outcome note"]),
                ),
                submit_label=tx.RESOLVE_SUBMIT,
                typed_hint=tx.resolve_typed(case.id),
            ),
        )
    )


async def resolve(ctx: Context, value: str, outcome: str | None, note: str | None) -> Reply:
    """Without an outcome (the button), the form that asks for it."""
    case = await load_case(ctx, value)
    owner = await _may_move(ctx, case)
    if outcome is None:
        return resolve_form(case)
    note = (note or "").strip()
    if not note:
        raise UsageError(tx.NO_NOTE)
    if len(note) > LIMITS["outcome note"]:
        raise UsageError(too_long("outcome note", len(note)))
    owner_id = case.owner_id or ctx.actor.id
    if not await ctx.uow.recoveries.step(
        case.id,
        UNRESOLVED,
        owner,
        status=CaseStatus.RESOLVED,
        owner_id=owner_id,
        taken_at=case.taken_at or ctx.now,
        contacted_at=case.contacted_at or ctx.now,  # settled with them: they were reached
        outcome=outcome,
        note=note,
        resolved_at=ctx.now,
    ):
        await _lost(ctx, case.id)
    holder = await ctx.uow.members.get(owner_id)
    followup = await _check_later(ctx, case, holder)
    day = f"{local(followup.due_at, holder.tz):%a %d %b}"
    said = tx.resolved(ctx.actor.name, outcome, note) + tx.checks_back(holder.name, day)
    await _moved(ctx, case, said, clicked=True)
    due = shown(followup.due_at, holder.tz)
    if holder.id != ctx.actor.id:
        return Reply.private(tx.resolved_for(case.id, holder.name, due))
    return Reply.private(tx.you_resolved(case.id, followup.id, case.customer, due))


async def _check_later(ctx: Context, case: RecoveryCase, owner: Member) -> FollowUp:
    """The owner's follow-up, N days on at 09:00 their time: is the customer happy now?"""
    day = local(ctx.now, owner.tz).date() + dt.timedelta(days=ctx.workspace.recovery_followup_days)
    return await ctx.uow.followups.add(
        FollowUp(
            id=0,
            workspace_id=ctx.workspace.id,
            owner_id=owner.id,
            customer=case.customer,
            note=tx.check_happy(case.id),
            due_at=at_local(day, DEFAULT_TIME, owner.tz),
            status=FollowUpStatus.OPEN,
            origin="recovery",
            created_at=ctx.now,
            case_id=case.id,
        )
    )


async def take_button(ctx: Context, action: c.Action) -> Reply:
    return await take(ctx, action.value, clicked=True)


async def contacted_button(ctx: Context, action: c.Action) -> Reply:
    return await contacted(ctx, action.value, clicked=True)


async def resolve_button(ctx: Context, action: c.Action) -> Reply:
    fields = dict(action.fields)
    if not fields:
        return await resolve(ctx, action.value, None, None)
    outcome = tx.RECOVERED if ticked(fields, "recovered") else tx.NOT_RECOVERED
    return await resolve(ctx, action.value, outcome, fields.get("note"))


async def typed_step(ctx: Context, cmd: c.CaseStep) -> Reply:
    return await (take if cmd.step == "take" else contacted)(ctx, cmd.case)


async def typed_resolve(ctx: Context, cmd: c.ResolveCase) -> Reply:
    return await resolve(ctx, cmd.case, cmd.outcome, cmd.note)


async def list_recoveries(ctx: Context, cmd: c.ListRecoveries) -> Reply:
    statuses = UNRESOLVED if cmd.scope in ("open", "mine") else (*UNRESOLVED, CaseStatus.RESOLVED)
    mine = ctx.actor.id if cmd.scope == "mine" else None
    found = await ctx.uow.recoveries.listed(ctx.workspace.id, statuses, LISTED, mine)
    title = tx.LISTS[cmd.scope]
    if not found:
        return Reply.private(none_listed(title))
    names = await ctx.names(k.owner_id for k in found if k.owner_id is not None)
    lines = []
    for k in found:
        owner = names.get(k.owner_id) if k.owner_id is not None else None
        state = tx.status(k.status.value, owner, k.overdue(ctx.now))
        if k.outcome:
            state = tx.outcome_shown(k.outcome, None)
        feedback = await ctx.uow.feedback.get(ctx.workspace.id, k.feedback_id)
        score = shown_score(feedback.scale, feedback.score) if feedback else ""
        day = f"{local(k.created_at, ctx.actor.tz):%d %b}"
        lines.append(tx.case_line(k.id, day, k.customer, score, state))
    return Reply(Message(title=title, text="\n".join(lines)))
