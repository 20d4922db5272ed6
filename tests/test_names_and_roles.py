"""Names matched without regard to case, value slugs in any script, managers listed, and
an admin mistake answered with only that command's usage."""

from __future__ import annotations

from bot.adapters.console.render import ButtonRegistry
from bot.adapters.console.session import ConsoleClock, ConsoleSession
from tests.conftest import Harness


async def test_admin_managers_lists_managers_and_admins(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow admin managers add <@maria> <@bob>")
    assert await h.cmd("alice", "/wow admin managers") == (
        "Managers: Bob, Maria.\nAdmins: Alice (admins decide gifts too).\n"
        "Change them with /wow admin managers add|remove @a or /wow admin admins …"
    )
    assert "Only admins" in await h.cmd("bob", "/wow admin managers")


async def test_a_value_in_any_script_gets_a_slug_in_that_script(harness: Harness) -> None:
    h = harness
    answer = await h.cmd("alice", "/wow admin values add Yhteisöllisyys")
    assert answer == "Added the value Yhteisöllisyys (#yhteisöllisyys)."
    assert "(#own-it)" in await h.cmd("alice", "/wow admin values add Own It!")
    await h.cmd("alice", "/wow hero <@bob> organised the team lunch #yhteisöllisyys")
    assert "Yhteisöllisyys 1" in await h.read("bob", "/wow stats")


async def test_an_admin_mistake_shows_only_that_commands_usage(harness: Harness) -> None:
    answer = await harness.cmd("alice", "/wow admin sla soon")
    usage = answer.partition("Write it like this:\n")[2].splitlines()
    assert usage == [
        "  /wow admin sla <hours>h            e.g. /wow admin sla 24h",
        "  /wow admin sla recovery <hours>h|<minutes>m   e.g. /wow admin sla recovery 4h",
    ]
    answer = await harness.cmd("alice", "/wow admin frobnicate")  # no area: all of admin
    assert len(answer.partition("Write it like this:\n")[2].splitlines()) > 10


async def test_console_names_are_one_person_whatever_their_case(harness: Harness) -> None:
    out: list[str] = []
    session = ConsoleSession(
        harness.app, ConsoleClock(harness.clock.now()), ButtonRegistry(), out.append, "alice"
    )
    for line in (
        "/wow hero @Bob fixed the queue",
        "/wow hero @bob calmed a caller",
        "/as CAROL",
        "/wow hero @BOB stayed late",
        "/wow leaderboard",
    ):
        await session.handle(line)
    assert "1. Bob: 3" in "\n".join(out)
    assert "Now acting as Carol (member)" in "\n".join(out)


async def test_role_changes_say_what_changed_in_plain_english(harness: Harness) -> None:
    h = harness
    assert await h.cmd("alice", "/wow admin managers add <@maria>") == "Maria is now a manager."
    again = await h.cmd("alice", "/wow admin managers add <@maria>")
    assert again == "Nothing changed: Maria is already a manager."
    absent = await h.cmd("alice", "/wow admin managers remove <@carl> <@dave>")
    assert absent == "Nothing changed: Carl, Dave are not managers."
    assert await h.cmd("alice", "/wow admin admins add <@bob>") == "Bob is now an admin."
    assert await h.cmd("alice", "/wow admin admins remove <@bob>") == "Bob is no longer an admin."
