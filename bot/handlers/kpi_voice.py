"""The customer voice's built-in KPIs (SPEC §9), computed from feedback and recovery cases
over the last 30 days: CSAT, NPS, recovery rate, median time to first contact, open cases.
A workspace that gets no feedback sees none of them."""

from __future__ import annotations

import datetime as dt

from bot.core.model import Workspace
from bot.core.ports import UnitOfWork

WINDOW = dt.timedelta(days=30)


def _window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The last 30 days, this very moment included."""
    return now - WINDOW, now + dt.timedelta(microseconds=1)


def latest(value: float | None, days: list[dt.date]) -> list[float | None]:
    """A KPI measured now, not per day: no trend, the value on the last day."""
    return [None] * (len(days) - 1) + [value]


async def csat(uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime) -> list:
    n, total, _, _ = (await uow.feedback.tallies(ws.id, *_window(now))).get("csat5", (0, 0.0, 0, 0))
    return latest(round(total / n, 2) if n else None, days)


async def nps(uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime) -> list:
    """Promoters (9–10) less detractors (0–6), as a share of everyone who answered."""
    n, _, promoters, detractors = (await uow.feedback.tallies(ws.id, *_window(now))).get(
        "nps", (0, 0.0, 0, 0)
    )
    return latest(round(100.0 * (promoters - detractors) / n) if n else None, days)


async def recovery_rate(
    uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime
) -> list:
    resolved, recovered = await uow.recoveries.outcomes(ws.id, *_window(now))
    return latest(round(100.0 * recovered / resolved) if resolved else None, days)


async def contact_time(
    uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime
) -> list:
    hours = await uow.recoveries.median_contact_hours(ws.id, *_window(now))
    return latest(round(hours, 1) if hours is not None else None, days)


async def open_cases(uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime) -> list:
    count = await uow.recoveries.open_count(ws.id)
    return latest(float(count) if count else None, days)
