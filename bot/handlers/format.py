"""Shared by the handlers: wording for amounts, ages and lists; form toggles; who decides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.core import texts
from bot.core.model import Feedback, Gift, Member, Role
from bot.core.money import shown
from bot.core.ports import UnitOfWork
from bot.core.texts import clip
from bot.core.texts.gifts import CHECKS_NOT_CONFIRMED
from bot.core.texts.heroes import customer_quote
from bot.core.zones import local


def money(amount: Decimal, currency: str) -> str:
    """An amount in its currency's symbol and minor unit (`€4.50`, `¥500`)."""
    return shown(amount, currency)


def cost_text(amount: Decimal, currency: str) -> str:
    """A gift's cost: its amount, or "no cost" for a gift proposed without one."""
    return money(amount, currency) if amount else texts.NO_COST


def left_text(budget: Decimal, spent: Decimal, currency: str) -> str:
    left = budget - spent
    return texts.left(money(left, currency)) if left >= 0 else texts.over_by(money(-left, currency))


def age(since: dt.datetime, now: dt.datetime) -> str:
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} days"


def checks_line(checks: dict[str, bool | None]) -> str:
    """The four checks: ✓ confirmed, ✗ not met, ? not confirmed by the proposer."""
    marks = {True: "✓", False: "✗", None: "?"}
    names = ("personalized", "appropriate", "practical", "timely")
    line = " · ".join(f"{name.capitalize()} {marks[checks.get(name)]}" for name in names)
    if all(checks.get(name) is None for name in names):
        line += f" {CHECKS_NOT_CONFIRMED}"
    return line


def gift_line(gift: Gift, proposer: str, now: dt.datetime) -> str:
    cost = cost_text(gift.cost, gift.currency)
    return texts.gift_line(
        gift.id,
        gift.customer,
        gift.gift,
        cost,
        proposer,
        gift.status.value,
        age(gift.created_at, now),
    )


def ticked(fields: dict[str, str], name: str) -> bool:
    """A form's toggle as Slack, Teams or a typed answer sends it."""
    return fields.get(name, "").strip().lower() in ("true", "yes", "on", "1")


async def deciders(
    uow: UnitOfWork, workspace_id: int, *, excluding: int | None = None
) -> list[Member]:
    """Whom to ask for a decision (a gift, a recovery case): the managers, or the admins
    while there are none; never `excluding`."""
    for roles in ([Role.MANAGER], [Role.ADMIN]):
        people = [m for m in await uow.members.with_roles(workspace_id, roles) if m.id != excluding]
        if people:
            return people
    return []


def quote_line(f: Feedback, tz: str) -> str:
    """A customer's praise as a stats page or the App Home quotes it."""
    return customer_quote(f"{local(f.given_at, tz):%d %b}", f.customer, clip(f.comment or "", 150))
