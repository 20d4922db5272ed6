"""The customer voice on Teams (SPEC §9), through Bot Framework activities and a fake
connector: a pushed poor rating opens a case as a new thread in the recovery channel, its
ask mentions the managers; Take it and Resolved are Universal Actions that redraw the card
pressed, update the root and reply in the thread."""

from __future__ import annotations

import re

from tests.test_teams import (
    TeamsWorld,
    actions_of,
    assert_valid_cards,
    card_text,
    inputs_of,
    start_world,
    stop_world,
)

RECOVERY = "19:recovery@thread.tacv2"


async def test_a_pushed_poor_rating_becomes_a_case_worked_through_on_teams(db_url: str) -> None:
    t: TeamsWorld = await start_world(db_url)
    c = t.connector
    cards = []
    try:
        await t.say("29:alice", "admin managers add @Maria", mention=("29:maria",))
        await t.say("29:alice", "admin channel recovery", RECOVERY)
        await t.say("29:alice", "admin agent @Bob zd-agent-7", mention=("29:bob",))
        created = await t.answer("29:alice", "admin apikey create helpdesk")
        # As copied from the card: with the zero-width spaces that let it wrap there
        key = re.search(r"wow_[\w\u200b-]+", created).group(0)
        assert "\u200b" in key

        response = await t.client.post(
            "/api/feedback",
            json={
                "customer": "Acme **Dental**",
                "score": 2,
                "scale": "csat5",
                "comment": "Nobody called back <at>Alice</at>",
                "agent": "ZD-AGENT-7",
                "ticket": "ZD-9",
            },
            headers={"Authorization": f"Bearer {key}".encode().decode("latin-1")},
        )
        assert response.status == 201
        assert (await response.json())["agent"] == "Bob"
        await t.settle()
        root = [x for x in c.of("create") if x.conversation.startswith(RECOVERY)][-1]
        text = card_text(root.card)
        assert text.startswith("Service recovery #1: Acme **Dental** rated 2/5")
        assert "Agent: Bob" in text and "Ticket: ZD-9" in text
        assert "<at>" not in root.activity.get("text", "") and not root.activity.get("entities")
        ask = [x for x in c.of("send") if x.conversation == root.conversation][-1]
        assert ask.activity["text"] == "<at>Maria</at>"
        assert actions_of(ask.card) == ["case.take", "case.contacted", "case.resolve", "case.gift"]
        root_id = root.conversation.split("=")[1]

        refused = await t.execute("29:bob", "case.take", "1", ask.activity_id, RECOVERY)
        assert refused["value"] == "Only managers and admins can take recovery cases."
        taken = await t.execute("29:maria", "case.take", "1", ask.activity_id, RECOVERY)
        assert taken["type"] == "application/vnd.microsoft.card.adaptive"
        assert card_text(taken["value"]).startswith("Case #1 is Maria's: reach Acme")
        assert actions_of(taken["value"]) == ["case.contacted", "case.resolve", "case.gift"]
        cards.append(taken["value"])
        await t.settle()
        updates = [u for u in c.of("update") if u.activity_id == root_id]
        assert "Status: Taken by Maria" in card_text(updates[-1].card)
        thread = [x for x in c.of("send") if x.conversation == root.conversation]
        assert card_text(thread[-1].card) == "Maria took this case."

        # Resolved: the form on the card, then its answer.
        form = await t.execute("29:maria", "case.resolve", "1", ask.activity_id, RECOVERY)
        assert [name for name, _ in inputs_of(form["value"])] == ["recovered", "note"]
        cards.append(form["value"])
        done = await t.press(
            "29:maria",
            form["value"],
            ask.activity_id,
            RECOVERY,
            recovered="true",
            note="Called and refunded",
        )
        assert card_text(done["value"]) == "Case #1 is resolved: recovered."
        assert actions_of(done["value"]) == []
        cards.append(done["value"])
        await t.settle()
        last = [u for u in c.of("update") if u.activity_id == root_id][-1]
        assert "Outcome: Recovered: Called and refunded" in card_text(last.card)
        async with t.app.uow() as uow:  # the owner's follow-up, a week on
            followup = await uow.followups.get(1, 1)
        assert followup is not None and followup.case_id == 1
        assert assert_valid_cards(c, *cards) > 5
    finally:
        await stop_world(t)
