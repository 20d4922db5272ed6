"""KPI status against a target (respecting direction) and a compact trend."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.model import Direction

BARS = "▁▂▃▄▅▆▇█"


def status(value: float, target: float | None, direction: Direction, near: float | None) -> str:
    """ "on target", "near" or "off"; "no target" when none is set."""
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


def number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
