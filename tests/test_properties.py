"""Property-based tests (hypothesis) over the whole `/wow` grammar and every form (issue #10):
for any text, on SQLite and PostgreSQL, the bot answers; never "Something went wrong", never a
traceback in the log; and an answer that is an error leaves the database unchanged and sends
nothing."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.commands import Action
from bot.core.messages import Reply
from bot.handlers.routes import ACTIONS
from tests.conftest import PG_URL, Harness, make_harness, reset_postgres
from tests.test_malformed import snapshot

EXAMPLES = int(os.environ.get("WOWBOT_PROPERTY_EXAMPLES", "150"))

# Every command's shape, with slots that hold valid values, hostile ones and noise, so that
# generated commands reach deep into each parser and handler (not only its first check).
TEMPLATES = [
    "hero {mention} {text}",
    "hero {mention} {mention} {text} {value}",
    "hero {text}",
    "leaderboard {word} {value}",
    "stats {mention}",
    "me tz {word}",
    "gift {text}: {text} {money}",
    "gift {text}: {text} {money} because {text}",
    'gift "{text}": {text} {money}',
    "gifts {word}",
    "followup {text} {when}",
    "followup {text} {when}: {text}",
    'followup "{text}" {when}: {text}',
    "followups {word}",
    "kpi log {kpi} {number}",
    "kpi log {kpi} {number} {word}",
    "kpi history {kpi} {word}",
    "kpi {word}",
    "digest subscribe {channel} at {word} {word} {word}",
    "digest subscribe at {word}",
    "digest skip {word} {channel}",
    "digest unsubscribe {channel}",
    "digest {word}",
    "admin managers {word} {mention}",
    "admin admins {word} {mention}",
    "admin channel {word} {channel}",
    "admin values add {text} #{word}",
    "admin values remove {text}",
    "admin budget {number} {word}",
    "admin sla {number}h",
    "admin followup-after-gift {number}d",
    'admin kpi define {key} "{text}" unit={word} target={number} near={number}',
    "admin kpi define {key} {word} min={number} max={number} better={word} source={word}",
    "admin kpi enable {word}",
    "admin kpi source {kpi} {word}",
    "admin kpi source {kpi} http https://x.example/{word} pointer=/{word} every={word}",
    'admin kpi source {kpi} http https://x.example auth="{text}"',
    "admin kpi remove {kpi}",
    "admin apikey {word} {word}",
    "help {word}",
    "{text}",
]
HOSTILE = st.sampled_from(
    [
        "\x00",
        "\ue002C1\ue003",
        "\ue000U1\ue001",
        "<!channel>",
        "<@",
        "<#C",
        "&lt;@U1&gt;",
        "\u202e",
        "\r\n",
        "\t",
        '"',
        ":",
        "#",
        "x" * 400,
        "9" * 60,
    ]
)
TEXT = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=24),
    st.text(alphabet=st.characters(), max_size=8),  # lone surrogates too
    st.lists(st.sampled_from(["Acme", "Dental", "2000", "in", "on", "at", "x"]), max_size=5).map(
        " ".join
    ),
    HOSTILE,
)
NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["NaN", "sNaN", "-inf", "1e308", "-1e308", "1e-400", "٣", "²", "1,5", "4.6"]),
    st.sampled_from(["0", "1", "5", "100", "150", "-5", "99999999999", "1" * 5000]),
)
SLOTS: dict[str, Any] = {
    "text": TEXT,
    "word": st.one_of(
        st.sampled_from(
            [
                *("add", "remove", "wall", "gifts", "week", "all", "mine", "team", "overdue"),
                *("08:30", "25:99", "Europe/Helsinki", "Mars/Base", "daily", "mon,wed", "30d"),
                *("2026-12-01", "2026-13-45", "USD", "EUR", "XYZ", "higher", "push", "csat"),
                *("create", "revoke", "list", "preview", "now", "15m", "0m", "24h", "999999m"),
            ]
        ),
        TEXT,
    ),
    "number": NUMBER,
    "money": st.one_of(NUMBER.map(lambda n: "$" + n), NUMBER.map(lambda n: n + " EUR"), TEXT),
    "when": st.one_of(
        st.sampled_from(["tomorrow", "in 2 weeks", "next friday", "on 2026-12-01", "yesterday"]),
        st.sampled_from(["in 9999999999 days", "on 30 Feb", "tomorow", "at 25:00", "in 2 years"]),
        TEXT,
    ),
    "mention": st.sampled_from(["<@bob>", "<@maria>", "<@alice>", "<@U" + "9" * 200 + ">", "@x"]),
    "channel": st.sampled_from(["<#CWALL|wall>", "#gifts", "#" + "c" * 90, "<#C>", "nope", ""]),
    "value": st.sampled_from(["#wowism", "#Practice WOWism", "#nope", "#", ""]),
    "kpi": st.sampled_from(["csat", "calls", "hero_moments", "nosuch", "CSAT", ""]),
    "key": st.sampled_from(["x", "calls", "hero_moments", "BAD", "k" * 41]),
}


def fill(template: str) -> Any:
    names = [part.split("}")[0] for part in template.split("{")[1:]]
    return st.tuples(*(SLOTS[n] for n in names)).map(
        lambda values: "/wow " + template.format_map(_Values(names, values))
    )


class _Values(dict[str, str]):
    """Fills each slot of a template in order, even when two slots share a name."""

    def __init__(self, names: list[str], values: tuple[str, ...]) -> None:
        super().__init__()
        self._queue = {n: [v for m, v in zip(names, values, strict=True) if m == n] for n in names}

    def __missing__(self, key: str) -> str:
        return self._queue[key].pop(0)


COMMAND = st.sampled_from(TEMPLATES).flatmap(fill)
LONG = st.builds(lambda head, n, tail: head + tail * n, COMMAND, st.integers(0, 3000), TEXT)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "nominees": st.sampled_from(["bob", "bob,maria", "alice", "", ",", "U" + "9" * 300]),
        "story": TEXT,
        "customer": TEXT,
        "value": SLOTS["value"] | TEXT,
        "gift": TEXT,
        "why": TEXT,
        "cost": SLOTS["money"] | NUMBER,
        "reason": TEXT,
        "personalized": st.sampled_from(["true", "false", ""]),
        "appropriate": TEXT,
    },
)
ACTION = st.builds(
    Action,
    st.sampled_from([*ACTIONS, "gift.explode"]),
    st.one_of(st.sampled_from(["1", "2", "0", "-1", ""]), NUMBER, TEXT),
    st.one_of(st.none(), TEXT, st.text(max_size=1200)),
    FIELDS.map(lambda d: tuple(d.items())),
)
USERS = st.sampled_from(["alice", "bob", "maria"])


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, Harness]]:
    """A bot on real storage and its own event loop (hypothesis drives the examples)."""
    loop = asyncio.new_event_loop()
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'wow.db'}"
    elif PG_URL:
        url = PG_URL
        loop.run_until_complete(reset_postgres(url))
    else:
        pytest.skip("PostgreSQL tests need WOWBOT_TEST_DATABASE_URL; .ci/run sets it")
    harness = loop.run_until_complete(make_harness(url, admins="alice"))
    loop.run_until_complete(prepare(harness))
    yield loop, harness
    loop.run_until_complete(harness.app.close())
    loop.close()


async def prepare(h: Harness) -> None:
    """A workspace with something in it, so that clicks and lists find real rows."""
    for command in (
        "/wow admin managers add <@maria>",
        "/wow admin budget 500 USD",
        "/wow admin kpi enable csat",
        '/wow admin kpi define calls "Calls" min=0',
        "/wow hero <@bob> answered every call",
    ):
        await h.cmd("alice", command)
    await h.cmd("bob", "/wow gift Acme: pizza $40")
    await h.cmd("bob", "/wow followup Acme in 2 weeks")


async def attempt(h: Harness, who: str, run: Any, caplog: pytest.LogCaptureFixture) -> None:
    before = await snapshot(h)
    sent = len(h.messenger.sent)
    caplog.clear()
    reply: Reply = await run(h.who(who))
    text = reply.message.text if reply.message else ""
    assert "Something went wrong" not in text, text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    if reply.error:
        assert await snapshot(h) == before, f"an error changed the database: {text[:200]!r}"
        assert len(h.messenger.sent) == sent
    await h.app.sender.deliver_due()


def run_examples(world: tuple[Any, Harness], strategy: Any, caplog: Any, call: Any) -> None:
    loop, harness = world

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(who=USERS, payload=strategy)
    def check(who: str, payload: Any) -> None:
        loop.run_until_complete(attempt(harness, who, call(harness, payload), caplog))

    with caplog.at_level(logging.ERROR):
        check()


def test_any_typed_command_is_answered_and_errors_change_nothing(
    world: tuple[Any, Harness], caplog: pytest.LogCaptureFixture
) -> None:
    run_examples(
        world,
        COMMAND | LONG,
        caplog,
        lambda h, text: lambda who: h.app.bot.command(who, text),
    )


def test_any_click_or_form_submission_is_answered_and_errors_change_nothing(
    world: tuple[Any, Harness], caplog: pytest.LogCaptureFixture
) -> None:
    run_examples(
        world,
        ACTION,
        caplog,
        lambda h, action: lambda who: h.app.bot.action(who, action),
    )
