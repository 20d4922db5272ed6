"""Bad input gets its own clear message, and changes nothing in the database."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.storage.tables import Base
from tests.conftest import Harness

LONG = "x" * 2001

# (who, command or ("click", action, value, text), what the answer must say)
CASES: list[tuple[str, Any, str]] = [
    ("bob", "/wow frobnicate", 'I don\'t know the command "frobnicate"'),
    ("bob", "/wow help frobs", 'There is no command "frobs"'),
    ("bob", "/wow hero saved the day", "Mention who you're recognising first."),
    ("bob", "/wow hero <@carol>", "Tell the story too"),
    ("bob", f"/wow hero <@carol> {LONG}", "The story is 2,001 characters; the limit is 2,000"),
    ("bob", "/wow hero <@carol> great work #teamwork", '"#teamwork" is not one of this'),
    ("bob", "/wow hero <@bob> I was great", "You can't nominate yourself"),
    ("bob", "/wow leaderboard decade", '"decade" is not a period'),
    ("bob", "/wow leaderboard #nope", '"nope" is not one of this workspace\'s values'),
    ("bob", "/wow stats <@alice> <@carol>", "Mention one person"),
    ("bob", "/wow me tz Mars/Olympus", 'Unknown time zone "Mars/Olympus"'),
    ("bob", "/wow me timezone Europe/Helsinki", "To set your time zone, write tz"),
    ("bob", "/wow gift Acme pizza", "Put a colon after the customer's name."),
    ("bob", "/wow gift : pizza", "Name the customer before the colon."),
    ("bob", "/wow gift Acme:", "Say what the gift is after the colon."),
    ("bob", "/wow gift Acme: pizza -5 EUR", "The cost can't be negative"),
    ("bob", "/wow gift Acme: yacht 1000000 EUR", "A gift can cost at most €1,000.00"),
    ("bob", "/wow gift Acme: pizza $40", "This workspace budgets in EUR"),
    ("bob", "/wow gift Acme: " + "g" * 301, "The gift is 301 characters; the limit is 300"),
    ("bob", "/wow gift " + "c" * 201 + ": pizza", "The customer is 201 characters"),
    ("bob", "/wow gift Acme: pizza because", 'Say why after "because"'),
    ("bob", "/wow gifts everything", '"everything" is not one of pending, mine, month'),
    ("bob", "/wow followup", "Name the customer and when to follow up."),
    ("bob", "/wow followup Acme", 'When should I remind you about "Acme"?'),
    ("bob", "/wow followup Acme yesterday", "is in the past"),
    ("bob", "/wow followup Acme in 2 years", "is more than a year away"),
    ("bob", "/wow followups later", '"later" is not one of mine, team, overdue'),
    ("bob", "/wow kpi log", "Give the KPI's key and a value."),
    ("bob", "/wow kpi log csat lots", 'The value "lots" is not a number.'),
    ("bob", "/wow kpi log nosuch 4", 'There is no KPI "nosuch"'),
    ("bob", "/wow kpi log hero_moments 4", "is computed from the data"),
    ("bob", "/wow kpi log csat 4 2026-13-45", '"2026-13-45" is not a date'),
    ("bob", "/wow kpi log csat 4 2030-01-01", "2030-01-01 is in the future"),
    ("bob", "/wow kpi chart", '"chart" is not a kpi command.'),
    ("bob", "/wow digest subscribe", "Say when: at 08:30."),
    ("bob", "/wow digest subscribe at 25:99", '"25:99" is not a time of day'),
    ("bob", "/wow digest subscribe at 08:30 Mars/Base", 'Unknown time zone "Mars/Base"'),
    ("bob", "/wow digest subscribe at 08:30 sometimes", '"sometimes" is neither a time zone'),
    ("bob", "/wow digest unsubscribe", "#general has no digest."),
    ("bob", "/wow digest explode", '"explode" is not a digest command.'),
    ("bob", "/wow digest skip someday", '"someday" is not a day. Name one like tomorrow'),
    ("bob", "/wow admin budget 100 EUR", "Only admins can use /wow admin"),
    ("alice", "/wow admin frob", '"frob" is not an admin command.'),
    ("alice", "/wow admin managers add", "Mention the people to add as managers"),
    ("alice", "/wow admin budget lots EUR", '"lots EUR" is not an amount.'),
    ("alice", "/wow admin sla soon", "Give a whole number of hours from 1 to 720"),
    ("alice", "/wow admin followup-after-gift 0d", "Give a whole number of days from 1 to 365"),
    ("alice", "/wow admin values remove #nope", '"nope" is not a value.'),
    ("alice", "/wow admin values add Practice WOWism", "is a value already"),
    ("alice", "/wow admin kpi define CSAT x", "Start with a key of lowercase letters"),
    ("alice", "/wow admin kpi define nps NPS better=sideways", 'better= takes "higher"'),
    ("alice", "/wow admin kpi define nps NPS colour=red", '"colour=red" is not one of'),
    ("alice", "/wow admin kpi define hero_moments Heroes", "is a built-in KPI"),
    ("alice", "/wow admin admins remove <@alice>", "Alice is the last admin"),
    ("alice", "/wow admin channel lobby", "Say which channel (wall, gifts or recovery)"),
    ("alice", "/wow admin kpi source nosuch http https://x.example/a", 'There is no KPI "nosuch"'),
    ("alice", "/wow admin kpi source csat http ftp://x.example/a", "starting with http://"),
    ("alice", "/wow admin kpi source csat http https://x.example every=2d", "every= takes minutes"),
    ("alice", "/wow admin kpi source csat http https://x.example pointer=a", "starts with /"),
    ("alice", "/wow admin kpi source csat carrier-pigeon", "and its source: manual, push"),
    ("alice", "/wow admin kpi enable happiness", '"happiness" is not a ready-made KPI'),
    ("alice", "/wow admin apikey destroy", "Say apikey create [label]"),
    ("alice", "/wow admin apikey revoke nosuch", 'There is no API key "nosuch"'),
    ("bob", "/wow kpi history csat 1000d", '"1000d" is not a span'),
    ("bob", "/wow kpi history nosuch", 'There is no daily KPI "nosuch"'),
    ("bob", ("click", "gift.approve", "1", None), "Only managers and admins can approve"),
    ("maria", ("click", "gift.approve", "999", None), "Gift #999 doesn't exist"),
    ("maria", ("click", "gift.decline", "1", "r" * 1001), "The reason is 1,001 characters"),
    ("bob", ("click", "followup.done", "999", None), "Follow-up #999 doesn't exist"),
    ("carol", ("click", "followup.done", "1", None), "only they, managers and admins can"),
    ("bob", "/wow followup move 1 blursday", 'couldn\'t read "blursday" as a time'),
    ("bob", "/wow followup move 1 on 30 Feb", '"30 feb" is not a date'),
    ("bob", "/wow followup note 1 no colon", "Write the note after a colon"),
    ("bob", "/wow followup cancel one", "Give the follow-up's number after cancel"),
    ("bob", "/wow followup Acme tomorow", 'Did you mean "tomorrow" (not "tomorow")?'),
    ("maria", ("click", "gift.explode", "1", None), 'This button ("gift.explode") is not known'),
    ("carol", ("click", "gift.sent", "1", None), "Only the person who proposed this gift"),
    ("bob", ("click", "gift.sent", "1", None), "Gift #1 is proposed; only approved gifts"),
    ("bob", ("click", "hero.cheer", "77", None), "Hero moment #77 doesn't exist"),
]


async def snapshot(h: Harness) -> dict[str, list[tuple[Any, ...]]]:
    state = {}
    async with h.app.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = await connection.execute(select(table).order_by(*table.primary_key.columns))
            state[table.name] = [tuple(r) for r in rows]
    return state


async def setup(h: Harness) -> None:
    assert "Maria is now a manager." in await h.cmd("alice", "/wow admin managers add <@maria>")
    await h.cmd("alice", "/wow admin budget 100 EUR")
    await h.cmd("alice", '/wow admin kpi define csat "CSAT" unit=pts target=4.5')
    await h.cmd("carol", "/wow values")
    assert "Proposed WOW gift #1" in await h.cmd("bob", "/wow gift Acme: pizza 40 EUR")
    assert "Follow-up #1" in await h.cmd("bob", "/wow followup Acme in 2 weeks")


async def test_each_malformed_input_gets_its_own_message_and_changes_nothing(
    harness: Harness,
) -> None:
    await setup(harness)
    before = await snapshot(harness)
    sent_before = len(harness.messenger.sent)
    answers = []
    for who, command, expected in CASES:
        if isinstance(command, tuple):
            _, action, value, text = command
            answer = await harness.click(who, action, value, text)
        else:
            answer = await harness.cmd(who, command)
        assert expected in answer, f"{command!r} answered {answer!r}"
        assert "Something went wrong" not in answer
        assert await snapshot(harness) == before, f"{command!r} changed the database"
        answers.append(answer)
    assert len(CASES) >= 30
    assert len(set(answers)) == len(answers), "two different mistakes got the same message"
    assert len(harness.messenger.sent) == sent_before  # and nothing was sent


@pytest.mark.parametrize("text", ["/wow hero <@bob> <!channel> x", "/wow gift A: b $1.5.5"])
async def test_odd_input_never_crashes(harness: Harness, text: str) -> None:
    answer = await harness.cmd("alice", text)
    assert "Something went wrong" not in answer
