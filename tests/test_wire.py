"""The wire form: only mentions the platform vouched for are mentions; typed text stays text."""

from __future__ import annotations

import pytest

from bot.core import commands as c
from bot.core.errors import UsageError
from bot.core.parsing import parse
from bot.core.tokens import to_wire
from tests.conftest import Harness


def test_a_typed_mention_is_text_not_a_nominee() -> None:
    with pytest.raises(UsageError, match="Mention who you're recognising first"):
        parse("hero &lt;@U0000&gt; did it all")


def test_real_mentions_lead_and_the_rest_reads_as_typed() -> None:
    command = parse("hero <@U1|bob> thanks <@U2|carol> &amp; &lt;!channel&gt; &lt;@U0000&gt;")
    assert command == c.RecordHero(("U1",), "thanks @carol & <!channel> <@U0000>")


def test_a_user_cannot_type_the_core_sentinels() -> None:
    command = parse("hero <@U1|bob> sneaky \ue000U9\ue001 text")
    assert command.nominees == ("U1",) and command.story == "sneaky U9 text"


def test_channels_come_as_platform_links_or_plain_names() -> None:
    assert parse("digest subscribe <#C9|team> at 08:30").channel == "C9"
    assert parse("admin channel wall #wow-wall").channel == "wow-wall"
    assert parse("leaderboard <#C1|wowism>").value == "wowism"  # Slack linked a same-name channel


def test_to_wire_escapes_what_people_type() -> None:
    assert to_wire("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert parse("gift " + to_wire("A&B Dental: <3 cupcakes")).customer == "A&B Dental"


async def test_in_the_console_only_at_name_is_a_mention(harness: Harness) -> None:
    from bot.adapters.console.render import ButtonRegistry
    from bot.adapters.console.session import ConsoleClock, ConsoleSession

    out: list[str] = []
    session = ConsoleSession(
        harness.app, ConsoleClock(harness.clock.now()), ButtonRegistry(), out.append, "alice"
    )
    await session.handle("/wow hero <@bob> typed a fake mention")
    assert "Mention who you're recognising first." in out[-1]
    await session.handle("/wow hero @bob fixed A&B's <b>bold</b> greeting")
    await harness.app.sender.deliver_due()
    wall = harness.messenger.to("channel")[0].message
    assert wall.text == "fixed A&B's <b>bold</b> greeting"
