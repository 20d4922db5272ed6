"""Input a hostile or careless member sends (issue #10): each class of failure measured on the
bot before, as a table; stored values no report can choke on; history beyond one query's bind
parameters; a piped console that nothing ends."""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from bot.config import ConfigError, load_settings
from bot.core.limits import LIMITS
from bot.storage.tables import (
    Base,
    HeroMomentRow,
    KpiValueRow,
    MemberRow,
    NomineeRow,
)
from tests.conftest import Harness
from tests.test_malformed import snapshot

# (who, command or ("click", action, value), what the answer must say). Every one of these
# answered "Something went wrong", hung, or was stored wrong before.
CLASSES: list[tuple[str, Any, str]] = [
    # Numbers that are not numbers, or not sane ones.
    ("bob", "/wow kpi log csat 1e308", "The value 1e308 is out of range"),
    ("bob", "/wow kpi log csat -1e308", "The value -1e308 is out of range"),
    ("bob", "/wow kpi log csat inf", 'The value "inf" is not a number.'),
    ("bob", "/wow kpi log csat " + "9" * 400, "is not a number"),
    ("bob", "/wow kpi log nps 150", "150 is outside the scale of NPS (−100…100)"),
    ("bob", "/wow kpi log calls -5", "-5 is outside the scale of Calls"),
    ("bob", "/wow admin budget NaN USD", "Only admins can use /wow admin"),
    ("bob", "/wow admin sla soon", "Only admins can use /wow admin"),
    ("alice", "/wow admin budget NaN USD", '"NaN USD" is not an amount.'),
    ("alice", "/wow admin budget sNaN USD", '"sNaN USD" is not an amount.'),
    ("alice", "/wow admin budget 1e999999 USD", '"1e999999 USD" is not an amount.'),
    ("alice", "/wow admin sla 99999999999h", "Give a whole number of hours from 1 to 720"),
    ("alice", "/wow admin kpi define x X target=nan", 'The target "nan" is not a number.'),
    ("alice", "/wow admin kpi define x X near=1e300", "The near band 1e300 is out of range"),
    ("alice", "/wow admin kpi define x X min=5 max=1", "min= must be below max="),
    ("alice", "/wow admin kpi define x X min=0 max=5 target=9", "The target 9 is outside"),
    (
        "alice",
        "/wow admin kpi source calls http https://x.example every=" + "9" * 30 + "m",
        "every=",
    ),
    ("bob", "/wow gift Acme: mug " + "9" * 30 + " EUR", "is more than any gift can cost"),
    # Limits the database knows: now the core knows them first, and says so.
    (
        "alice",
        "/wow admin values add Foo #" + "s" * 51,
        "The slug is 51 characters; the limit is 50",
    ),
    ("alice", "/wow admin values add " + "V" * 101, "The value name is 101 characters"),
    ("alice", '/wow admin kpi define x "' + "L" * 101 + '"', "The label is 101 characters"),
    ("alice", "/wow admin kpi define x X unit=" + "u" * 21, "The unit is 21 characters"),
    (
        "alice",
        "/wow admin kpi source calls http https://x.example/" + "p" * 2000,
        "The URL is 2,018 characters",
    ),
    (
        "alice",
        "/wow admin kpi source calls http https://x.example pointer=/" + "p" * 200,
        "The pointer is 201 characters",
    ),
    (
        "alice",
        '/wow admin kpi source calls http https://x.example auth="' + "a" * 2001 + '"',
        "The auth header is 2,001 characters",
    ),
    ("alice", "/wow admin channel wall #" + "c" * 81, "A channel name is at most 80 characters"),
    ("bob", "/wow digest subscribe #" + "c" * 81 + " at 08:30", "A channel name is at most 80"),
    # Lengths checked before any costly reading.
    ("bob", "/wow followup " + "A" * 8000 + " tomorrow", "That command is 8,023 characters"),
    ("bob", "/wow followup " + "Acme " * 60 + "tomorrow", "The customer is 299 characters"),
    ("bob", "/wow " + "x" * 100_000, "That command is 100,005 characters"),
    ("bob", "/wow gift Acme: mug " + " " * 3000 + "$5", "The gift is 3,006 characters"),
    ("bob", "/wow hero " + " ".join(f"<@u{n}>" for n in range(51)) + " team", "up to 50 people"),
    # Button values that are no ids the database could hold.
    ("bob", ("click", "hero.cheer", "9" * 30), "Hero moment #999"),
    ("maria", ("click", "gift.approve", "²"), "Gift #² doesn't exist"),
    ("bob", ("click", "followup.done", "99999999999999999999"), "Follow-up #9999"),
]


async def setup(h: Harness) -> None:
    await h.cmd("alice", "/wow admin managers add <@maria>")
    await h.cmd("alice", "/wow admin kpi enable nps")
    await h.cmd("alice", '/wow admin kpi define calls "Calls" min=0')
    await h.cmd("alice", "/wow admin kpi define csat CSAT target=4.5")
    await h.cmd("carol", "/wow values")  # carol exists, so a mention of her changes nothing


async def test_each_class_of_hostile_input_is_refused_with_its_reason(harness: Harness) -> None:
    await setup(harness)
    before = await snapshot(harness)
    for who, command, expected in CLASSES:
        if isinstance(command, tuple):
            answer = await harness.click(who, command[1], command[2])
        else:
            answer = await harness.cmd(who, command)
        assert expected in answer, f"{str(command)[:80]!r} answered {answer[:300]!r}"
        assert "Something went wrong" not in answer
        assert await snapshot(harness) == before, f"{str(command)[:80]!r} changed the database"
    assert not harness.messenger.sent


async def test_values_within_a_kpis_scale_are_kept(harness: Harness) -> None:
    await setup(harness)
    assert "Logged" in await harness.cmd("bob", "/wow kpi log nps -100")
    assert "Logged" in await harness.cmd("bob", "/wow kpi log calls 1e12")
    assert "1,000,000,000,000" in await harness.cmd("bob", "/wow kpi")


async def test_control_and_marker_characters_never_reach_the_database(harness: Harness) -> None:
    # NUL is refused by PostgreSQL; U+E002…U+E003 would be a channel link the user forged.
    story = "fixed\x00 the \x1b[31mline\r\nfor \ue002CSECRET\ue003 everyone\x7f"
    answer = await harness.cmd("alice", f"/wow hero <@bob> {story}")
    assert answer.startswith("Thanks! Hero moment #1")
    await harness.click(
        "alice",
        "hero.submit",
        "",
        nominees="bob",
        story="from the form\x00 \ue002CSECRET\ue003",
        customer="Acme\x00\nDental",
    )
    async with harness.app.engine.connect() as connection:
        stories = list(
            await connection.execute(select(HeroMomentRow.story, HeroMomentRow.customer))
        )
    assert stories == [
        ("fixed the [31mline\nfor CSECRET everyone", None),
        ("from the form CSECRET", "Acme Dental"),
    ]
    for outgoing in harness.messenger.sent:
        assert not any(ch in outgoing.message.text for ch in "\x00\ue002\ue003")


async def test_no_stored_value_can_break_a_kpi_line_a_history_or_a_digest(
    harness: Harness, db_url: str
) -> None:
    """Values the bot would refuse today may be in the database from before, or from
    another writer: every report still reads."""
    await setup(harness)
    today = dt.date(2026, 11, 23)
    weird = [1e308, -1e308, math.inf, -math.inf, 1e308]
    if db_url.startswith("postgresql"):
        weird.append(math.nan)  # SQLite stores NaN as NULL, which the column refuses
    async with harness.app.engine.begin() as connection:
        await connection.execute(
            insert(KpiValueRow),
            [
                {"workspace_id": 1, "key": key, "day": today - dt.timedelta(days=i), "value": v}
                | {"source": "manual"}
                for key in ("csat", "calls")
                for i, v in enumerate(weird)
            ],
        )
    await harness.cmd("alice", "/wow digest subscribe at 08:30 daily")
    for command in ("/wow kpi", "/wow kpi history csat", "/wow digest preview", "/wow kpi status"):
        answer = await harness.cmd("bob", command)
        assert "Something went wrong" not in answer, (command, answer)
        assert "nan" not in answer.lower().split(), (command, answer)
    harness.clock.advance(days=1)
    await harness.tick()
    digests = [
        o for o in harness.messenger.sent if (o.message.title or "").startswith("WOW digest")
    ]
    assert len(digests) == 1


@pytest.mark.parametrize("moments", [33_000])
async def test_history_beyond_one_querys_bind_parameters(harness: Harness, moments: int) -> None:
    """asyncpg takes at most 32,767 bind parameters a query: no query may take one per row."""
    await harness.cmd("alice", "/wow hero <@bob> the first of many")
    yesterday = harness.clock.now() - dt.timedelta(days=1)
    async with harness.app.engine.begin() as connection:
        ids = dict(list(await connection.execute(select(MemberRow.user_id, MemberRow.id))))
        first = (await connection.execute(select(HeroMomentRow.id))).scalar_one()
        rows = [
            {
                "id": first + n,
                "workspace_id": 1,
                "nominator_id": ids["alice"],
                "story": f"story {n}",
                "created_at": yesterday + dt.timedelta(seconds=n % 3600),
            }
            for n in range(1, moments + 1)
        ]
        await connection.execute(insert(HeroMomentRow), rows)
        await connection.execute(
            insert(NomineeRow), [{"moment_id": r["id"], "member_id": ids["bob"]} for r in rows]
        )
    preview = await harness.app.bot.command(harness.who("alice"), "/wow digest preview")
    assert preview.message is not None
    lines = [line for s in preview.message.sections for line in s.lines]
    assert f"{moments:,} hero moments yesterday" in lines
    stats = await harness.app.bot.command(harness.who("bob"), "/wow stats")
    assert stats.message is not None and not stats.error
    assert ("Received", str(moments + 1)) in [(f.label, f.value) for f in stats.message.fields]


HOSTILE_LINES = [
    "/wow hero @bob nul\x00 and \x1b[31m escape",
    "/time +99999999999d",
    "/time +9999999d",
    "/time 99999-01-01",
    "/time +2000d",
    "/as " + "x" * 300,
    "/click 99999999999999999999999",
    "/in #" + "c" * 500,
    "/wow " + "y" * 100_000,
    "/wow admin budget NaN USD",
    "/wow kpi log csat 1e308",
    "/wow followup " + "Acme " * 2000 + "tomorrow",
]


def test_a_piped_console_survives_any_line(tmp_path: Path) -> None:
    """`wowbot console` as a real process: hostile lines, bytes that are not UTF-8, and it
    still answers the last command and leaves with status 0."""
    lines = "\n".join(HOSTILE_LINES).encode() + b"\n\xff\xfe not utf-8\n/wow values\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WOWBOT_", "SLACK_"))}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--as", "alice", "--now", "2026-11-23T09:00"],
        input=lines,
        capture_output=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(Path(__file__).parent.parent)},
        timeout=120,
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, err
    assert "Traceback" not in out + err and "Something went wrong" not in out
    assert "That command is 100,000 characters" in out
    assert "Only admins" not in out and '"NaN USD" is not an amount.' in out
    assert "Practice WOWism" in out.split("/wow values")[-1]


def test_every_column_a_user_fills_is_as_wide_as_the_cores_limit() -> None:
    """The core checks `LIMITS`; the tables must hold exactly that much."""
    columns = {
        ("members", "name"): "name",
        ("members", "user_id"): "user id",
        ("core_values", "name"): "value name",
        ("core_values", "slug"): "slug",
        ("hero_moments", "customer"): "customer",
        ("gifts", "customer"): "customer",
        ("gifts", "gift"): "gift",
        ("gifts", "why"): "why",
        ("gifts", "decline_reason"): "reason",
        ("gifts", "channel"): "channel",
        ("followups", "customer"): "customer",
        ("followups", "note"): "note",
        ("kpi_definitions", "label"): "label",
        ("kpi_definitions", "unit"): "unit",
        ("kpi_sources", "url"): "URL",
        ("kpi_sources", "pointer"): "pointer",
        ("kpi_sources", "auth_header"): "auth header",
        ("digest_subscriptions", "channel"): "channel",
        ("workspaces", "wall_channel"): "channel",
        ("workspaces", "gifts_channel"): "channel",
        ("workspaces", "external_id"): "workspace id",
    }
    for (table, column), limit in columns.items():
        width = Base.metadata.tables[table].c[column].type.length
        assert width == LIMITS[limit], f"{table}.{column} holds {width}, the core allows {limit}"


@pytest.mark.parametrize("cost", ["NaN", "inf", "-5", "1e30"])
def test_a_gift_cost_limit_the_database_cannot_hold_stops_start_up(cost: str) -> None:
    with pytest.raises(ConfigError, match="WOWBOT_MAX_GIFT_COST"):
        load_settings(wowbot_max_gift_cost=cost)
