"""Money as people write it (`$40`, `40 USD`, `€4,50`, `4,50 €`, `EUR 4.50`, `1.000,50 EUR`),
read by its currency's conventions with Babel's CLDR data, and shown the same way.

- Currencies are ISO 4217 codes only; `$`, `€`, `£` and `¥` stand for USD, EUR, GBP, JPY.
- Amounts keep to the currency's minor unit (two decimals for EUR, none for JPY); more
  decimals are refused, never rounded.
- With a point and a comma, the last one is the decimal mark. A single mark followed by
  exactly three digits is a thousands mark ("1.000 EUR", "$1,000") unless it is the
  currency's own decimal mark ("$40.555", "1,000 EUR"), which is ambiguous and refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, get_decimal_symbol, is_currency

from bot.core.errors import UsageError
from bot.core.limits import MONEY
from bot.core.texts import clip, money_problem, too_much
from bot.core.texts import grammar as tx

SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
NAMES = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "yen": "JPY"}  # "500 yen", "40 euros"
# Where Babel has no locale for a currency's territory (EUR: most of the euro area writes
# a decimal comma).
DECIMAL_MARK = {"EUR": ","}
COST_TAIL = 40  # the longest cost text looked for at the end of a gift

_NUM = r"\d(?:[\d.,'’]*\d)?"
_SYM = r"US\$|[$€£¥]"
_COST = re.compile(
    rf"(?:^|(?<=\s))(?P<neg>-)?\s?(?:"
    rf"(?P<s1>{_SYM})\s?(?P<n1>{_NUM})"
    rf"|(?P<n2>{_NUM})\s?(?P<s2>{_SYM})"
    rf"|(?P<c1>[A-Za-z]{{3}})\s?(?P<n3>{_NUM})"
    rf"|(?P<n4>{_NUM})\s?(?P<c2>[A-Za-z]{{3}}|(?i:dollars?|euros?|pounds?)))$"
)
_BARE = re.compile(rf"(?:^|\s)(?P<neg>-)?(?P<n>{_NUM})$")


@lru_cache(maxsize=64)
def decimal_mark(currency: str) -> str:
    """The decimal mark where the currency is at home (USD `.`, EUR `,`, SEK `,`)."""
    if currency in DECIMAL_MARK:
        return DECIMAL_MARK[currency]
    try:
        return get_decimal_symbol(Locale.parse(f"und_{currency[:2]}"))
    except (UnknownLocaleError, ValueError):
        return "."


def minor_digits(currency: str) -> int:
    return get_currency_precision(currency)


def forms(currency: str) -> str:
    """How to write an amount in `currency`, by its own marks: `40 EUR, 4,50 EUR or
    1.000,50 EUR`; `500 JPY or 1,000 JPY (no decimals)`."""
    return tx.money_forms(currency, decimal_mark(currency), minor_digits(currency))


def check_currency(code: str, command: str = "gift") -> str:
    code = code.upper()
    if not is_currency(code):
        raise UsageError(money_problem(tx.not_a_currency(code), command))
    return code


def read_number(raw: str, currency: str, command: str = "gift") -> Decimal:
    """An amount in `currency`'s conventions; a UsageError with a hint when it is not one."""
    text = raw.replace("'", "").replace("’", "")  # Swiss grouping: 1'000
    marks = [ch for ch in text if ch in ".,"]
    digits = minor_digits(currency)
    if not marks:
        whole, fraction = text, ""
    elif len(set(marks)) == 2:
        point = text[max(text.rfind("."), text.rfind(","))]
        whole, _, fraction = text.rpartition(point)
        if point in whole:
            raise UsageError(money_problem(tx.not_an_amount(raw), command))
        whole = _ungrouped(whole, "," if point == "." else ".", raw, command)
    elif len(marks) > 1:
        whole, fraction = _ungrouped(text, marks[0], raw, command), ""
    else:
        mark = marks[0]
        head, _, tail = text.partition(mark)
        if len(tail) == 3 and digits != 3:
            if digits and mark == decimal_mark(currency):  # (yen have no decimals at all)
                raise UsageError(
                    money_problem(
                        tx.two_ways(raw, currency),
                        command,
                        forms(currency),
                    )
                )
            whole, fraction = _ungrouped(text, mark, raw, command), ""
        else:
            whole, fraction = head, tail
    if len(fraction) > digits:
        raise UsageError(
            money_problem(
                tx.too_many_decimals(raw, currency, digits),
                command,
                forms(currency),
            )
        )
    try:
        amount = Decimal(f"{whole}.{fraction or 0}")
    except InvalidOperation:
        raise UsageError(money_problem(tx.not_an_amount(raw), command)) from None
    if amount > MONEY:
        raise UsageError(too_much(clip(raw), currency, shown(Decimal(MONEY), currency), command))
    return amount.quantize(Decimal(1).scaleb(-digits))


def _ungrouped(text: str, mark: str, raw: str, command: str) -> str:
    groups = text.split(mark)
    if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
        raise UsageError(money_problem(tx.not_an_amount(raw), command))
    return "".join(groups)


def split_cost(text: str, command: str = "gift") -> tuple[str, Decimal | None, str | None]:
    """The text before a trailing cost, and the cost read (amount, currency), or None when
    the text ends in no cost. Only the tail is searched: the work does not grow with the
    text. An amount the bot cannot read is refused, never taken as zero."""
    tail_at = max(0, len(text) - COST_TAIL)
    tail = text[tail_at:]
    match = _COST.search(tail)
    if match is None:
        bare = _BARE.search(tail)
        if bare and re.search(r"[.,]", bare.group("n")):  # "pizza 4,50": a cost, no currency
            raise UsageError(money_problem(tx.no_currency(bare.group("n")), command))
        return text, None, None
    symbol = match.group("s1") or match.group("s2")
    code = match.group("c1") or match.group("c2")
    if code is not None and code.lower().rstrip("s") in NAMES:
        code = NAMES[code.lower().rstrip("s")]
    if code is not None and not is_currency(code.upper()):
        if code.isupper():  # meant as a code: "40 XYZ"
            check_currency(code, command)
        return text, None, None  # "2 box": words, not a cost
    currency = SYMBOLS[symbol] if symbol else (code or "").upper()
    raw = match.group("n1") or match.group("n2") or match.group("n3") or match.group("n4")
    if match.group("neg"):
        raise UsageError(money_problem(tx.NEGATIVE, command, forms(currency)))
    amount = read_number(raw, currency, command)
    return text[: tail_at + match.start()].rstrip(), amount, currency


def read_money(text: str, command: str) -> tuple[Decimal, str | None]:
    """A whole field that is only an amount (a form's cost, a budget): `40`, `€40`, `40 EUR`.
    Without a currency, the amount is read with a point as its decimal mark."""
    text = " ".join(text.split())
    if re.fullmatch(r"\d{1,9}(?:[.,]\d{1,3})?", text):  # the caller knows the currency
        return Decimal(text.replace(",", ".")), None
    rest, amount, currency = split_cost(" " + text, command)
    if amount is not None and not rest.strip():
        return amount, currency
    raise UsageError(money_problem(tx.not_an_amount(text), command))


def shown(amount: Decimal, currency: str) -> str:
    """An amount as the bot writes it: the currency's symbol and minor unit (`€4.50`,
    `¥500`, `CHF 40.00`)."""
    text = format_currency(amount, currency, locale="en").replace("\xa0", " ")
    return re.sub(r"^(-?[A-Z]{2,3})(?=\d)", r"\1 ", text)  # "CHF40.00" → "CHF 40.00"


def warm() -> None:
    """Babel reads its locale data on first use: do it at start, not in a member's command."""
    shown(Decimal(1), "EUR")
    decimal_mark("USD")
