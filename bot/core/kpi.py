"""KPI status against a target (respecting direction), trends, deltas, JSON pointers,
and the ready-made definitions an admin can enable in one command."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import is_currency

from bot.core.errors import UsageError
from bot.core.limits import NUMBER
from bot.core.model import Direction, KpiDefinition
from bot.core.money import shown
from bot.core.texts import kpis as tx

BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Preset:
    label: str
    unit: str
    target: float
    direction: Direction
    near: float
    low: float | None  # the scale the measure is defined on
    high: float | None


PRESETS: dict[str, Preset] = {
    "answer_time": Preset(tx.PRESET_LABELS["answer_time"], "s", 4.0, Direction.LOWER, 1.0, 0, None),
    "csat": Preset(tx.PRESET_LABELS["csat"], "", 4.5, Direction.HIGHER, 0.2, 1, 5),
    "nps": Preset(tx.PRESET_LABELS["nps"], "", 30.0, Direction.HIGHER, 10.0, -100, 100),
    "ces": Preset(tx.PRESET_LABELS["ces"], "", 5.5, Direction.HIGHER, 0.5, 1, 7),
    "prospects": Preset(tx.PRESET_LABELS["prospects"], "", 10.0, Direction.HIGHER, 2.0, 0, None),
}


def scale_text(definition: KpiDefinition) -> str:
    low, high = definition.low, definition.high
    if low is None and high is None:
        low, high = -NUMBER, NUMBER
    return tx.scale(
        number(low) if low is not None else None, number(high) if high is not None else None
    )


def check_value(definition: KpiDefinition, value: float) -> float:
    """`value`, or a UsageError when it is no number or outside the KPI's scale."""
    low = definition.low if definition.low is not None else -NUMBER
    high = definition.high if definition.high is not None else NUMBER
    if not math.isfinite(value) or not low <= value <= high:
        shown = number(value) if math.isfinite(value) else str(value)
        raise UsageError(tx.outside_scale(shown, definition.label, scale_text(definition)))
    return value


def status(value: float, target: float | None, direction: Direction, near: float | None) -> str:
    """ "on target", "near" or "off"; "no target" when none is set.

    `near` is the distance from the target that still counts as near (default 10 %).
    """
    if target is None or not math.isfinite(target):
        return tx.NO_TARGET
    if not math.isfinite(value):
        return tx.NO_VALUE
    band = near if near is not None else abs(target) * 0.1
    gap = (target - value) if direction is Direction.HIGHER else (value - target)
    if gap <= 0:
        return tx.ON_TARGET
    return tx.NEAR if gap <= band else tx.OFF


def finite(value: float | None) -> float | None:
    """A stored value as the reports use it: NaN and infinities (never accepted, but a
    database may hold them from elsewhere) read as no value."""
    return value if value is not None and math.isfinite(value) else None


def sparkline(values: Sequence[float | None]) -> str:
    values = [finite(v) for v in values]
    present = [v for v in values if v is not None]
    if not present:
        return ""
    # Halved so that the span of two huge values of opposite sign cannot overflow.
    low, high = min(present) / 2, max(present) / 2
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            out.append(BARS[0 if span == 0 else round((v / 2 - low) / span * (len(BARS) - 1))])
    return "".join(out)


def delta(value: float, previous: Sequence[float | None]) -> float | None:
    """The change against the average of the previous values that exist."""
    present = [v for v in map(finite, previous) if v is not None]
    if not present or finite(value) is None:
        return None
    change = value - math.fsum(v / len(present) for v in present)
    return change if math.isfinite(change) else None


def delta_text(change: float | None, unit: str) -> str:
    if change is None or abs(change) < 0.005:  # no change is not news
        return ""
    arrow = "▲" if change > 0 else "▼"
    return tx.versus_average(arrow, measured(abs(change), unit))


UNSPACED = ("%", "‰", "°")


def measured(value: float, unit: str) -> str:
    """A value with its unit as people write it: `95%`, `4.5 s`, `120 calls`, and an
    amount of a currency as money (`$40.00`)."""
    if len(unit) == 3 and unit.isupper() and is_currency(unit) and math.isfinite(value):
        return shown(Decimal(str(value)), unit)
    if not unit:
        return number(value)
    return f"{number(value)}{unit}" if unit.startswith(UNSPACED) else f"{number(value)} {unit}"


def number(value: float) -> str:
    if not math.isfinite(value):
        return "?"
    if abs(value) >= 1e15:
        return f"{value:.3g}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


class PointerError(ValueError):
    pass


def resolve_pointer(document: Any, pointer: str) -> Any:
    """RFC 6901: `/data/0/value` in `{"data": [{"value": 3.8}]}` is 3.8."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise PointerError(tx.pointer_without_slash(pointer))
    current = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            raise PointerError(tx.nothing_at(pointer))
    return current


def as_value(found: Any) -> float:
    """A KPI value from JSON: a number, or a string holding one."""
    if isinstance(found, bool):
        raise PointerError(tx.NOT_A_NUMBER_BOOL)
    if isinstance(found, int | float):
        try:
            value = float(found)
        except OverflowError:  # an integer beyond any float
            value = math.inf
    elif isinstance(found, str):
        try:
            value = float(found.strip())
        except ValueError:
            raise PointerError(tx.not_a_number_text(found)) from None
    else:
        raise PointerError(tx.not_a_number_type(type(found).__name__))
    if not math.isfinite(value):
        raise PointerError(tx.NOT_FINITE)
    return value
