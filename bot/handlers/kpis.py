"""KPIs: built-in ones computed from the data, admin-defined ones logged by people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core import commands as c
from bot.core.errors import NotFound, UsageError
from bot.core.kpi import (
    check_value,
    delta,
    delta_text,
    finite,
    measured,
    sparkline,
    status,
)
from bot.core.messages import Message, Reply
from bot.core.model import Direction, KpiDefinition, Workspace
from bot.core.ports import UnitOfWork
from bot.core.texts import kpis as tx
from bot.core.texts import wrong_unit
from bot.core.texts.kpis import BUILT_IN_LABELS as LABELS
from bot.core.zones import day_bounds, local, month_bounds
from bot.handlers import kpi_voice
from bot.handlers.context import Context
from bot.handlers.kpi_voice import latest


@dataclass(frozen=True)
class KpiReading:
    definition: KpiDefinition
    value: float | None
    trend: str = ""
    change: float | None = None  # against the previous 7-day average
    stale_since: dt.date | None = None  # the value is from this earlier day
    problem: str | None = None  # why the source failed last time

    def line(self) -> str:
        d = self.definition
        if self.value is None:
            return tx.no_value(d.label, self.problem)
        text = tx.reading(d.label, measured(self.value, d.unit))
        if self.stale_since:
            text += tx.stale(f"{self.stale_since:%a %d %b}")
        if d.target is not None:
            verdict = status(self.value, d.target, d.direction, d.near)
            text += tx.against(measured(d.target, d.unit), verdict)
        if change := delta_text(self.change, d.unit):
            text += f" {change}"
        if self.problem:
            text += f" ({self.problem})"
        return (text + (f"  {self.trend}" if self.trend else "")).rstrip()


Compute = Callable[
    [UnitOfWork, Workspace, list[dt.date], dt.datetime], Awaitable[list[float | None]]
]


def _spans(days: list[dt.date], tz: str) -> list[tuple[dt.datetime, dt.datetime]]:
    return [day_bounds(day, tz) for day in days]


async def _heroes(uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime) -> list:
    counts = await uow.heroes.counts_within(ws.id, _spans(days, ws.timezone))
    return [float(n) for n in counts]


async def _approved(uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime) -> list:
    counts = await uow.gifts.approved_counts_within(ws.id, _spans(days, ws.timezone))
    return [float(n) for n in counts]


async def _spend(uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime) -> list:
    return latest(
        float(await uow.gifts.spend(ws.id, *month_bounds(now, ws.timezone), ws.currency)), days
    )


async def _on_time(uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime) -> list:
    done, in_time = await uow.followups.on_time(ws.id, now - dt.timedelta(days=7), now)
    return latest(100.0 * in_time / done if done else None, days)


async def _overdue(uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime) -> list:
    overdue = await uow.followups.tally_open(ws.id, due_before=now, limit=0)
    return latest(float(overdue.count), days)


async def _approval(uow: UnitOfWork, ws: Workspace, days: list[dt.date], now: dt.datetime) -> list:
    hours = await uow.gifts.median_decision_hours(ws.id, now - dt.timedelta(days=30), now)
    return latest(round(hours, 1) if hours is not None else None, days)


BUILT_IN: dict[str, tuple[str, str, Direction, Compute, bool]] = {
    # key: label, unit, direction, compute, per-day (so it has a daily trend)
    "hero_moments": (LABELS["hero_moments"], "", Direction.HIGHER, _heroes, True),
    "gifts_approved": (LABELS["gifts_approved"], "", Direction.HIGHER, _approved, True),
    "gift_spend": (LABELS["gift_spend"], "", Direction.LOWER, _spend, False),
    "followups_on_time": (
        LABELS["followups_on_time"],
        "%",
        Direction.HIGHER,
        _on_time,
        False,
    ),
    "followups_overdue": (LABELS["followups_overdue"], "", Direction.LOWER, _overdue, False),
    "approval_time": (LABELS["approval_time"], "h", Direction.LOWER, _approval, False),
    "voice_csat": (LABELS["voice_csat"], "", Direction.HIGHER, kpi_voice.csat, False),
    "voice_nps": (LABELS["voice_nps"], "", Direction.HIGHER, kpi_voice.nps, False),
    "recovery_rate": (
        LABELS["recovery_rate"],
        "%",
        Direction.HIGHER,
        kpi_voice.recovery_rate,
        False,
    ),
    "first_contact": (LABELS["first_contact"], "h", Direction.LOWER, kpi_voice.contact_time, False),
    "open_cases": (LABELS["open_cases"], "", Direction.LOWER, kpi_voice.open_cases, False),
}
# Shown only once there is something to show: a team that gets no feedback sees none of them
ONLY_MEASURED = {"voice_csat", "voice_nps", "recovery_rate", "first_contact", "open_cases"}


def built_in_definition(ws: Workspace, key: str) -> KpiDefinition:
    label, unit, direction, _, _ = BUILT_IN[key]
    target = {
        "gift_spend": float(ws.budget) if ws.budget is not None else None,
        "followups_overdue": 0.0,
        "approval_time": float(ws.sla_hours),
        "first_contact": ws.recovery_sla_minutes / 60,
        "open_cases": 0.0,
    }.get(key)
    return KpiDefinition(
        ws.id,
        key,
        label,
        ws.currency if key == "gift_spend" else unit,
        target,
        direction,
        0.0 if key in ("followups_overdue", "open_cases") else None,
        "built-in",
    )


async def readings(
    uow: UnitOfWork, ws: Workspace, day: dt.date, now: dt.datetime, *, include_empty: bool = True
) -> list[KpiReading]:
    """Each KPI's value for local date `day`, its change against the 7 days before, and
    the 7-day trend ending that day. A value older than `day` is shown as stale."""
    days = [day - dt.timedelta(days=i) for i in range(7, -1, -1)]  # 7 before, then the day
    out: list[KpiReading] = []
    for key, (_, _, _, compute, per_day) in BUILT_IN.items():
        series = await compute(uow, ws, days, now)
        value = series[-1]
        change = delta(value, series[:-1]) if per_day and value is not None else None
        reading = KpiReading(
            built_in_definition(ws, key), value, sparkline(series[1:]) if per_day else "", change
        )
        if value is not None or (include_empty and key not in ONLY_MEASURED):
            out.append(reading)
    sources = {s.key: s for s in await uow.kpi_sources.list(ws.id)}
    for definition in await uow.kpis.definitions(ws.id):
        known = await uow.kpis.series(ws.id, definition.key, days[0], day)
        values = [finite(known.get(d)) for d in days]
        value, stale = values[-1], None
        if value is None and (latest := await uow.kpis.latest(ws.id, definition.key, day)):
            stale, value = latest[0], finite(latest[1])
        source = sources.get(definition.key)
        problem = tx.poll_failed(source.last_error) if source and source.last_error else None
        change = delta(value, values[:-1]) if value is not None and stale is None else None
        if value is not None or include_empty:
            out.append(KpiReading(definition, value, sparkline(values[1:]), change, stale, problem))
    return out


async def show_kpis(ctx: Context, cmd: c.ShowKpis) -> Reply:
    today = local(ctx.now, ctx.workspace.timezone).date()
    lines = [r.line() for r in await readings(ctx.uow, ctx.workspace, today, ctx.now)]
    return Reply(Message(title=tx.readings_title(f"{today:%a %d %b %Y}"), text="\n".join(lines)))


async def log_kpi(ctx: Context, cmd: c.LogKpi) -> Reply:
    if cmd.key in BUILT_IN:
        raise UsageError(tx.computed(cmd.key))
    definitions = {d.key: d for d in await ctx.uow.kpis.definitions(ctx.workspace.id)}
    definition = definitions.get(cmd.key)
    if definition is None:
        raise NotFound(tx.no_kpi_to_log(cmd.key, ", ".join(definitions)))
    today = local(ctx.now, ctx.actor.tz).date()
    day = cmd.day or today
    if day > today:
        raise UsageError(tx.future_day(str(day)))
    if day < today - dt.timedelta(days=366):
        raise UsageError(tx.too_old(str(day)))
    if cmd.unit and cmd.unit.casefold() != definition.unit.casefold():
        raise UsageError(wrong_unit(definition.label, cmd.key, definition.unit, cmd.value))
    check_value(definition, cmd.value)
    await ctx.uow.kpis.record(ctx.workspace.id, cmd.key, day, cmd.value, "manual")
    reading = KpiReading(definition, cmd.value)
    return Reply.private(tx.logged(f"{day:%a %d %b %Y}", reading.line()))
