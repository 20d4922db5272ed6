"""Every phrase of `tests/phrases.py` (due times in several zones and across DST changes,
money in four currencies, quoted and unquoted names, calendar periods) typed on each
platform's own input path: the piped console, signed Slack slash commands against the app
with a fake Web API, and Bot Framework activities with a fake connector. Each answer must
show the reading the table expects; all mismatches are reported together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.adapters.console.render import ButtonRegistry
from bot.adapters.console.session import ConsoleClock, ConsoleSession
from bot.adapters.teams.cards import teams_words
from tests.conftest import Harness
from tests.phrases import ALL, GROUPS, USERS, Group
from tests.slack_world import SlackWorld
from tests.test_teams import TeamsWorld, card_text
from tests.test_teams import teams as teams

Say = Callable[[str, str], Awaitable[str]]  # (zone of the member, text after /wow) → answer


def test_the_table_holds_at_least_150_phrases_of_every_kind() -> None:
    assert len(ALL) >= 150
    texts = [p.text for _, p in ALL]
    assert len(set(texts)) >= 150  # a few repeat on purpose, in other zones or at other times
    for kind in ("followup", "gift", "leaderboard", "stats", "kpi log"):
        assert any(t.startswith(kind) for t in texts)


async def run_table(
    set_clock: Callable[[Group], None],
    say: Say,
    admin: Callable[[str], Awaitable[str]],
    words: Callable[[str], str] = str,
) -> None:
    """`words`: how the platform words the core's answers (Teams drops the `/wow`)."""
    misread = []
    for group in GROUPS:
        set_clock(group)
        for step in group.setup:
            answer = await admin(step.text)
            assert words(step.expected) in answer, answer
        for phrase in group.phrases:
            answer = await say(group.zone, phrase.text)
            if words(phrase.expected) not in answer:
                misread.append(
                    f"[{group.name}] /wow {phrase.text}\n  wanted: {words(phrase.expected)}"
                    f"\n  got:    {answer}"
                )
    assert not misread, f"{len(misread)} of {len(ALL)} misread:\n" + "\n".join(misread)


async def test_every_phrase_in_the_console(harness: Harness) -> None:
    out: list[str] = []
    session = ConsoleSession(
        harness.app, ConsoleClock(harness.clock.now()), ButtonRegistry(), out.append, "alice"
    )
    zones_set: set[str] = set()

    def set_clock(group: Group) -> None:
        harness.clock.set(group.now)

    async def typed(line: str) -> str:
        before = len(out)
        await session.handle(line)
        return "\n".join(out[before:])

    async def say(zone: str, text: str) -> str:
        await typed(f"/as {USERS[zone]}")
        if zone not in zones_set:  # the console does not know anyone's zone: they set it
            assert "Time zone set" in await typed(f"/wow me tz {zone}")
            zones_set.add(zone)
        return await typed(f"/wow {text}")

    async def admin(text: str) -> str:
        await typed("/as alice")
        return await typed(f"/wow {text}")

    await run_table(set_clock, say, admin)


async def test_every_phrase_as_a_signed_slack_command(slack: SlackWorld) -> None:
    ids = {zone: f"U{name.upper()}" for zone, name in USERS.items()}
    for zone, user in ids.items():  # Slack tells each member's zone (users.info)
        slack.fake.zones[user] = zone

    def set_clock(group: Group) -> None:
        slack.clock.set(group.now)

    async def say(zone: str, text: str) -> str:
        return await slack.command(ids[zone], text)

    async def admin(text: str) -> str:
        return await slack.command("UADMIN", text)

    await run_table(set_clock, say, admin)


async def test_every_phrase_as_a_teams_message(teams: TeamsWorld) -> None:
    def set_clock(group: Group) -> None:
        teams.clock.set(group.now)

    async def post(uid: str, name: str, zone: str, text: str) -> str:
        """A personal-chat message with the zone the Teams client reports."""
        activity: dict[str, Any] = teams.activity("29:bob", text=text, textFormat="plain")
        activity["from"] = {"id": uid, "name": name, "aadObjectId": f"aad-{name}"}
        activity["conversation"]["id"] = f"a:personal-{uid}"
        activity["localTimezone"] = zone
        before = len(teams.connector.calls)
        status, _ = await teams.post(activity)
        assert status in (200, 201)
        cards = [
            c.card
            for c in teams.connector.calls[before:]
            if c.card and c.kind != "update" and c.conversation == f"a:personal-{uid}"
        ]
        return "\n".join(card_text(card) for card in cards)

    async def say(zone: str, text: str) -> str:
        name = USERS[zone]
        return await post(f"29:{name}", name.title(), zone, text)

    async def admin(text: str) -> str:
        return await post("29:alice", "Alice", "Europe/Helsinki", text)

    await run_table(set_clock, say, admin, teams_words)
