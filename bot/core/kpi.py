"""KPI status against a target (respecting direction), trends, deltas, JSON pointers,
and the ready-made definitions an admin can enable in one command."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.model import Direction

BARS = "▁▂▃▄▅▆▇█"

# name: label, unit, target, direction, near band
PRESETS: dict[str, tuple[str, str, float, Direction, float]] = {
    "answer_time": ("Average time to answer", "s", 4.0, Direction.LOWER, 1.0),
    "csat": ("CSAT (1–5)", "", 4.5, Direction.HIGHER, 0.2),
    "nps": ("NPS (−100…100)", "", 30.0, Direction.HIGHER, 10.0),
    "ces": ("Customer Effort Score (1–7)", "", 5.5, Direction.HIGHER, 0.5),
    "prospects": ("New prospects per day", "", 10.0, Direction.HIGHER, 2.0),
}


def status(value: float, target: float | None, direction: Direction, near: float | None) -> str:
    """ "on target", "near" or "off"; "no target" when none is set.

    `near` is the distance from the target that still counts as near (default 10 %).
    """
    if target is None:
        return "no target"
    band = near if near is not None else abs(target) * 0.1
    gap = (target - value) if direction is Direction.HIGHER else (value - target)
    if gap <= 0:
        return "on target"
    return "near" if gap <= band else "off"


def sparkline(values: Sequence[float | None]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return ""
    low, high = min(present), max(present)
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            out.append(BARS[0 if span == 0 else round((v - low) / span * (len(BARS) - 1))])
    return "".join(out)


def delta(value: float, previous: Sequence[float | None]) -> float | None:
    """The change against the average of the previous values that exist."""
    present = [v for v in previous if v is not None]
    if not present:
        return None
    return value - sum(present) / len(present)


def delta_text(change: float | None, unit: str) -> str:
    if change is None or abs(change) < 0.005:  # no change is not news
        return ""
    arrow = "▲" if change > 0 else "▼"
    return f"{arrow}{number(abs(change))}{unit} vs 7-day avg"


def number(value: float) -> str:
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
        raise PointerError(f"the pointer {pointer!r} must start with /")
    current = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            raise PointerError(f"nothing at {pointer}")
    return current


def as_value(found: Any) -> float:
    """A KPI value from JSON: a number, or a string holding one."""
    if isinstance(found, bool):
        raise PointerError("the value is true/false, not a number")
    if isinstance(found, int | float):
        value = float(found)
    elif isinstance(found, str):
        try:
            value = float(found.strip())
        except ValueError:
            raise PointerError(f"the value {found[:40]!r} is not a number") from None
    else:
        raise PointerError(f"the value is {type(found).__name__}, not a number")
    if value != value or value in (float("inf"), float("-inf")):
        raise PointerError("the value is not a finite number")
    return value
