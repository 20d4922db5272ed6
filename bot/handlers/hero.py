"""Hero moments: the wall post with Cheer, nominee DMs, leaderboard, stats, values, me."""

from __future__ import annotations

import datetime as dt

from bot.core import commands as c
from bot.core.errors import Conflict, NotFound, UsageError
from bot.core.guards import bounded, one_line, parse_id
from bot.core.limits import LIMITS
from bot.core.messages import (
    Button,
    Destination,
    Field,
    Form,
    Input,
    Message,
    Outgoing,
    Reply,
    Section,
)
from bot.core.model import CoreValue, HeroMoment
from bot.core.texts import SELF_NOMINATION, clip, usage
from bot.core.texts import heroes as tx
from bot.core.zones import PERIODS, at_local, calendar_period, dates_shown, local, shown
from bot.handlers.context import Context
from bot.handlers.format import quote_line

MAX_NOMINEES = 50


def find_value(values: list[CoreValue], text: str) -> CoreValue | None:
    wanted = " ".join(text.lower().lstrip("#").split())
    return next((v for v in values if wanted in (v.slug.lower(), v.name.lower())), None)


def unknown_value(text: str, values: list[CoreValue]) -> UsageError:
    known = ", ".join(f"#{v.slug} ({v.name})" for v in values)
    return UsageError(tx.unknown_value(text, known))


def split_value(story: str, values: list[CoreValue]) -> tuple[str, CoreValue | None]:
    """A story may end in `#slug` or `#Full Name`; a trailing `#word` must be a value."""
    words = story.split()
    if words and words[-1].startswith("#") and len(words[-1]) > 1:
        value = find_value(values, words[-1])
        if value is None:
            raise unknown_value(words[-1], values)
        return " ".join(words[:-1]), value
    hash_at = story.rfind("#")
    if hash_at >= 0:
        value = find_value(values, story[hash_at + 1 :])
        if value is not None:
            return story[:hash_at].rstrip(), value
    return story, None


def wall_message(moment: HeroMoment, names: dict[int, str], value: CoreValue | None) -> Message:
    nominees = ", ".join(names[i] for i in moment.nominee_ids)
    label = tx.WALL_FIELDS
    fields = [
        Field(label["heroes"], nominees),
        Field(label["nominator"], names[moment.nominator_id]),
    ]
    if value:
        fields.append(Field(label["value"], tx.value_shown(value.name, value.slug)))
    if moment.customer:
        fields.append(Field(label["customer"], moment.customer))
    cheer = tx.cheer_button(moment.cheers)
    return Message(
        title=tx.wall_title(nominees),
        text=moment.story,
        fields=tuple(fields),
        buttons=(Button(cheer, "hero.cheer", str(moment.id), "primary"),),
    )


async def record_hero(ctx: Context, cmd: c.RecordHero) -> Reply:
    values = await ctx.uow.values.list(ctx.workspace.id)
    if cmd.value:
        story, value = cmd.story.strip(), find_value(values, cmd.value)
        if value is None:
            raise unknown_value(cmd.value, values)
    else:
        story, value = split_value(cmd.story, values)
    if not story.strip():
        raise UsageError(f"{tx.NO_STORY}\n{usage('hero')}")
    bounded("story", story)
    customer = bounded("customer", one_line(cmd.customer or "")) or None
    if len(cmd.nominees) > MAX_NOMINEES:
        raise UsageError(tx.too_many_nominees(MAX_NOMINEES, len(cmd.nominees)))
    if ctx.actor.user_id in cmd.nominees:
        raise UsageError(SELF_NOMINATION)
    nominees = await ctx.members(cmd.nominees)
    moment = await ctx.uow.heroes.add(
        HeroMoment(
            id=0,
            workspace_id=ctx.workspace.id,
            nominator_id=ctx.actor.id,
            nominee_ids=[m.id for m in nominees],
            story=story,
            created_at=ctx.now,
            customer=customer,
            value_id=value.id if value else None,
        )
    )
    names = {m.id: m.name for m in nominees} | {ctx.actor.id: ctx.actor.name}
    wall = ctx.workspace.wall_channel or ctx.channel
    await ctx.send(
        Outgoing(
            wall_message(moment, names, value),
            Destination.to_channel(wall),
            key=f"hero:{moment.id}:wall",
            description=f"hero moment #{moment.id} on the wall",
        )
    )
    for nominee in nominees:
        await ctx.send(
            Outgoing(
                Message(
                    title=tx.recognised_you(ctx.actor.name),
                    text=story,
                    fields=((Field(tx.WALL_FIELDS["value"], value.name),) if value else ()),
                ),
                Destination.to_member(nominee.id),
                description=f"hero moment #{moment.id} to {nominee.name}",
            )
        )
    who = ", ".join(m.name for m in nominees)
    shown_value = tx.value_shown(value.name, value.slug) if value else None
    return Reply.private(tx.recorded(moment.id, who, shown_value))


def hero_form(
    ctx: Context,
    values: list[CoreValue],
    filled: dict[str, str] | None = None,
    typed: str | None = None,
) -> Reply:
    """The hero form; `filled`: inputs filled in already (praise turned into a hero moment),
    and `typed`: the same command to type where no form can show (the console)."""
    form, filled = tx.FORM, filled or {}
    return Reply(
        Message(
            text=form["text"],
            form=Form(
                title=form["title"],
                action="hero.submit",
                value="",
                inputs=(
                    Input("nominees", form["nominees"], "members", initial=filled.get("nominees")),
                    Input(
                        "story",
                        form["story"],
                        "multiline",
                        max_length=LIMITS["story"],
                        initial=filled.get("story"),
                    ),
                    Input(
                        "customer",
                        form["customer"],
                        required=False,
                        max_length=LIMITS["customer"],
                        initial=filled.get("customer"),
                    ),
                    Input(
                        "value",
                        tx.value_question(", ".join(v.slug for v in values)),
                        required=False,
                    ),
                ),
                submit_label=form["submit"],
                typed_hint=typed or usage("hero"),
            ),
        )
    )


async def open_hero_form(ctx: Context, cmd: c.OpenHeroForm) -> Reply:
    return hero_form(ctx, await ctx.uow.values.list(ctx.workspace.id))


async def submit_hero_form(ctx: Context, action: c.Action) -> Reply:
    fields = dict(action.fields)
    nominees = tuple(
        dict.fromkeys(u.strip() for u in fields.get("nominees", "").split(",") if u.strip())
    )
    if not nominees:
        raise UsageError(tx.NO_NOMINEES)
    return await record_hero(
        ctx,
        c.RecordHero(
            nominees,
            fields.get("story", ""),
            fields.get("customer") or None,
            fields.get("value") or None,
        ),
    )


async def cheer(ctx: Context, action: c.Action) -> Reply:
    moment_id = parse_id(action.value)
    moment = await ctx.uow.heroes.get(ctx.workspace.id, moment_id) if moment_id else None
    if moment is None:
        raise NotFound(tx.no_such_moment(clip(action.value)))
    if not await ctx.uow.heroes.add_cheer(moment.id, ctx.actor.id):
        raise Conflict(tx.CHEERED_ALREADY)
    moment.cheers += 1
    values = await ctx.uow.values.list(ctx.workspace.id)
    value = next((v for v in values if v.id == moment.value_id), None)
    names = await ctx.names([*moment.nominee_ids, moment.nominator_id])
    await ctx.send(
        Outgoing(
            wall_message(moment, names, value),
            update_key=f"hero:{moment.id}:wall",
            description=f"cheer count of hero moment #{moment.id}",
            redraws_click=True,
        )
    )
    return Reply.private(tx.cheered(moment.id, moment.cheers))


async def leaderboard(ctx: Context, cmd: c.Leaderboard) -> Reply:
    values = await ctx.uow.values.list(ctx.workspace.id)
    value = None
    if cmd.value:
        value = find_value(values, cmd.value)
        if value is None:
            raise unknown_value(cmd.value, values)
    since, scope = period_scope(cmd.period, ctx.now, ctx.actor.tz)
    counts = await ctx.uow.heroes.received_counts(
        ctx.workspace.id, since, value.id if value else None
    )
    names = await ctx.names([m for m, _ in counts[:10]])
    title = tx.leaderboard_title(scope, value.name if value else None)
    if not counts:
        return Reply.private(tx.leaderboard_empty(title))
    lines = tuple(tx.ranked(rank, names[m], n) for rank, (m, n) in enumerate(counts[:10], 1))
    return Reply(Message(title=title, text="\n".join(lines)))


def period_scope(period: str, now: dt.datetime, tz: str) -> tuple[dt.datetime | None, str]:
    """Where a calendar period starts (None: all time), and how a title names it, with its
    dates in the viewer's zone: `this week (23–29 Nov 2026)`."""
    if period not in PERIODS:
        return None, tx.ALL_TIME
    first, last = calendar_period(period, now, tz)
    return at_local(first, dt.time(0), tz), tx.this_period(period, dates_shown(first, last))


async def stats(ctx: Context, cmd: c.Stats) -> Reply:
    member = await ctx.member(cmd.member) if cmd.member else ctx.actor
    since, scope = period_scope(cmd.period, ctx.now, ctx.actor.tz)
    moments = await ctx.uow.heroes.involving(ctx.workspace.id, member.id, since)
    given = [m for m in moments if m.nominator_id == member.id]
    received = [m for m in moments if member.id in m.nominee_ids]
    values = {v.id: v for v in await ctx.uow.values.list(ctx.workspace.id)}
    per_value: dict[str, int] = {}
    for m in received:
        if m.value_id in values:
            per_value[values[m.value_id].name] = per_value.get(values[m.value_id].name, 0) + 1
    recent = tuple(
        f"{local(m.created_at, ctx.actor.tz):%d %b}: {m.story[:120]}" for m in received[:3]
    )
    say = tx.STATS
    fields = [Field(say["given"], str(len(given))), Field(say["received"], str(len(received)))]
    if per_value:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(per_value.items()))
        fields.append(Field(say["values"], counts))
    praise = await ctx.uow.feedback.praise_for(ctx.workspace.id, member.id, since, 3)
    sections = [Section(say["recent"], recent)] if recent else []
    if praise.count:
        fields.append(Field(say["praise"], str(praise.count)))
    if praise.first:
        sections.append(
            Section(say["said"], tuple(quote_line(f, ctx.actor.tz) for f in praise.first))
        )
    return Reply(
        Message(
            title=tx.stats_title(member.name, scope),
            text=say["recent_text"] if recent else say["none"],
            fields=tuple(fields),
            sections=tuple(sections),
        )
    )


async def list_values(ctx: Context, cmd: c.Values) -> Reply:
    values = await ctx.uow.values.list(ctx.workspace.id)
    lines = "\n".join(f"#{v.slug}  {v.name}" for v in values) or tx.NO_VALUES
    return Reply(Message(title=tx.VALUES_TITLE, text=lines))


async def me(ctx: Context, cmd: c.Me) -> Reply:
    if cmd.tz:
        ctx.actor.tz = cmd.tz
        await ctx.uow.members.save(ctx.actor)
    text = tx.profile(ctx.actor.name, ctx.actor.role.value, ctx.actor.tz)
    if cmd.tz:
        text = f"{tx.zone_set(shown(ctx.now, ctx.actor.tz))}\n{text}"
    return Reply.private(text)
