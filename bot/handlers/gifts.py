"""WOW gifts: the proposal, the managers' thread, decisions, Mark as sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from bot.core import commands as c
from bot.core.errors import NotFound, UsageError, about
from bot.core.guards import one_line, parse_id
from bot.core.limits import LIMITS
from bot.core.messages import (
    Button,
    Destination,
    Field,
    Form,
    Input,
    Message,
    Outgoing,
    Reply,
    Section,
)
from bot.core.model import FOUR_CHECKS, Gift, GiftStatus, Member
from bot.core.money import forms, minor_digits, read_money
from bot.core.parsing import check_gift_lengths
from bot.core.ports import UnitOfWork
from bot.core.recovery import RecoveryCase
from bot.core.texts import (
    COST_TOO_HIGH,
    WRONG_CURRENCY,
    clip,
    money_problem,
    none_listed,
    usage,
)
from bot.core.texts import gifts as tx
from bot.core.texts import recovery as rtx
from bot.core.zones import month_bounds
from bot.handlers.context import Context
from bot.handlers.format import (
    checks_line,
    cost_text,
    deciders,
    gift_line,
    left_text,
    money,
    ticked,
)
from bot.handlers.recovery_gifts import gift_case, link_gift


async def budget_line(ctx: Context, extra: Decimal = Decimal(0)) -> str | None:
    ws = ctx.workspace
    start, end = month_bounds(ctx.now, ws.timezone)
    spent = await ctx.uow.gifts.spend(ws.id, start, end, ws.currency) + extra
    if ws.budget is None:
        return tx.budget_unset(money(spent, ws.currency))
    return tx.budget_used(
        money(spent, ws.currency),
        money(ws.budget, ws.currency),
        left_text(ws.budget, spent, ws.currency),
    )


async def root_message(ctx: Context, gift: Gift, proposer: str, decider: str | None) -> Message:
    label = tx.FIELDS
    fields = [
        Field(label["customer"], gift.customer),
        Field(label["gift"], gift.gift),
        Field(label["cost"], cost_text(gift.cost, gift.currency)),
        Field(label["proposer"], proposer),
        Field(label["checks"], checks_line(gift.checks)),
        Field(label["status"], status_text(gift, decider)),
    ]
    if gift.why:
        fields.insert(2, Field(label["why"], gift.why))
    earlier = await ctx.uow.gifts.search(ctx.workspace.id, customer=gift.customer, limit=6)
    earlier = [g for g in earlier if g.id != gift.id][:5]
    sections = []
    if earlier:
        names = await ctx.names(g.proposer_id for g in earlier)
        sections.append(
            Section(
                tx.EARLIER.format(customer=gift.customer),
                tuple(gift_line(g, names[g.proposer_id], ctx.now) for g in earlier),
            )
        )
    budget = await budget_line(ctx)
    if budget:
        sections.append(Section(label["budget"], (budget,)))
    return Message(
        title=tx.PROPOSAL_TITLE.format(id=gift.id, customer=gift.customer),
        text=gift.gift,
        fields=tuple(fields),
        sections=tuple(sections),
    )


def status_text(gift: Gift, decider: str | None) -> str:
    return tx.status(gift.status.value, decider, gift.decline_reason)


async def deciders_of(uow: UnitOfWork, gift: Gift) -> list[Member]:
    """Whom to ask about a gift: never the proposer, who cannot decide their own gift."""
    return await deciders(uow, gift.workspace_id, excluding=gift.proposer_id)


def ask_message(gift: Gift, people: list[Member], decided: str | None = None) -> Message:
    if decided:
        return Message(text=tx.decided(gift.id, decided))
    who = [m.user_id for m in people]
    text = tx.ask(gift.id, gift.customer)
    if not people:
        text += tx.NOBODY_TO_DECIDE
    return Message(
        text=text,
        mentions=tuple(who),
        buttons=(
            Button(tx.APPROVE, "gift.approve", str(gift.id), "primary"),
            Button(tx.DECLINE, "gift.decline", str(gift.id), "danger"),
        ),
    )


def check_cost(ctx: Context, amount: Decimal | None, currency: str | None) -> tuple[Decimal, str]:
    """A proposal's cost (none is 0) in the workspace's currency, within the cap."""
    currency = (currency or ctx.workspace.currency).upper()
    if currency != ctx.workspace.currency:
        raise UsageError(WRONG_CURRENCY.format(right=ctx.workspace.currency))
    cost = amount if amount is not None else Decimal(0)
    if cost != round(cost, minor_digits(currency)):  # a bare form amount, read before
        raise UsageError(  # the currency was known: "500.50" for a yen budget
            money_problem(tx.more_decimals(str(cost), currency), "gift", forms(currency))
        )
    if cost > ctx.settings.max_gift_cost:
        raise UsageError(
            COST_TOO_HIGH.format(
                limit=money(ctx.settings.max_gift_cost, currency), cost=money(cost, currency)
            )
        )
    return cost, currency


async def propose_gift(ctx: Context, cmd: c.ProposeGift) -> Reply:
    ws = ctx.workspace
    case = await gift_case(ctx, cmd.case) if cmd.case else None
    if case is not None and cmd.customer == rtx.case_customer(cmd.case or ""):
        cmd = replace(cmd, customer=case.customer)  # typed: /wow recovery gift 3: …
    check_gift_lengths(cmd.customer, cmd.gift, cmd.why)
    cost, currency = check_cost(ctx, cmd.cost, cmd.currency)
    checks: dict[str, bool | None] = {name: None for name in FOUR_CHECKS} | dict(cmd.checks)
    gift = await ctx.uow.gifts.add(
        Gift(
            id=0,
            workspace_id=ws.id,
            proposer_id=ctx.actor.id,
            customer=cmd.customer.strip(),
            gift=cmd.gift.strip(),
            why=cmd.why,
            cost=cost,
            currency=currency,
            checks=checks,
            status=GiftStatus.PROPOSED,
            channel=ws.gifts_channel or ctx.channel,
            created_at=ctx.now,
            nudge_due_at=ctx.now + dt.timedelta(hours=ws.sla_hours),
        )
    )
    await ctx.send(
        Outgoing(
            await root_message(ctx, gift, ctx.actor.name, None),
            Destination.to_channel(gift.channel),
            key=f"gift:{gift.id}:root",
            description=f"gift #{gift.id} proposal",
        )
    )
    await ctx.send(
        Outgoing(
            ask_message(gift, await deciders_of(ctx.uow, gift)),
            Destination.to_thread(f"gift:{gift.id}:root"),
            key=f"gift:{gift.id}:ask",
            description=f"gift #{gift.id} approval ask",
        )
    )
    if case is not None:
        await link_gift(ctx, case, gift)
    text = tx.proposed(gift.id, gift.customer, gift.gift, cost_text(cost, currency))
    if not cmd.checks:  # typed: the four checks are still the proposer's to confirm
        return Reply.private(
            f"{text} {tx.checks_prompt(gift.id)}",
            buttons=(Button(tx.CONFIRM_CHECKS, "gift.checks", str(gift.id), "primary"),),
        )
    return Reply.private(text)


async def list_gifts(ctx: Context, cmd: c.ListGifts) -> Reply:
    ws, gifts = ctx.workspace, ctx.uow.gifts
    title = tx.LISTS[cmd.scope]
    if cmd.scope == "pending":
        found = await gifts.search(ws.id, statuses=[GiftStatus.PROPOSED])
    elif cmd.scope == "mine":
        found = await gifts.search(ws.id, proposer_id=ctx.actor.id)
    else:
        found = await gifts.search(ws.id, since=month_bounds(ctx.now, ws.timezone)[0])
    if not found:
        return Reply.private(none_listed(title))
    names = await ctx.names(g.proposer_id for g in found)
    lines = [gift_line(g, names[g.proposer_id], ctx.now) for g in found]
    if cmd.scope == "month":
        lines.append(await budget_line(ctx) or "")
    return Reply(Message(title=title, text="\n".join(lines)))


async def load_gift(ctx: Context, value: str) -> Gift:
    gift_id = parse_id(value)
    gift = await ctx.uow.gifts.get(ctx.workspace.id, gift_id) if gift_id is not None else None
    if gift is None:
        raise NotFound(tx.no_such_gift(clip(value)))
    return gift


def check_toggles(checks: dict[str, bool | None] | None = None) -> tuple[Input, ...]:
    return tuple(
        Input(
            name,
            tx.check_label(name, question),
            "toggle",
            required=False,
            initial="true" if checks and checks.get(name) else "false",
        )
        for name, question in tx.CHECK_QUESTIONS.items()
    )


def gift_form(currency: str, case: RecoveryCase | None = None) -> Reply:
    """The gift form; from a recovery case, filled with its customer and linked to it."""
    toggles, labels = check_toggles(), tx.FORM_LABELS
    return Reply(
        Message(
            text=rtx.gift_for_case(case.id) if case else tx.FORM_TEXT,
            form=Form(
                title=tx.FORM_TITLE,
                action="gift.submit",
                value=str(case.id) if case else "",
                inputs=(
                    Input(
                        "customer",
                        labels["customer"],
                        max_length=LIMITS["customer"],
                        initial=case.customer if case else None,
                    ),
                    Input("gift", labels["gift"], max_length=LIMITS["gift"]),
                    Input(
                        "why",
                        labels["why"],
                        "multiline",
                        required=False,
                        max_length=LIMITS["why"],
                    ),
                    Input(
                        "cost",
                        tx.cost_label(currency, money(Decimal(40), currency)),
                        required=False,
                    ),
                    *toggles,
                ),
                submit_label=tx.FORM_SUBMIT,
                typed_hint=rtx.gift_typed(case.id) if case else usage("gift"),
            ),
        )
    )


async def open_gift_form(ctx: Context, cmd: c.OpenGiftForm) -> Reply:
    return gift_form(ctx.workspace.currency)


async def submit_gift_form(ctx: Context, action: c.Action) -> Reply:
    fields = dict(action.fields)
    customer, gift = one_line(fields.get("customer", "")), one_line(fields.get("gift", ""))
    if not customer or not gift:
        raise UsageError(tx.FORM_MISSING)
    typed = one_line(fields.get("cost", ""))
    with about("cost"):
        cost, currency = read_money(typed, "gift-form") if typed else (None, None)
        cost, currency = check_cost(ctx, cost, currency)
    checks = tuple((name, ticked(fields, name)) for name in FOUR_CHECKS)
    case = action.value or None  # the form came from a recovery case
    return await propose_gift(
        ctx, c.ProposeGift(customer, gift, fields.get("why") or None, cost, currency, checks, case)
    )
