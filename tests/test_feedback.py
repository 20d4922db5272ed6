"""Customer feedback (SPEC §9), typed: scores on three scales, praise to the wall with a
"Make it a hero moment" button and a DM to the colleague, poor scores recorded, lists."""

from __future__ import annotations

from bot.core.commands import Action
from tests.conftest import Harness


async def stored(h: Harness) -> list[tuple[str, str, float, str | None]]:
    async with h.app.uow() as uow:
        found = await uow.feedback.recent(1, "recent", 50)
    return [(f.customer, f.scale, f.score, f.comment) for f in reversed(found)]


async def test_praise_goes_to_the_wall_and_becomes_a_hero_moment_by_a_colleague(
    harness: Harness,
) -> None:
    h = harness
    await h.cmd("alice", "/wow admin channel wall <#CWALL|wall>")
    answer = await h.cmd(
        "alice", "/wow feedback Acme Dental 5/5 <@bob>: Bob fixed our call flow in ten minutes"
    )
    assert answer == (
        "Feedback #1 from Acme Dental about Bob recorded: 5/5. "
        "It is praise: it went to the wall, and Bob got a DM."
    )
    wall, dm = h.messenger.sent[-2:]
    assert (wall.kind, wall.target) == ("channel", "CWALL")
    assert wall.message.title == "Acme Dental said about Bob:"
    assert wall.message.text == "Bob fixed our call flow in ten minutes"
    assert [(b.label, b.action, b.value) for b in wall.message.buttons] == [
        ("Make it a hero moment", "feedback.hero", "1")
    ]
    assert (dm.kind, dm.target) == ("dm", "bob")
    assert dm.message.text == "Bob fixed our call flow in ten minutes"

    # Bob cannot make praise about himself his own hero moment; Carl can, from a filled form.
    refused = await h.app.bot.action(h.who("bob"), Action("feedback.hero", "1"))
    assert refused.error and "can't turn praise about you" in refused.message.text
    reply = await h.app.bot.action(h.who("carl"), Action("feedback.hero", "1"))
    form = reply.message.form
    assert form.action == "hero.submit"
    assert {i.name: i.initial for i in form.inputs if i.initial} == {
        "nominees": "bob",
        "story": "Acme Dental said: Bob fixed our call flow in ten minutes",
        "customer": "Acme Dental",
    }
    assert form.typed_hint == (
        "/wow hero @Bob Acme Dental said: Bob fixed our call flow in ten minutes"
    )
    filled = tuple((i.name, i.initial or "") for i in form.inputs)
    recorded = await h.app.bot.action(h.who("carl"), Action("hero.submit", "", fields=filled))
    assert recorded.message.text == "Thanks! Hero moment #1 recorded for Bob."


async def test_scores_on_each_scale_only_praise_with_words_is_posted_and_lists_filter(
    harness: Harness,
) -> None:
    h = harness
    for typed, expected in (
        (
            "/wow feedback Beta 2/5 <@bob>: waited a week",
            "Feedback #1 from Beta about Bob recorded: 2/5. A service recovery case (#1) was "
            "opened; someone should reach them by Mon 23 Nov 2026 13:00 (Europe/Helsinki).",
        ),
        ("/wow feedback Gamma 9/10", "Feedback #2 from Gamma recorded: 9/10."),
        (
            '/wow feedback "Delta: the clinic" good <@bob>',
            "Feedback #3 from Delta: the clinic about Bob recorded: good.",
        ),
        (
            "/wow feedback Good Burger bad",
            "Feedback #4 from Good Burger recorded: bad. A service recovery case (#2) was "
            "opened; someone should reach them by Mon 23 Nov 2026 13:00 (Europe/Helsinki).",
        ),
        ("/wow feedback Eta 3/5 <@bob>: fine", "Feedback #5 from Eta about Bob recorded: 3/5."),
    ):
        assert await h.cmd("alice", typed) == expected
    # No praise with words: nothing on the wall; the two poor scores opened cases.
    assert [s.message.title for s in h.messenger.sent if s.kind == "channel"] == [
        "Service recovery #1: Beta rated 2/5",
        "Service recovery #2: Good Burger rated bad",
    ]
    assert await stored(h) == [
        ("Beta", "csat5", 2.0, "waited a week"),
        ("Gamma", "nps", 9.0, None),
        ("Delta: the clinic", "thumbs", 1.0, None),
        ("Good Burger", "thumbs", 0.0, None),
        ("Eta", "csat5", 3.0, "fine"),
    ]
    praise = await h.read("alice", "/wow feedback praise")
    assert praise.splitlines()[0] == "Praise"
    assert [line.split()[0] for line in praise.splitlines()[1:]] == ["#3", "#2"]
    poor = await h.read("alice", "/wow feedback poor")
    assert [line.split()[0] for line in poor.splitlines()[1:]] == ["#4", "#1"]
    everything = await h.read("alice", "/wow feedback")
    assert everything.splitlines()[1] == '#5 23 Nov Eta 3/5 about Bob: "fine"'


async def test_feedback_written_wrong_says_how_and_records_nothing(harness: Harness) -> None:
    h = harness
    for typed, problem in (
        ("/wow feedback Acme 6/5", '"6/5" is off the scale: write 1/5 to 5/5, 0/10 to 10/10'),
        ("/wow feedback Acme", "Give the score after the customer's name: 5/5, 9/10, good"),
        ("/wow feedback 5/5", "Name the customer first, then the score."),
        ("/wow feedback Acme 5/5 <@bob> <@carl>", "Mention one person: the colleague"),
        ("/wow feedback Acme 5/5:", "Write the customer's words after the colon"),
        ("/wow feedback Acme 5/5: " + "x" * 2001, "The comment is 2,001 characters"),
    ):
        answer = await h.cmd("alice", typed)
        assert answer.startswith(problem), answer
        if "characters" not in problem:
            assert "/wow feedback <customer> <score>" in answer  # how to write it right
    assert await stored(h) == [] and h.messenger.sent == []


async def test_a_colleagues_praise_shows_in_their_stats_and_app_home(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow feedback Acme 5/5 <@bob>: Bob was brilliant")
    await h.cmd("alice", "/wow feedback Beta 10/10 <@bob>")  # praise without words: counted
    await h.cmd("alice", "/wow feedback Gamma 2/5 <@bob>: slow")  # not praise
    await h.cmd("alice", "/wow feedback Delta good <@carl>: Carl too")  # someone else's
    stats = await h.read("alice", "/wow stats <@bob>")
    assert "Customer praise: 2" in stats
    reply = await h.app.bot.command(h.who("alice"), "/wow stats <@bob>")
    said = {s.title: s.lines for s in reply.message.sections}
    assert said["What customers said"] == ('23 Nov, Acme: "Bob was brilliant"',)
    home = await h.app.bot.home(h.who("bob"))
    shown = {s.title: s.lines for s in home.sections}
    assert shown["What customers said about you"] == ('23 Nov, Acme: "Bob was brilliant"',)
    assert "What customers said about you" not in {
        s.title for s in (await h.app.bot.home(h.who("dana"))).sections
    }
