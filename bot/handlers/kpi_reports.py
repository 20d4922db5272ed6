"""`kpi status` (where each KPI's numbers come from, and how that went) and `kpi history`."""

from __future__ import annotations

import datetime as dt

from bot.core import commands as c
from bot.core.errors import NotFound
from bot.core.kpi import measured, sparkline, status
from bot.core.messages import Message, Reply, Section
from bot.core.texts import kpis as tx
from bot.core.zones import local, shown
from bot.handlers.context import Context
from bot.handlers.kpi_admin import public_url
from bot.handlers.kpis import BUILT_IN, built_in_definition


async def kpi_status(ctx: Context, cmd: c.KpiStatus) -> Reply:
    ws, tz = ctx.workspace, ctx.actor.tz
    today = local(ctx.now, ws.timezone).date()
    sources = {s.key: s for s in await ctx.uow.kpi_sources.list(ws.id)}
    sections = []
    for d in await ctx.uow.kpis.definitions(ws.id):
        latest = await ctx.uow.kpis.latest(ws.id, d.key, today)
        lines = [
            tx.source_line(d.source),
            tx.latest(measured(latest[1], d.unit), f"{latest[0]:%a %d %b}")
            if latest
            else tx.NO_LATEST,
        ]
        source = sources.get(d.key)
        if source:
            lines.append(tx.polls(public_url(source.url), source.pointer, source.every_minutes))
            if source.last_ok_at:
                lines.append(tx.last_read(shown(source.last_ok_at, tz)))
            if source.last_error:
                lines.append(tx.poll_failed(source.last_error))
            if source.next_poll_at:
                lines.append(tx.next_poll(shown(source.next_poll_at, tz)))
        sections.append(Section(tx.status_section(d.label, d.key), tuple(lines)))
    if not sections:
        return Reply.private(tx.NO_OWN_KPIS)
    return Reply(
        Message(title=tx.SOURCES_TITLE, text=tx.kpi_count(len(sections)), sections=tuple(sections))
    )


async def kpi_history(ctx: Context, cmd: c.KpiHistory) -> Reply:
    ws = ctx.workspace
    today = local(ctx.now, ws.timezone).date()
    days = [today - dt.timedelta(days=i) for i in range(cmd.days - 1, -1, -1)]
    definitions = {d.key: d for d in await ctx.uow.kpis.definitions(ws.id)}
    if cmd.key in definitions:
        definition = definitions[cmd.key]
        known = await ctx.uow.kpis.series(ws.id, cmd.key, days[0], today)
        values = [known.get(d) for d in days]
    elif cmd.key in BUILT_IN and BUILT_IN[cmd.key][4]:
        definition = built_in_definition(ws, cmd.key)
        values = await BUILT_IN[cmd.key][3](ctx.uow, ws, days, ctx.now)
    else:
        per_day = [k for k, spec in BUILT_IN.items() if spec[4]]
        keys = ", ".join([*definitions, *per_day])
        raise NotFound(tx.no_daily(cmd.key, keys))
    present = [(d, v) for d, v in zip(days, values, strict=True) if v is not None]
    if not present:
        return Reply.private(tx.no_values_within(definition.label, cmd.days))
    numbers = [v for _, v in present]
    unit = definition.unit
    lines = [
        tx.history_line(
            f"{d:%a %d %b}",
            measured(v, unit),
            status(v, definition.target, definition.direction, definition.near)
            if definition.target is not None
            else None,
        )
        for d, v in present[-10:]
    ]
    summary = tx.history_summary(
        len(present),
        measured(min(numbers), unit),
        measured(max(numbers), unit),
        measured(sum(numbers) / len(numbers), unit),
    )
    return Reply(
        Message(
            title=tx.history_title(definition.label, cmd.days),
            text=sparkline(values),
            fields=(),
            sections=(Section(tx.SUMMARY, (summary,)), Section(tx.LATEST, tuple(lines))),
        )
    )
