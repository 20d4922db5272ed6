"""Service recovery cases (SPEC §9): opened by a poor rating, posted as a root message in
the recovery channel with the managers asked in its thread; every later step is a thread
reply and a redraw of the root and of the ask."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from bot.core.feedback import shown_score, verdict
from bot.core.messages import Button, Destination, Field, Message, Outgoing
from bot.core.model import Feedback, Member, Role, Workspace
from bot.core.ports import UnitOfWork
from bot.core.recovery import BEFORE_CONTACT, UNRESOLVED, CaseStatus, RecoveryCase
from bot.core.texts import recovery as tx
from bot.core.zones import local, shown
from bot.handlers.format import deciders

Send = Callable[[Outgoing], Awaitable[None]]
LATER_SHOWN = 5
LINKED_FOR = dt.timedelta(days=90)  # a customer's rating follows their case this long


def case_channel(ws: Workspace, here: str | None = None) -> str | None:
    """Where recovery cases go: the recovery channel, else the gifts channel, else the
    wall, else where the rating was typed."""
    return ws.recovery_channel or ws.gifts_channel or ws.wall_channel or here


async def open_case(
    uow: UnitOfWork,
    ws: Workspace,
    feedback: Feedback,
    now: dt.datetime,
    here: str | None,
    send: Send,
) -> RecoveryCase:
    """The case of a poor rating, posted where recovery cases go. With nowhere to go (a
    pushed rating before any channel is set) it is kept, the admins are told in a DM, and
    it is posted once a channel is set (`post_waiting`)."""
    channel = case_channel(ws, here)
    case = await uow.recoveries.add(
        RecoveryCase(
            id=0,
            workspace_id=ws.id,
            feedback_id=feedback.id,
            customer=feedback.customer,
            agent_id=feedback.agent_id,
            status=CaseStatus.OPEN,
            channel=channel or "",
            due_at=now + dt.timedelta(minutes=ws.recovery_sla_minutes),
            created_at=now,
        )
    )
    if channel:
        await post_case(uow, ws, case, now, send)
    elif len(await uow.recoveries.unposted(ws.id, limit=2)) == 1:  # told when the first waits
        said = tx.nowhere(case.id, case.customer, shown_score(feedback.scale, feedback.score))
        for admin in await uow.members.with_roles(ws.id, [Role.ADMIN]):
            await send(
                Outgoing(
                    Message(text=said),
                    Destination.to_member(admin.id),
                    description=f"recovery case #{case.id} has no channel",
                )
            )
    return case


async def post_case(
    uow: UnitOfWork, ws: Workspace, case: RecoveryCase, now: dt.datetime, send: Send
) -> None:
    """The case's root message in its channel and the managers' question in its thread."""
    await send(
        Outgoing(
            await case_message(uow, ws, case, now),
            Destination.to_channel(case.channel),
            key=case.root_key,
            description=f"recovery case #{case.id}",
        )
    )
    await send(
        Outgoing(
            ask_message(case, await deciders(uow, ws.id), ws.timezone),
            Destination.to_thread(case.root_key),
            key=f"case:{case.id}:ask",
            description=f"recovery case #{case.id} ask",
        )
    )


async def post_waiting(uow: UnitOfWork, ws: Workspace, now: dt.datetime, send: Send) -> int:
    """Post the unresolved cases kept while there was no channel, now that there is one;
    how many. Placing a case is conditional, so two admins at once post each case once."""
    channel = case_channel(ws)
    if not channel:
        return 0
    posted = 0
    for case in await uow.recoveries.unposted(ws.id):
        if await uow.recoveries.place(case.id, channel):
            case.channel = channel
            await post_case(uow, ws, case, now, send)
            posted += 1
    return posted


async def case_message(
    uow: UnitOfWork, ws: Workspace, case: RecoveryCase, now: dt.datetime
) -> Message:
    feedback = await uow.feedback.get(ws.id, case.feedback_id)
    assert feedback is not None  # a case goes with its rating (ON DELETE CASCADE)
    score = shown_score(feedback.scale, feedback.score)
    ids = [i for i in (case.agent_id, case.owner_id) if i is not None]
    names = {i: m.name for i, m in (await uow.members.by_ids(ids)).items()}
    label = tx.FIELDS
    agent = (
        names[case.agent_id]
        if case.agent_id is not None
        else tx.unmatched_agent(feedback.agent_ref)
        if feedback.agent_ref
        else tx.UNKNOWN_AGENT
    )
    owner = names.get(case.owner_id) if case.owner_id is not None else None
    fields = [
        Field(label["customer"], case.customer),
        Field(label["score"], score),
        Field(label["agent"], agent),
    ]
    if feedback.ticket or feedback.url:
        ticket = " ".join(t for t in (feedback.ticket, feedback.url) if t)
        fields.append(Field(label["ticket"], ticket))
    if case.status in BEFORE_CONTACT:
        fields.append(Field(label["due"], shown(case.due_at, ws.timezone)))
    fields += [
        Field(label["owner"], owner or tx.NOBODY),
        Field(label["status"], tx.status(case.status.value, owner, case.overdue(now))),
    ]
    if case.gift_id is not None:
        gift = await uow.gifts.get(ws.id, case.gift_id)
        if gift is not None:
            fields.append(
                Field(label["gift"], tx.gift_shown(gift.id, gift.gift, gift.status.value))
            )
    if case.outcome:
        fields.append(Field(label["outcome"], tx.outcome_shown(case.outcome, case.note)))
    later = (await uow.feedback.following(case.id))[-LATER_SHOWN:]
    if later:
        lines = [
            tx.later_shown(
                f"{local(f.given_at, ws.timezone):%d %b}",
                shown_score(f.scale, f.score),
                f.comment,
            )
            for f in later
        ]
        fields.append(Field(label["later"], "\n".join(lines)))
    return Message(
        title=tx.case_title(case.id, case.customer, score),
        text=feedback.comment or tx.NO_COMMENT,
        fields=tuple(fields),
    )


def ask_message(
    case: RecoveryCase, people: list[Member], tz: str, owner: str | None = None
) -> Message:
    """The managers' question in the thread, with the buttons the case's status allows;
    once someone owns the case, what is next for them."""
    if case.status is CaseStatus.RESOLVED:
        return Message(text=tx.closed_ask(case.id, case.outcome or ""))
    due = shown(case.due_at, tz)
    if case.status is CaseStatus.OPEN or owner is None:
        text = tx.ask(case.id, case.customer, due)
        if not people:
            text += tx.NOBODY_TO_ASK
    elif case.status is CaseStatus.TAKEN:
        text = tx.next_contact(case.id, owner, case.customer, due)
    else:
        text = tx.next_resolve(case.id, owner, case.customer)
    value = str(case.id)
    buttons = []
    if case.status is CaseStatus.OPEN:
        buttons.append(Button(tx.TAKE, "case.take", value, "primary"))
    if case.status in BEFORE_CONTACT:
        buttons.append(Button(tx.CONTACTED, "case.contacted", value))
    if case.status in UNRESOLVED:
        buttons.append(Button(tx.RESOLVED, "case.resolve", value))
    if case.status in UNRESOLVED and case.gift_id is None:
        buttons.append(Button(tx.PROPOSE_GIFT, "case.gift", value))
    asked = tuple(m.user_id for m in people) if case.status is CaseStatus.OPEN else ()
    return Message(text=text, mentions=asked, buttons=tuple(buttons))


async def case_changed(
    uow: UnitOfWork,
    ws: Workspace,
    case: RecoveryCase,
    now: dt.datetime,
    said: Message | None,
    *,
    clicked: bool = False,
) -> list[Outgoing]:
    """What one step of a case sends: the root redrawn, the ask redrawn (the button
    pressed is on it), and `said` in the thread. None for a case never posted."""
    if not case.channel:
        return []
    owner = (await uow.members.get(case.owner_id)).name if case.owner_id else None
    ask = ask_message(case, await deciders(uow, ws.id), ws.timezone, owner)
    sent = [
        Outgoing(
            await case_message(uow, ws, case, now),
            update_key=case.root_key,
            description=f"recovery case #{case.id} status",
        ),
        Outgoing(
            ask,
            update_key=f"case:{case.id}:ask",
            description=f"recovery case #{case.id} buttons",
            redraws_click=clicked,
        ),
    ]
    if said is not None:
        sent.append(
            Outgoing(
                said,
                Destination.to_thread(case.root_key),
                description=f"recovery case #{case.id} step",
            )
        )
    return sent


async def follow_case(
    uow: UnitOfWork, ws: Workspace, feedback: Feedback, now: dt.datetime, send: Send
) -> RecoveryCase | None:
    """The customer's earlier case this rating follows, linked and told in its thread."""
    case = await uow.recoveries.latest_for(ws.id, feedback.customer, feedback.created_at)
    if case is None or case.feedback_id == feedback.id or now - case.created_at > LINKED_FOR:
        return None
    await uow.feedback.link(feedback.id, case.id)
    said = Message(
        text=tx.followed_up(
            feedback.customer,
            shown_score(feedback.scale, feedback.score),
            verdict(feedback.scale, feedback.score),
        )
    )
    for outgoing in await case_changed(uow, ws, case, now, said):
        if outgoing.update_key == f"case:{case.id}:ask":
            continue  # its buttons have not changed
        await send(outgoing)
    return case
