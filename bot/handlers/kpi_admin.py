"""Admin KPI commands: definitions, presets, sources, and API keys for pushed values."""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlsplit

from bot.core import commands as c
from bot.core.errors import Conflict, NotFound
from bot.core.kpi import PRESETS, measured, scale_text
from bot.core.messages import Message, Reply
from bot.core.model import Direction, KpiDefinition, KpiSource
from bot.core.zones import shown
from bot.handlers.context import Context
from bot.handlers.kpis import BUILT_IN


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def public_url(url: str) -> str:
    """A URL as shown to people: no credentials, no query (it may hold a token)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


async def define_kpi(ctx: Context, cmd: c.DefineKpi) -> Reply:
    if cmd.key in BUILT_IN:
        raise Conflict(f'"{cmd.key}" is a built-in KPI; pick another key.')
    await ctx.uow.kpis.define(
        KpiDefinition(
            ctx.workspace.id,
            cmd.key,
            cmd.label,
            cmd.unit,
            cmd.target,
            Direction(cmd.direction),
            cmd.near,
            cmd.source,
            cmd.low,
            cmd.high,
        )
    )
    target = f", target {measured(cmd.target, cmd.unit)}" if cmd.target is not None else ""
    how = {
        "manual": f"Log values with /wow kpi log {cmd.key} <value>.",
        "push": f"Push values to POST /api/kpis/{cmd.key} with an API key.",
        "http": f"Point it at a URL: /wow admin kpi source {cmd.key} http <url>.",
    }[cmd.source]
    return Reply.private(
        f"KPI {cmd.key} ({cmd.label}{target}, {cmd.direction} is better) is defined. {how}"
    )


async def enable_preset(ctx: Context, cmd: c.EnableKpiPreset) -> Reply:
    p = PRESETS[cmd.name]
    existing = {d.key: d for d in await ctx.uow.kpis.definitions(ctx.workspace.id)}
    source = existing[cmd.name].source if cmd.name in existing else "manual"
    definition = KpiDefinition(
        ctx.workspace.id,
        cmd.name,
        p.label,
        p.unit,
        p.target,
        p.direction,
        p.near,
        source,
        p.low,
        p.high,
    )
    await ctx.uow.kpis.define(definition)
    return Reply.private(
        f"KPI {cmd.name} enabled: {p.label}, target {measured(p.target, p.unit)}, "
        f"{p.direction.value} is better, near within {measured(p.near, p.unit)}, values "
        f"{scale_text(definition)}. Log it with /wow kpi log {cmd.name} <value>, "
        f"or give it a source with /wow admin kpi source {cmd.name} push|http …"
    )


async def set_source(ctx: Context, cmd: c.SetKpiSource) -> Reply:
    definitions = {d.key: d for d in await ctx.uow.kpis.definitions(ctx.workspace.id)}
    definition = definitions.get(cmd.key)
    if definition is None:
        raise NotFound(
            f'There is no KPI "{cmd.key}"; define it first with /wow admin kpi define or enable.'
        )
    definition.source = cmd.kind
    await ctx.uow.kpis.define(definition)
    if cmd.kind != "http":
        await ctx.uow.kpi_sources.remove(ctx.workspace.id, cmd.key)
        how = (
            "log values with /wow kpi log"
            if cmd.kind == "manual"
            else f"push values to POST /api/kpis/{cmd.key} with an API key"
        )
        return Reply.private(
            f"KPI {cmd.key} now takes its values by hand: {how}."
            if cmd.kind == "manual"
            else f"KPI {cmd.key} now takes pushed values: {how}."
        )
    assert cmd.url is not None
    await ctx.uow.kpi_sources.save(
        KpiSource(
            ctx.workspace.id, cmd.key, cmd.url, cmd.pointer, cmd.every_minutes, cmd.auth_header
        ),
        ctx.now,
    )
    auth = " with an auth header (kept secret)" if cmd.auth_header else ""
    return Reply.private(
        f"KPI {cmd.key} is read from {public_url(cmd.url)} at {cmd.pointer or '(the whole body)'} "
        f"every {cmd.every_minutes} min{auth}. First poll now; see /wow kpi status."
    )


async def remove_kpi(ctx: Context, cmd: c.RemoveKpi) -> Reply:
    if not await ctx.uow.kpis.remove(ctx.workspace.id, cmd.key):
        raise NotFound(f'There is no KPI "{cmd.key}".')
    return Reply.private(f"Removed the KPI {cmd.key} and its values.")


async def create_api_key(ctx: Context, cmd: c.CreateApiKey) -> Reply:
    api_key = "wow_" + secrets.token_urlsafe(24)
    if not await ctx.uow.api_keys.add(ctx.workspace.id, cmd.label, hash_key(api_key), ctx.now):
        raise Conflict(
            f'There is an API key "{cmd.label}" already; revoke it first or pick another label.'
        )
    return Reply.private(
        f'API key "{cmd.label}" created. It is shown only this once; keep it somewhere safe:\n'
        f"{api_key}\n"
        "Push a value: POST /api/kpis/<key> with the header Authorization: Bearer <the API key> "
        'and the body {"value": 3.8, "date": "2026-11-21"} (date optional).'
    )


async def revoke_api_key(ctx: Context, cmd: c.RevokeApiKey) -> Reply:
    if not await ctx.uow.api_keys.revoke(ctx.workspace.id, cmd.label):
        keys = ", ".join(k.label for k in await ctx.uow.api_keys.list(ctx.workspace.id))
        raise NotFound(f'There is no API key "{cmd.label}". Keys: {keys or "none"}.')
    return Reply.private(f'API key "{cmd.label}" is revoked; pushes with it now get 401.')


async def list_api_keys(ctx: Context, cmd: c.ListApiKeys) -> Reply:
    keys = await ctx.uow.api_keys.list(ctx.workspace.id)
    if not keys:
        return Reply.private("No API keys. Create one with /wow admin apikey create [label].")
    lines = [f"{k.label}: created {shown(k.created_at, ctx.actor.tz)}" for k in keys]
    return Reply(
        Message(title="API keys (the keys themselves are never shown again)", text="\n".join(lines))
    )
