"""Digest commands: subscribe, unsubscribe, skip, preview, now, status."""

from __future__ import annotations

from bot.core import commands as c
from bot.core.duetime import resolve_day
from bot.core.errors import NotFound, UsageError
from bot.core.messages import Destination, Message, Outgoing, Reply, Section
from bot.core.model import DigestSubscription
from bot.core.schedule import days_label, next_occurrence
from bot.core.texts import digests as tx
from bot.core.tokens import channel_ref
from bot.core.zones import local, shown
from bot.handlers.context import Context
from bot.handlers.digest_content import build_digest


async def _subscription(ctx: Context, channel: str | None) -> DigestSubscription:
    channel = channel or ctx.channel
    sub = await ctx.uow.digests.by_channel(ctx.workspace.id, channel)
    if sub is None:
        raise NotFound(tx.no_digest(channel_ref(channel)))
    return sub


def describe(sub: DigestSubscription, ctx: Context) -> str:
    upcoming = next_occurrence(sub, ctx.now)
    nxt = shown(upcoming, sub.tz) if upcoming else tx.NEVER
    when = f"{sub.local_time:%H:%M} {sub.tz} {days_label(sub.days)}"
    return tx.schedule(channel_ref(sub.channel), when, nxt)


async def subscribe(ctx: Context, cmd: c.DigestSubscribe) -> Reply:
    channel = cmd.channel or ctx.channel
    sub = await ctx.uow.digests.by_channel(ctx.workspace.id, channel) or DigestSubscription(
        id=0,
        workspace_id=ctx.workspace.id,
        channel=channel,
        local_time=cmd.at,
        tz=cmd.tz or ctx.actor.tz,
        days=frozenset(range(5)),
        created_at=ctx.now,
    )
    sub.local_time, sub.tz = cmd.at, cmd.tz or ctx.actor.tz
    sub.days = cmd.days if cmd.days is not None else sub.days
    if not sub.days:
        raise UsageError(tx.NO_DAYS)
    sub = await ctx.uow.digests.save(sub)
    return Reply.private(tx.subscribed(describe(sub, ctx)))


async def unsubscribe(ctx: Context, cmd: c.DigestUnsubscribe) -> Reply:
    sub = await _subscription(ctx, cmd.channel)
    await ctx.uow.digests.remove(sub.id)
    return Reply.private(tx.unsubscribed(channel_ref(sub.channel)))


async def skip(ctx: Context, cmd: c.DigestSkip) -> Reply:
    sub = await _subscription(ctx, cmd.channel)
    day = resolve_day(cmd.day, ctx.now, sub.tz)
    if day < local(ctx.now, sub.tz).date():
        raise UsageError(tx.day_passed(f"{day:%a %-d %b %Y}"))
    sub.skip_dates = sub.skip_dates | {day}
    await ctx.uow.digests.save(sub)
    return Reply.private(
        tx.skipped(channel_ref(sub.channel), f"{day:%a %-d %b %Y}", describe(sub, ctx))
    )


async def preview(ctx: Context, cmd: c.DigestPreview) -> Reply:
    sub = await ctx.uow.digests.by_channel(ctx.workspace.id, ctx.channel)
    tz = sub.tz if sub else ctx.actor.tz
    return Reply(await build_digest(ctx.uow, ctx.workspace, tz, ctx.now))


async def now(ctx: Context, cmd: c.DigestNow) -> Reply:
    sub = await ctx.uow.digests.by_channel(ctx.workspace.id, ctx.channel)
    tz = sub.tz if sub else ctx.actor.tz
    await ctx.send(
        Outgoing(
            await build_digest(ctx.uow, ctx.workspace, tz, ctx.now),
            Destination.to_channel(ctx.channel),
            description=f"digest now in #{ctx.channel}",
        )
    )
    return Reply.private(tx.posted(channel_ref(ctx.channel)))


async def status(ctx: Context, cmd: c.DigestStatus) -> Reply:
    subs = await ctx.uow.digests.subscriptions(ctx.workspace.id)
    sections = []
    for sub in subs:
        runs = await ctx.uow.digests.runs(sub.id, 7)
        lines = [describe(sub, ctx)] + [
            tx.run_line(
                f"{r.local_date:%a %d %b}",
                r.status,
                shown(r.ran_at, sub.tz) if r.status != "missed" else None,
            )
            for r in runs
        ]
        sections.append(Section(channel_ref(sub.channel), tuple(lines)))
    failures = await ctx.uow.outbox.failures(ctx.workspace.id, 10)
    if failures:
        sections.append(
            Section(
                tx.DELIVERY_ERRORS,
                tuple(
                    tx.failure_line(shown(f.at, ctx.actor.tz), f.description, f.error)
                    for f in failures
                ),
            )
        )
    text = tx.SUBSCRIPTIONS if subs else tx.NO_SUBSCRIPTIONS
    return Reply(Message(title=tx.STATUS_TITLE, text=text, sections=tuple(sections)))
