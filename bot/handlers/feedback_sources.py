"""`/wow admin feedback source …`: the helpdesks polled for ratings (SPEC §9). The auth
header is a secret: saved, never shown."""

from __future__ import annotations

from bot.core import commands as c
from bot.core.errors import NotFound
from bot.core.feedback_sources import FeedbackSource
from bot.core.messages import Message, Reply, Section
from bot.core.texts import feedback_sources as tx
from bot.core.zones import shown
from bot.handlers.context import Context
from bot.handlers.kpi_admin import public_url


async def set_source(ctx: Context, cmd: c.SetFeedbackSource) -> Reply:
    source = FeedbackSource(
        ctx.workspace.id,
        cmd.name,
        cmd.kind,
        cmd.url,
        cmd.every_minutes,
        cmd.auth_header,
        dict(cmd.fields),
        cmd.scale,
    )
    await ctx.uow.feedback_sources.save(source, ctx.now)
    return Reply.private(tx.saved(cmd.name, cmd.kind, cmd.every_minutes))


async def remove_source(ctx: Context, cmd: c.RemoveFeedbackSource) -> Reply:
    if not await ctx.uow.feedback_sources.remove(ctx.workspace.id, cmd.name):
        raise NotFound(tx.unknown(cmd.name))
    return Reply.private(tx.removed(cmd.name))


async def list_sources(ctx: Context, cmd: c.ListFeedbackSources) -> Reply:
    sources = await ctx.uow.feedback_sources.list(ctx.workspace.id)
    if not sources:
        return Reply.private(tx.NONE)
    tz = ctx.actor.tz
    sections = []
    for s in sources:
        lines = [
            tx.last_read(shown(s.last_polled_at, tz), s.last_taken)
            if s.last_polled_at
            else tx.NEVER_READ
        ]
        if s.last_error:
            lines.append(tx.failure(s.last_error))
        if s.next_poll_at:
            lines.append(tx.next_read(shown(s.next_poll_at, tz)))
        title = tx.listed(s.name, s.kind, public_url(s.url), s.every_minutes)
        sections.append(Section(title, tuple(lines)))
    return Reply(Message(title=tx.TITLE, text=tx.LISTED, sections=tuple(sections)))
