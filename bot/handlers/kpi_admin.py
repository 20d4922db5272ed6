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
from bot.core.texts import kpis as tx
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
        raise Conflict(tx.built_in_key(cmd.key))
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
    target = measured(cmd.target, cmd.unit) if cmd.target is not None else None
    how = tx.how_to_feed(cmd.source, cmd.key)
    return Reply.private(tx.defined(cmd.key, cmd.label, target, cmd.direction, how))


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
        tx.enabled(
            cmd.name,
            p.label,
            measured(p.target, p.unit),
            p.direction.value,
            measured(p.near, p.unit),
            scale_text(definition),
        )
    )


async def set_source(ctx: Context, cmd: c.SetKpiSource) -> Reply:
    definitions = {d.key: d for d in await ctx.uow.kpis.definitions(ctx.workspace.id)}
    definition = definitions.get(cmd.key)
    if definition is None:
        raise NotFound(tx.undefined(cmd.key))
    definition.source = cmd.kind
    await ctx.uow.kpis.define(definition)
    if cmd.kind != "http":
        await ctx.uow.kpi_sources.remove(ctx.workspace.id, cmd.key)
        return Reply.private(tx.by_hand(cmd.key) if cmd.kind == "manual" else tx.pushed(cmd.key))
    assert cmd.url is not None
    await ctx.uow.kpi_sources.save(
        KpiSource(
            ctx.workspace.id, cmd.key, cmd.url, cmd.pointer, cmd.every_minutes, cmd.auth_header
        ),
        ctx.now,
    )
    return Reply.private(
        tx.polled(
            cmd.key, public_url(cmd.url), cmd.pointer, cmd.every_minutes, bool(cmd.auth_header)
        )
    )


async def remove_kpi(ctx: Context, cmd: c.RemoveKpi) -> Reply:
    if not await ctx.uow.kpis.remove(ctx.workspace.id, cmd.key):
        raise NotFound(tx.no_such_kpi(cmd.key))
    return Reply.private(tx.removed(cmd.key))


async def create_api_key(ctx: Context, cmd: c.CreateApiKey) -> Reply:
    api_key = "wow_" + secrets.token_urlsafe(24)
    if not await ctx.uow.api_keys.add(ctx.workspace.id, cmd.label, hash_key(api_key), ctx.now):
        raise Conflict(tx.key_exists(cmd.label))
    return Reply.private(tx.key_created(cmd.label, api_key))


async def revoke_api_key(ctx: Context, cmd: c.RevokeApiKey) -> Reply:
    if not await ctx.uow.api_keys.revoke(ctx.workspace.id, cmd.label):
        keys = ", ".join(k.label for k in await ctx.uow.api_keys.list(ctx.workspace.id))
        raise NotFound(tx.no_such_key(cmd.label, keys))
    return Reply.private(tx.key_revoked(cmd.label))


async def list_api_keys(ctx: Context, cmd: c.ListApiKeys) -> Reply:
    keys = await ctx.uow.api_keys.list(ctx.workspace.id)
    if not keys:
        return Reply.private(tx.NO_KEYS)
    lines = [tx.key_line(k.label, shown(k.created_at, ctx.actor.tz)) for k in keys]
    return Reply(Message(title=tx.KEYS_TITLE, text="\n".join(lines)))
