"""Money as people write it, by its currency's conventions (SPEC §3): never stored as zero
when unreadable, kept to the currency's minor unit, and the budget counted in its currency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.errors import UsageError
from bot.core.money import read_money, shown, split_cost
from tests.conftest import Harness


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("4.5", "EUR", "€4.50"),
        ("500", "JPY", "¥500"),
        ("1000.5", "GBP", "£1,000.50"),
        ("40", "CHF", "CHF 40.00"),
        ("1.25", "KWD", "KWD 1.250"),
    ],
)
def test_amounts_are_shown_in_their_currencys_minor_unit(
    amount: str, currency: str, text: str
) -> None:
    assert shown(Decimal(amount), currency) == text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("budget 4,50", "has no currency"),
        ("40 XYZ", '"XYZ" is not a currency code'),
        ("lots", '"lots" is not an amount'),
    ],
)
def test_a_field_that_is_not_an_amount_says_how_to_write_one(text: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem) as refused:
        read_money(text, "admin")
    assert "Write the amount like" in str(refused.value)


def test_only_the_tail_is_searched_and_words_ending_in_three_letters_are_not_a_cost() -> None:
    assert split_cost("a box of 2 box") == ("a box of 2 box", None, None)
    assert split_cost("x" * 10_000 + " €5") == ("x" * 10_000, Decimal("5.00"), "EUR")


async def test_a_gift_without_an_amount_says_no_cost(harness: Harness) -> None:
    h = harness
    answer = await h.cmd("bob", "/wow gift Acme: a handwritten card")
    assert answer.startswith("Proposed WOW gift #1 for Acme: a handwritten card (no cost).")
    root = h.messenger.to("channel")[-1].message
    assert dict((f.label, f.value) for f in root.fields)["Cost"] == "no cost"


async def test_yen_are_whole_and_a_cent_too_many_is_refused_not_rounded(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow admin budget ¥50,000")
    assert "¥500" in await h.cmd("bob", "/wow gift Acme: sushi ¥500")
    refused = await h.cmd("bob", "/wow gift Acme: sushi ¥500.50")
    assert refused.startswith('"500.50" has more decimals than JPY has (none).')
    assert "Write the amount at the end of the gift like 500 JPY or 1,000 JPY" in refused
    form = await h.click("bob", "gift.submit", "", customer="Acme", gift="tea", cost="500.5")
    assert "more decimals than JPY" in form
    await h.cmd("alice", "/wow admin budget 100 USD")
    refused = await h.cmd("bob", "/wow gift Acme: pizza $40.555")
    assert refused.startswith('"40.555" could be read two ways in USD.')
    assert "40 USD, 4.50 USD or 1,000.50 USD" in refused
    async with h.app.uow() as uow:
        gifts = await uow.gifts.search(1)
    assert [(g.cost, g.currency) for g in gifts] == [(Decimal(500), "JPY")]


async def test_changing_the_budget_currency_says_what_becomes_of_this_month(
    harness: Harness,
) -> None:
    h = harness
    await h.cmd("alice", "/wow admin managers add <@maria>")
    await h.cmd("alice", "/wow admin budget 200 USD")
    await h.cmd("bob", "/wow gift Acme: pizza $100")
    await h.click("maria", "gift.approve", "1")
    await h.cmd("bob", "/wow gift Beta: flowers $30")
    answer = await h.cmd("alice", "/wow admin budget 100 EUR")
    assert answer == (
        "The monthly gift budget is €100.00. Budgets are now counted in EUR, not USD. "
        "The $100.00 approved this month in USD is not counted against it; this month's EUR "
        "spending starts at €0.00. 1 proposal in USD (#2) can't be approved against it; "
        "propose them again in EUR."
    )
    refused = await h.click("maria", "gift.approve", "2")
    assert refused.startswith("Gift #2 costs $30.00, but the budget is now in EUR.")
    assert "$40 USD" not in await h.cmd("bob", "/wow gift Gamma: cake €40")
    assert "€40.00 of €100.00 used this month, €60.00 left" in (
        await h.click("maria", "gift.approve", "3") + await h.cmd("maria", "/wow gifts month")
    )
