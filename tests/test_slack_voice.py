"""The customer voice on Slack (SPEC §9), through really signed requests and a fake Web
API: a pushed poor rating finds its agent by email (users.lookupByEmail), opens a case in
the recovery channel; Take it, the gift modal, the escalation and the Resolved modal each
reply in the case's thread and update its root; the customer's words arrive escaped."""

from __future__ import annotations

import datetime as dt
import json
import re

from tests.fakes import START
from tests.slack_world import SlackWorld, submit_view
from tests.test_slack import assert_valid_block_kit


async def test_a_pushed_poor_rating_becomes_a_case_worked_through_on_slack(
    slack: SlackWorld,
) -> None:
    s, fake = slack, slack.fake
    await s.command("UADMIN", "admin managers add <@UMARIA|maria>")
    await s.command("UADMIN", "admin channel recovery <#CREC|recovery>")
    await s.command("UADMIN", "admin channel gifts <#CGIFTS|gifts>")
    created = await s.command("UADMIN", "admin apikey create helpdesk")
    key = re.search(r"wow_[\w-]+", created).group(0)

    response = await s.client.post(
        "/api/feedback",
        json={
            "customer": "Acme <!channel> Dental",
            "score": 1,
            "scale": "csat5",
            "comment": "Nobody called back <@UADMIN> &amp; I waited",
            "agent": "bob@acme.example",  # Bob was never met: Slack finds him by email
            "ticket": "ZD-7",
        },
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status == 201
    answer = await response.json()
    assert (answer["agent"], answer["case"]) == ("bob", 1)
    assert fake.of("users.lookupByEmail")[0]["email"] == "bob@acme.example"
    await fake.wait_for(lambda: len(s.posted("CREC")) == 2)
    root, ask = s.posted("CREC")
    assert ask["thread_ts"] == root["ts"]
    assert ask["text"].startswith("<@UMARIA> Who takes case #1?")
    assert [e["action_id"] for e in fake.blocks_of(ask)[-1]["elements"]] == [
        "case.take",
        "case.contacted",
        "case.resolve",
        "case.gift",
    ]
    # Escaped wherever Slack reads markup (a header is plain text, shown as typed): no pings.
    marked = [
        t["text"]
        for b in fake.blocks_of(root)
        for t in [b.get("text", {}), *b.get("fields", [])]
        if t.get("type") == "mrkdwn"
    ]
    shown = json.dumps(marked) + root["text"]
    assert "<!channel>" not in shown and "<@UADMIN>" not in shown
    assert "&lt;!channel&gt;" in shown and "&amp;amp;" in shown

    assert await s.click("UBOB", "case.take", "1", channel="CREC") == (
        "Only managers and admins can take recovery cases."
    )
    assert (await s.click("UMARIA", "case.take", "1", channel="CREC")).startswith(
        "Case #1 is yours."
    )
    await fake.wait_for(lambda: len(fake.of("chat.update")) == 2 and len(thread_of(s, root)) == 2)
    updated = {u["ts"]: u for u in fake.of("chat.update")}
    assert "Taken by maria" in json.dumps(fake.blocks_of(updated[root["ts"]]))
    assert thread_of(s, root)[-1]["text"] == "maria took this case."

    # Nobody contacts the customer in time: one escalation, mentioning the admins.
    s.clock.set(START + dt.timedelta(hours=4))
    await s.app.tick()
    await s.app.tick()
    thread = [m for m in s.posted("CREC") if m.get("thread_ts") == root["ts"]]
    overdue = [m for m in thread if "is overdue" in m["text"]]
    assert len(overdue) == 1 and overdue[0]["text"].startswith("<@UADMIN> Case #1")

    # Propose a WOW gift: the gift modal, its customer filled, linked to the case.
    await s.press("UMARIA", "case.gift", "1", "CREC")
    await fake.wait_for(lambda: len(fake.of("views.open")) == 1)
    view = fake.of("views.open")[0]["view"]
    customer = next(b for b in view["blocks"] if b["block_id"] == "customer")
    assert customer["element"]["initial_value"] == "Acme <!channel> Dental"
    assert json.loads(view["private_metadata"])["value"] == "1"
    assert (
        await submit_view(
            s,
            "UMARIA",
            view,
            {
                "customer": {"type": "plain_text_input", "value": "Acme <!channel> Dental"},
                "gift": {"type": "plain_text_input", "value": "flowers"},
                "cost": {"type": "plain_text_input", "value": "$30"},
            },
        )
        == {}
    )
    await fake.wait_for(
        lambda: any(m["text"].startswith("maria proposed") for m in thread_of(s, root))
    )
    await fake.wait_for(lambda: len(s.posted("CGIFTS")) == 2)  # the gift's own root and ask

    # Resolved opens a modal for the outcome and a note.
    await s.press("UMARIA", "case.resolve", "1", "CREC")
    await fake.wait_for(lambda: len(fake.of("views.open")) == 2)
    resolve = fake.of("views.open")[1]["view"]
    assert resolve["callback_id"] == "case.resolve"
    yes = {"type": "checkboxes", "selected_options": [{"value": "true"}]}
    refused = await submit_view(
        s, "UMARIA", resolve, {"recovered": yes, "note": {"type": "plain_text_input", "value": " "}}
    )
    assert refused["response_action"] == "errors"
    assert (
        await submit_view(
            s,
            "UMARIA",
            resolve,
            {"recovered": yes, "note": {"type": "plain_text_input", "value": "Called; flowers"}},
        )
        == {}
    )
    await fake.wait_for(
        lambda: any(m["text"].startswith("maria resolved this case") for m in thread_of(s, root))
    )
    await fake.wait_for(  # the root, redrawn with the outcome
        lambda: any(
            "Recovered: Called; flowers" in json.dumps(fake.blocks_of(u))
            for u in fake.of("chat.update")
            if u["ts"] == root["ts"]
        )
    )
    assert_valid_block_kit(fake)


def thread_of(s: SlackWorld, root: dict) -> list[dict]:
    return [m for m in s.posted("CREC") if m.get("thread_ts") == root["ts"]]
