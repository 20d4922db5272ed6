"""Teams through the Bot Framework's real protocol: activities posted over HTTP to the running
aiohttp app, their `serviceUrl` pointing at a fake connector on loopback."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import re
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from jsonschema import Draft6Validator
from sqlalchemy import func, select

from bot.adapters.teams.cards import to_card
from bot.bootstrap import App
from bot.config import ConfigError, load_settings
from bot.core.messages import Message, Section
from bot.core.texts import USAGE
from bot.server import APP_KEY, build_web_app
from bot.storage.tables import ConversationRow, MemberRow, OutboxRow, WorkspaceRow
from tests.conftest import START
from tests.fakes import FixedClock
from tests.teams_fake import FakeConnector

TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"
SCHEMA = Path(__file__).parent / "fixtures" / "adaptivecards" / "adaptive-card-1.5.0.schema.json"
TENANT = "tenant-1"
BOT = {"id": "28:wowbot", "name": "WOW"}
GENERAL, WALL, GIFTS, TEAM_CHANNEL = (
    "19:general@thread.tacv2",
    "19:wall@thread.tacv2",
    "19:gifts@thread.tacv2",
    "19:team@thread.tacv2",
)
PEOPLE = {
    "29:alice": "Alice",
    "29:maria": "Maria",
    "29:bob": "Bob",
    "29:carl": "Carl",
    "29:dana": "Dana",
}
_ids = itertools.count(1)
TEAM_ID = "19:team-1@thread.tacv2"  # also the id of the team's General channel


def user(uid: str) -> dict[str, str]:
    return {"id": uid, "name": PEOPLE[uid], "aadObjectId": f"aad-{uid[3:]}"}


@dataclass
class TeamsWorld:
    connector: FakeConnector
    client: TestClient
    clock: FixedClock
    app: App

    def activity(self, uid: str, conversation: str | None = None, **extra: Any) -> dict[str, Any]:
        """An activity from `uid`: in a channel (a thread of it) or, by default, their
        personal chat with the bot."""
        n = str(next(_ids))
        if conversation:
            where = {
                "conversation": {
                    "isGroup": True,
                    "conversationType": "channel",
                    "tenantId": TENANT,
                    "id": f"{conversation};messageid={n}",
                    "name": conversation[3:].split("@")[0],
                },
                "channelData": {
                    "channel": {"id": conversation},
                    "team": {"id": TEAM_ID, "name": "Support Team"},
                    "tenant": {"id": TENANT},
                },
            }
        else:
            where = {
                "conversation": {
                    "conversationType": "personal",
                    "tenantId": TENANT,
                    "id": f"a:personal-{uid}",
                },
                "channelData": {"tenant": {"id": TENANT}},
            }
        return {
            "type": "message",
            "id": n,
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "from": user(uid),
            "recipient": BOT,
            "localTimezone": "Europe/Helsinki",
            **where,
            **extra,
        }

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        response = await self.client.post(
            "/api/messages",
            data=json.dumps(activity),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        body = await response.read()
        try:
            return response.status, (json.loads(body) if body else None)
        except ValueError:
            return response.status, body.decode()

    async def say(
        self, uid: str, text: str, conversation: str | None = None, mention: tuple[str, ...] = ()
    ) -> list[dict[str, Any]]:
        """Type a command; returns the cards the bot answered with in that turn."""
        before = len(self.connector.calls)
        entities = []
        if conversation:
            text = f"<at>WOW</at> {text}"
            entities.append({"type": "mention", "text": "<at>WOW</at>", "mentioned": BOT})
        for uid_mentioned in mention:
            tag = f"<at>{PEOPLE[uid_mentioned]}</at>"
            text = text.replace(f"@{PEOPLE[uid_mentioned]}", tag, 1)
            entities.append({"type": "mention", "text": tag, "mentioned": user(uid_mentioned)})
        activity = self.activity(
            uid, conversation, text=text, entities=entities, textFormat="plain"
        )
        status, _ = await self.post(activity)
        assert status in (200, 201)
        mine = (f"a:personal-{uid}", conversation)  # the answer: here, or privately
        return [
            c.card
            for c in self.connector.calls[before:]
            if c.card and c.kind != "update" and c.conversation.split(";")[0] in mine
        ]

    async def answer(self, uid: str, text: str, conversation: str | None = None, **kw: Any) -> str:
        """The text of the one card the bot answered with."""
        cards = await self.say(uid, text, conversation, **kw)
        assert len(cards) == 1, cards
        return card_text(cards[0])

    async def execute(
        self, uid: str, action: str, value: str, clicked: str, conversation: str, **inputs: str
    ) -> dict[str, Any]:
        """Press an `Action.Execute` button; returns the invoke response body."""
        activity = self.activity(uid, conversation)
        activity |= {
            "type": "invoke",
            "name": "adaptiveCard/action",
            "replyToId": clicked,
            "value": {
                "action": {
                    "type": "Action.Execute",
                    "verb": action,
                    "data": {"wow_action": action, "wow_value": value, **inputs},
                },
                "trigger": "manual",
            },
        }
        status, body = await self.post(activity)
        assert status == 200, (status, body)
        return body

    async def press(
        self,
        uid: str,
        card: dict[str, Any],
        clicked: str,
        conversation: str | None = None,
        title: str | None = None,
        **inputs: str,
    ) -> dict[str, Any]:
        """Press a card's own `Action.Execute` (the one titled `title`, or its only one), with
        its data as the card carries it and the inputs typed; returns the invoke response."""
        found = [
            a
            for a in [*card.get("actions", [])]
            + [a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]]
            if title is None or a["title"] == title
        ]
        assert len(found) == 1, found
        activity = self.activity(uid, conversation)
        activity |= {
            "type": "invoke",
            "name": "adaptiveCard/action",
            "replyToId": clicked,
            "value": {
                "action": {
                    "type": "Action.Execute",
                    "verb": found[0]["verb"],
                    "data": {**found[0]["data"], **inputs},
                },
                "trigger": "manual",
            },
        }
        status, body = await self.post(activity)
        assert status == 200, (status, body)
        return body

    async def submit(self, uid: str, action: str, value: str, conversation: str) -> None:
        """Press the same button on a client that only knows `Action.Submit`."""
        activity = self.activity(uid, conversation)
        activity |= {"value": {"wow_action": action, "wow_value": value}, "replyToId": "x"}
        status, _ = await self.post(activity)
        assert status in (200, 201)

    async def settle(self) -> None:
        await self.app.sender.deliver_due()


def card_text(card: dict[str, Any]) -> str:
    """Everything a person reads on a card, joined by newlines; word joiners removed."""
    texts = []

    def rich_text(element: dict[str, Any]) -> str:
        return "".join(i["text"] for i in element["inlines"])

    for element in card.get("body", []):
        if element["type"] == "RichTextBlock":
            texts.append(rich_text(element))
        elif element["type"] in ("ColumnSet", "Container"):  # a row reads "label: value"
            for row in element.get("items", [element]):
                cells = [i for col in row["columns"] for i in col["items"]]
                texts.append(": ".join(rich_text(i) for i in cells if i["type"] == "RichTextBlock"))
    return "\n".join(texts).replace("\u2060", "")


def actions_of(card: dict[str, Any]) -> list[str]:
    return [a["verb"] for a in card.get("actions", [])]


@pytest.fixture
async def teams(db_url: str) -> AsyncIterator[TeamsWorld]:
    world = await start_world(db_url)
    yield world
    await stop_world(world)


async def start_world(db_url: str, connector: FakeConnector | None = None) -> TeamsWorld:
    connector = connector or FakeConnector()
    if connector.server.runner is None:
        await connector.server.start_server()
    clock = FixedClock(START)
    settings = load_settings(
        wowbot_database_url=db_url,
        wowbot_admins="29:alice",
        wowbot_default_timezone="Europe/Helsinki",
    )
    web_app = await build_web_app(settings, clock=clock)
    client = TestClient(TestServer(web_app, host="127.0.0.1"))
    await client.start_server()
    return TeamsWorld(connector, client, clock, web_app[APP_KEY])


async def stop_world(world: TeamsWorld, *, connector_too: bool = True) -> None:
    await world.client.close()
    if connector_too:
        await world.connector.server.close()


def validator() -> Draft6Validator:
    return Draft6Validator(json.loads(SCHEMA.read_text()))


def assert_valid_cards(connector: FakeConnector, *extra: dict[str, Any]) -> int:
    check = validator()
    cards = [c.card for c in connector.calls if c.card] + list(extra)
    for card in cards:
        errors = [e.message for e in check.iter_errors(card)]
        assert errors == [], (errors, card)
    return len(cards)


async def test_the_whole_wow_loop_on_teams(db_url: str) -> None:
    t = await start_world(db_url)
    c = t.connector
    invoke_cards = []
    try:
        # Admins bind channels by speaking there; managers are named by mention.
        assert (
            await t.answer("29:alice", "admin managers add @Maria", mention=("29:maria",))
            == "Maria is now a manager."
        )
        await t.say("29:alice", "admin channel wall", WALL)
        await t.say("29:alice", "admin channel gifts", GIFTS)
        # A private answer to a command typed in a channel goes to the personal chat.
        assert card_text(c.to("a:personal-29:alice")[-1].card) == (
            "Gift proposals now go to gifts in Support Team."
        )

        # A hero moment: a new thread on the wall, DMs to the nominees.
        answer = await t.answer(
            "29:alice", "hero @Bob @Dana saved Acme's launch #wowism", mention=("29:bob", "29:dana")
        )
        assert (
            answer == "Thanks! Hero moment #1 recorded for Bob, Dana for Practice WOWism (#wowism)."
        )
        await t.settle()
        wall = [x for x in c.of("create") if x.conversation.startswith(WALL)]
        assert len(wall) == 1 and card_text(wall[0].card).startswith("Hero moment: Bob, Dana")
        assert actions_of(wall[0].card) == ["hero.cheer"]
        assert len(c.to("a:personal-29:bob")) == 1 and len(c.to("a:personal-29:dana")) == 1

        # A gift: the root starts a thread in the gifts channel, the ask replies in it.
        await t.say("29:carl", "gift Acme Dental: pizza $40 because they're starving")
        await t.settle()
        root = [x for x in c.of("create") if x.conversation.startswith(GIFTS)][-1]
        ask = [x for x in c.of("send") if x.conversation == root.conversation][-1]
        assert ask.activity["text"] == "<at>Maria</at>"
        assert ask.activity["entities"] == [
            {
                "type": "mention",
                "text": "<at>Maria</at>",
                "mentioned": {"id": "29:maria", "name": "Maria"},
            }
        ]
        assert actions_of(ask.card) == ["gift.approve", "gift.decline"]
        root_id = root.conversation.split("=")[1]

        # A member's Approve is refused, to them alone; nothing changes.
        refused = await t.execute("29:bob", "gift.approve", "1", ask.activity_id, GIFTS)
        assert refused == {
            "statusCode": 200,
            "type": "application/vnd.microsoft.activity.message",
            "value": "Only managers and admins can approve or decline gifts.",
        }
        await t.settle()
        assert c.of("update") == []

        # A manager approves: the clicked card comes back without buttons, the root is
        # updated in place, the thread is told, the proposer gets a DM.
        approved = await t.execute("29:maria", "gift.approve", "1", ask.activity_id, GIFTS)
        assert approved["type"] == "application/vnd.microsoft.card.adaptive"
        assert card_text(approved["value"]) == "Decision on gift #1: approved by Maria."
        assert actions_of(approved["value"]) == []
        invoke_cards.append(approved["value"])
        await t.settle()
        updates = {u.activity_id: u for u in c.of("update")}
        assert set(updates) == {root_id, ask.activity_id}
        assert "Status: approved by Maria" in card_text(updates[root_id].card)
        assert actions_of(updates[root_id].card) == []
        thread = [x for x in c.of("send") if x.conversation == root.conversation]
        assert card_text(thread[-1].card) == "Approved by Maria"
        dm = c.to("a:personal-29:carl")[-1]
        assert actions_of(dm.card) == ["gift.sent"]
        again = await t.execute("29:maria", "gift.approve", "1", ask.activity_id, GIFTS)
        assert again["value"].startswith("Already approved by Maria")

        # Mark as sent (Action.Execute from the DM) → a follow-up; its reminder when due.
        sent = await t.execute("29:carl", "gift.sent", "1", dm.activity_id, None)
        assert actions_of(sent["value"]) == []
        invoke_cards.append(sent["value"])
        t.clock.set(START + dt.timedelta(days=14, minutes=1))
        await t.app.tick()
        reminder = c.to("a:personal-29:carl")[-1]
        assert card_text(reminder.card).startswith("Time to follow up with Acme Dental")
        assert actions_of(reminder.card) == ["followup.done", "followup.snooze", "followup.snooze"]

        # A digest subscription bound here, then a restart: the digest still goes out
        # proactively to the stored channel reference.
        await t.say("29:alice", "digest subscribe at 08:30 Europe/Helsinki daily", TEAM_CHANNEL)
        await t.say("29:alice", "hero @Dana calmed an angry caller", mention=("29:dana",))
        await t.settle()
        await stop_world(t, connector_too=False)
        t = await start_world(db_url, c)
        t.clock.set(START + dt.timedelta(days=15, hours=-0.5))
        await t.app.tick()
        digest = [x for x in c.of("create") if x.conversation.startswith(TEAM_CHANNEL)]
        assert len(digest) == 1
        assert card_text(digest[0].card).startswith("WOW digest for")
        assert "Dana: calmed an angry caller (by Alice)" in card_text(digest[0].card)
        assert assert_valid_cards(c, *invoke_cards) > 10
    finally:
        await stop_world(t)


async def test_a_manager_can_approve_with_action_submit_too(teams: TeamsWorld) -> None:
    t, c = teams, teams.connector
    await t.say("29:alice", "admin managers add @Maria", mention=("29:maria",))
    await t.say("29:carl", "gift Acme: flowers $20", GIFTS)
    await t.settle()
    root = [x for x in c.of("create") if x.conversation.startswith(GIFTS)][-1]
    await t.submit("29:bob", "gift.approve", "1", GIFTS)  # a member: refused, privately
    assert card_text(c.to("a:personal-29:bob")[-1].card) == (
        "Only managers and admins can approve or decline gifts."
    )
    await t.submit("29:maria", "gift.approve", "1", GIFTS)
    await t.settle()
    assert card_text(c.to("a:personal-29:maria")[-1].card) == "You approved gift #1 for Acme."
    root_update = [u for u in c.of("update") if u.activity_id == root.conversation.split("=")[1]]
    assert len(root_update) == 1 and actions_of(root_update[0].card) == []
    assert actions_of(c.to("a:personal-29:carl")[-1].card) == ["gift.sent"]


async def test_forms_are_cards_and_their_answers_are_commands(teams: TeamsWorld) -> None:
    t, c = teams, teams.connector
    await t.say("29:bob", "values")  # the bot meets Bob and Dana
    await t.say("29:dana", "values")
    form = (await t.say("29:alice", "hero"))[0]
    choices = next(e for e in form["body"] if e["type"] == "Input.ChoiceSet")
    assert choices["isMultiSelect"] is True
    assert {"title": "Bob", "value": "29:bob"} in choices["choices"]
    assert "29:alice" not in [ch["value"] for ch in choices["choices"]]  # not yourself
    answer = await t.execute(
        "29:alice", "hero.submit", "", "x", None, nominees="29:bob,29:dana", story="fixed it"
    )
    assert answer["value"].startswith("Thanks! Hero moment #1 recorded for Bob, Dana")
    gift_form = (await t.say("29:carl", "gift"))[0]
    toggles = [e["id"] for e in gift_form["body"] if e["type"] == "Input.Toggle"]
    assert len(toggles) == 4
    assert_valid_cards(c)


async def test_typed_markdown_mentions_and_links_show_as_typed_and_ping_no_one(
    teams: TeamsWorld,
) -> None:
    t, c = teams, teams.connector
    await t.say("29:alice", "admin channel wall", WALL)
    story = "**bold** <at>Everyone</at> [click](https://x.example) & <b>"
    await t.say("29:alice", f"hero @Bob {story}", mention=("29:bob",))
    await t.settle()
    wall = [x for x in c.of("create") if x.conversation.startswith(WALL)][-1]
    raw = json.dumps(wall.card)
    assert "<at>" not in raw and "<b>" not in raw  # no tag can form
    assert story in card_text(wall.card)  # yet a person reads exactly what was typed
    kinds = {i["type"] for i in json_walk(wall.card["body"])}
    assert kinds <= {"RichTextBlock", "TextRun", "Container", "ColumnSet", "Column"}, kinds
    assert wall.activity.get("entities") in (None, []) and not wall.activity.get("text")
    # The notification preview: no tag, Markdown or marker character either.
    await t.say("29:alice", f"gift {story}: a mug", WALL)
    previews = [x.activity.get("summary") or "" for x in c.calls if x.card and x.kind != "update"]
    assert len(previews) >= 4 and all(previews), previews
    for preview in previews:
        assert "<at>" not in preview and "**" not in preview and "](" not in preview, preview
        assert not re.search("[\ue000-\uf8ff]", preview), preview
    assert any("Proposed WOW gift #1 for" in p for p in previews), previews
    assert_valid_cards(c)


async def test_without_a_valid_token_a_configured_bot_answers_401_and_saves_nothing(
    db_url: str,
) -> None:
    connector = FakeConnector()
    await connector.server.start_server()
    settings = load_settings(
        wowbot_database_url=db_url,
        microsoft_app_id="11111111-2222-3333-4444-555555555555",
        microsoft_app_password="secret",
    )
    web_app = await build_web_app(settings, clock=FixedClock(START))
    client = TestClient(TestServer(web_app, host="127.0.0.1"))
    await client.start_server()
    world = TeamsWorld(connector, client, FixedClock(START), web_app[APP_KEY])
    try:
        activity = world.activity("29:bob", text="hero <at>Dana</at> forged", entities=[])
        assert (await world.post(activity))[0] == 401
        forged = {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0."}
        assert (await world.post(activity, forged))[0] == 401
        async with world.app.uow() as uow:
            for table in (WorkspaceRow, ConversationRow, MemberRow):
                count = select(func.count()).select_from(table)
                assert (await uow.session.execute(count)).scalar_one() == 0
        assert connector.calls == []
    finally:
        await client.close()
        await connector.server.close()


def test_without_an_app_id_start_up_refuses_anywhere_but_loopback(db_url: str) -> None:
    from bot.server import teams_settings

    bare = load_settings(wowbot_database_url=db_url)
    assert teams_settings(bare, "127.0.0.1", slack=False) is True
    assert teams_settings(bare, "::1", slack=False) is True
    with pytest.raises(ConfigError, match=r"MICROSOFT_APP_ID is missing.*0\.0\.0\.0"):
        teams_settings(bare, "0.0.0.0", slack=False)
    assert teams_settings(bare, "0.0.0.0", slack=True) is False  # a Slack-only server
    half = load_settings(wowbot_database_url=db_url, microsoft_app_password="x")
    with pytest.raises(ConfigError, match="MICROSOFT_APP_ID is missing; MICROSOFT_APP_PASSWORD"):
        teams_settings(half, "127.0.0.1", slack=False)
    no_secret = load_settings(wowbot_database_url=db_url, microsoft_app_id="id")
    with pytest.raises(ConfigError, match="MICROSOFT_APP_PASSWORD is missing"):
        teams_settings(no_secret, "0.0.0.0", slack=False)


def test_the_serve_command_refuses_to_start_open_on_a_public_address(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("WOWBOT_DATABASE_URL", db_url)
    for name in ("MICROSOFT_APP_ID", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "allowed only on loopback" in capsys.readouterr().err


async def test_throttling_is_retried_and_a_403_is_recorded_for_admins(teams: TeamsWorld) -> None:
    t, c = teams, teams.connector
    await t.say("29:alice", "admin channel wall", WALL)
    # A long Retry-After: the wall's post waits in the outbox until the pause is over.
    c.fail("create", 429, {"Retry-After": "30"}, channel=WALL)
    await t.say("29:alice", "hero @Bob answered at 3am", mention=("29:bob",))
    await t.settle()
    assert [x for x in c.of("create") if x.conversation.startswith(WALL)] == []
    t.clock.advance(seconds=31)
    await t.settle()
    assert len([x for x in c.of("create") if x.conversation.startswith(WALL)]) == 1
    # A short one (1 s) is waited out by the conversation, and the post goes out once.
    c.fail("create", 429, {"Retry-After": "1"}, channel=WALL)
    await t.say("29:alice", "hero @Bob answered at 4am", mention=("29:bob",))
    await t.settle()
    assert c.failures == []
    assert len([x for x in c.of("create") if x.conversation.startswith(WALL)]) == 2

    c.fail("create", 503, channel=WALL)
    await t.say("29:alice", "hero @Bob again", mention=("29:bob",))
    await t.settle()
    t.clock.advance(seconds=120)
    await t.settle()
    assert len([x for x in c.of("create") if x.conversation.startswith(WALL)]) == 3

    await t.say("29:alice", "digest subscribe at 08:30", TEAM_CHANNEL)
    c.fail("create", 403, channel=TEAM_CHANNEL)
    await t.say("29:alice", "digest now", TEAM_CHANNEL)
    await t.settle()
    t.clock.advance(minutes=30)
    await t.settle()
    assert [x for x in c.of("create") if x.conversation.startswith(TEAM_CHANNEL)] == []
    status = await t.answer("29:alice", "digest status")
    assert "not in the conversation roster" in status


def recorded(name: str) -> Any:
    return json.loads((Path(__file__).parent / "fixtures" / "teams" / name).read_text())


@pytest.mark.parametrize(
    ("source", "key"),
    [
        ("vercel_mention.json", "mention"),
        ("vercel_mention.json", "followUp"),
        ("vercel_actions_reactions.json", "mention"),
        ("vercel_actions_reactions.json", "action"),
        ("vercel_actions_reactions.json", "reaction"),
        ("vercel_dm.json", "dmMessage"),
        ("vercel_channel.json", "channel_post_action"),
        ("COMPOSED_invoke_adaptiveCard_action.json", None),
        ("msteams-docs_conversationUpdate_bot_added_to_team.json", None),
        ("msteams-docs_conversationUpdate_bot_added_to_personal_chat.json", None),
        ("msteams-docs_conversationUpdate_team_member_removed.json", None),
    ],
)
async def test_recorded_teams_activities_are_handled_without_error(
    teams: TeamsWorld, source: str, key: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    activity = recorded(source)
    activity = activity[key] if key else activity
    activity["serviceUrl"] = teams.connector.url
    status, body = await teams.post(activity)
    assert status in (200, 201), body
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    if activity["type"] == "invoke":  # an action the bot does not know: said so, nothing else
        assert body["type"] == "application/vnd.microsoft.activity.message"
        assert "not known" in body["value"]
    if activity["type"] == "message" and activity.get("text"):
        assert teams.connector.calls, "a typed message gets an answer"
    assert_valid_cards(teams.connector)


async def test_a_slack_workspace_and_a_teams_tenant_share_a_database_not_data(
    db_url: str,
) -> None:
    from bot.handlers.dispatch import Invocation

    t = await start_world(db_url)
    try:
        await t.say("29:alice", "hero @Bob kept the queue at zero", mention=("29:bob",))
        # The wall post (here, alice's chat) and Bob's DM go out in the background; let them
        # land before counting what answers alice's next command.
        await t.connector.wait_for(lambda: len(t.connector.of("send")) == 2)
        other = t.activity("29:carl")
        other["conversation"]["tenantId"] = other["channelData"]["tenant"]["id"] = "tenant-2"
        other |= {"text": "leaderboard all", "entities": []}
        await t.post(other)
        assert "no hero moments yet" in card_text(t.connector.calls[-1].card)
        slack = await t.app.bot.command(Invocation("slack", "T1", "U1", "C1"), "leaderboard all")
        assert "no hero moments yet" in slack.message.text
        mine = await t.answer("29:alice", "leaderboard all")
        assert "Bob" in mine
    finally:
        await stop_world(t)


def test_the_package_names_the_bot_and_carries_icons_of_the_right_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import struct
    import zipfile

    from bot.cli import main

    app_id = "11111111-2222-3333-4444-555555555555"
    monkeypatch.setenv("MICROSOFT_APP_ID", app_id)
    out = tmp_path / "wow.zip"
    assert main(["teams-package", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        sizes = {
            name: struct.unpack(">II", archive.read(name)[16:24])
            for name in ("color.png", "outline.png")
        }
    assert manifest["id"] == app_id and manifest["bots"][0]["botId"] == app_id
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    assert "hero" in [x["title"] for x in commands] and all(x["description"] for x in commands)
    assert sizes == {"color.png": (192, 192), "outline.png": (32, 32)}
    monkeypatch.delenv("MICROSOFT_APP_ID")
    assert main(["teams-package", "-o", str(out)]) == 2


async def test_a_connector_that_throttles_or_fails_during_a_turn_never_loses_the_answer(
    teams: TeamsWorld,
) -> None:
    t, c = teams, teams.connector
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    t.app.sender.messenger.platforms["teams"].sleep = no_wait
    # A 429 with Retry-After: waited for as told, then answered once, in the turn.
    c.fail("reply", 429, {"Retry-After": "2"})
    assert await t.answer("29:alice", "help hero")
    assert waits == [2.0]
    # 503 on every try in the turn: the request still succeeds (no 500), and the answer
    # arrives once, through the outbox, when the connector is back.
    for _ in range(3):
        c.fail("reply", 503)
    before = len(c.to("a:personal-29:alice"))
    assert await t.say("29:alice", "leaderboard all") == []
    await t.settle()
    t.clock.advance(seconds=10)
    await t.settle()
    late = c.to("a:personal-29:alice")[before:]
    assert len(late) == 1 and "no hero moments yet" in card_text(late[0].card)
    t.clock.advance(hours=1)
    await t.settle()
    assert len(c.to("a:personal-29:alice")) == before + 1


async def test_a_message_sent_without_an_activity_id_is_never_updated_or_retried(
    teams: TeamsWorld,
) -> None:
    t, c = teams, teams.connector
    await t.say("29:alice", "admin channel gifts", GIFTS)
    await t.say("29:alice", "admin managers add @Maria", mention=("29:maria",))
    c.bodyless.add("send")  # the managers' ask comes back as 202 with no body
    await t.say("29:carl", "gift Acme Dental: pizza $40 because they're starving")
    await t.settle()
    ask = [x for x in c.of("send") if x.card and "gift.approve" in actions_of(x.card)][-1]
    approved = await t.press("29:maria", ask.card, "unknown", GIFTS, "Approve")
    # The clicked card comes back redrawn, without its buttons, though its id is unknown.
    assert approved["type"] == "application/vnd.microsoft.card.adaptive"
    assert card_text(approved["value"]) == "Decision on gift #1: approved by Maria."
    assert actions_of(approved["value"]) == []
    await t.settle()
    for _ in range(3):
        t.clock.advance(minutes=30)
        await t.settle()
    updated = [u.activity_id for u in c.of("update")]
    assert len(updated) == 1 and None not in updated and "None" not in updated  # the root only
    async with t.app.uow() as uow:  # the ask's update: skipped, with why, once
        rows = await uow.session.execute(
            select(OutboxRow.status, OutboxRow.attempts, OutboxRow.last_error).where(
                OutboxRow.description == "gift #1 buttons removed"
            )
        )
        ((status, attempts, why),) = rows.all()
    assert (status, attempts) == ("skipped", 1) and "without an activity id" in why
    assert "without an activity id" not in await t.answer("29:alice", "digest status")


async def test_reminders_due_together_are_one_card_with_buttons_per_follow_up(
    teams: TeamsWorld,
) -> None:
    t, c = teams, teams.connector
    await t.say("29:carl", "followup Acme in 2 days")
    await t.say("29:carl", "followup Beta in 2 days: call <at>Bob</at> back")
    t.clock.set(START + dt.timedelta(days=2, minutes=1))
    await t.app.tick()
    dm = c.to("a:personal-29:carl")[-1]
    sets = [e for e in dm.card["body"] if e["type"] == "ActionSet"]
    assert [[a["data"]["wow_value"] for a in s["actions"]] for s in sets] == [
        ["1", "1:1d", "1:1w"],
        ["2", "2:1d", "2:1w"],
    ]
    assert "Note: call <at>Bob</at> back" in card_text(dm.card)  # shown, not a mention
    assert "mention" not in json.dumps(dm.body.get("entities") or [])

    clicked = await t.execute("29:carl", "followup.done", "1", dm.activity_id, None)
    redrawn = clicked["value"]  # the card as Carl should see it now
    assert "Done." in card_text(redrawn)
    assert [
        [a["data"]["wow_value"] for a in e["actions"]]
        for e in redrawn["body"]
        if e["type"] == "ActionSet"
    ] == [["2", "2:1d", "2:1w"]]
    await t.settle()
    (update,) = [u for u in c.of("update") if u.activity_id == dm.activity_id]
    assert update.card == redrawn
    assert assert_valid_cards(c, redrawn) >= 3


async def test_a_typed_gifts_checks_are_confirmed_on_a_card_and_redraw_the_proposal(
    teams: TeamsWorld,
) -> None:
    t, c = teams, teams.connector
    await t.say("29:carl", "gift Acme: flowers $20", GIFTS)
    await t.settle()
    root = [x for x in c.of("create") if x.conversation.startswith(GIFTS)][-1]
    assert "Personalized ? · Appropriate ?" in card_text(root.card)
    answer = c.to("a:personal-29:carl")[-1]
    assert actions_of(answer.card) == ["gift.checks"]
    form = await t.execute("29:carl", "gift.checks", "1", answer.activity_id, None)
    toggles = [e for e in form["value"]["body"] if e["type"] == "Input.Toggle"]
    assert [(e["id"], e["value"]) for e in toggles] == [
        ("personalized", "false"),
        ("appropriate", "false"),
        ("practical", "false"),
        ("timely", "false"),
    ]
    assert actions_of(form["value"]) == ["gift.checks.save"]
    other = await t.execute("29:bob", "gift.checks.save", "1", "x", None, timely="true")
    assert other["value"].startswith("Only Carl, who proposed gift #1")
    saved = await t.execute(
        "29:carl",
        "gift.checks.save",
        "1",
        "x",
        None,
        personalized="true",
        appropriate="true",
        practical="false",
        timely="true",
    )
    want = "Personalized ✓ · Appropriate ✓ · Practical ✗ · Timely ✓"
    assert saved["value"].startswith(f"Gift #1 for Acme: {want}")
    await t.settle()
    root_id = root.conversation.split("=")[1]
    redrawn = [u for u in c.of("update") if u.activity_id == root_id][-1]
    assert want in card_text(redrawn.card)
    assert_valid_cards(c)


def inputs_of(card: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(e["id"], e.get("value")) for e in card["body"] if e["type"].startswith("Input.")]


def error_after(card: dict[str, Any]) -> tuple[str | None, str]:
    """(the input a form's error is shown under, or None when above them all; its text)."""
    last = None
    for e in card["body"]:
        if e["type"].startswith("Input."):
            last = e["id"]
        elif e["type"] == "RichTextBlock" and e["inlines"][0].get("color") == "attention":
            return last, e["inlines"][0]["text"].replace("\u2060", "")
    raise AssertionError("no error on the card")


async def test_a_form_is_replaced_by_its_answer_and_shown_again_as_typed_when_refused(
    teams: TeamsWorld,
) -> None:
    t, c = teams, teams.connector
    form = (await t.say("29:carl", "gift"))[0]
    cost = next(e for e in form["body"] if e.get("id") == "cost")
    assert cost["label"] == "Cost in USD (e.g. 40 or $40.00)"  # the workspace's currency
    appropriate = next(e for e in form["body"] if e.get("id") == "appropriate")
    assert appropriate["title"] == "Appropriate: fits the customer and represents us well"
    typed = {"customer": "Acme", "gift": "pizza", "why": "late night", "cost": "40 EUR"}
    refused = await t.press("29:carl", form, "f1", None, **typed, timely="true")
    again = refused["value"]
    assert refused["type"] == "application/vnd.microsoft.card.adaptive"
    assert dict(inputs_of(again)) == {
        "customer": "Acme",
        "gift": "pizza",
        "why": "late night",
        "cost": "40 EUR",
        "personalized": "false",
        "appropriate": "false",
        "practical": "false",
        "timely": "true",
    }
    assert error_after(again) == (
        "cost",
        "This workspace budgets in USD. Give the cost in USD, e.g. 40 USD.",
    )
    assert await t.answer("29:carl", "gifts mine") == "Your gifts: none."  # nothing proposed
    sent = await t.press("29:carl", again, "f1", None, **typed | {"cost": "40"})
    assert sent["type"] == "application/vnd.microsoft.card.adaptive"  # the answer, in its place
    assert card_text(sent["value"]).startswith("Proposed WOW gift #1 for Acme: pizza ($40.00)")
    assert inputs_of(sent["value"]) == []

    # A decline's reason form: refused as typed, then the managers' ask in its place.
    await t.say("29:alice", "admin managers add @Maria", mention=("29:maria",))
    await t.say("29:carl", "gift Beta: a mug $10", GIFTS)
    await t.settle()
    ask = [x for x in c.of("send") if x.card and "gift.decline" in actions_of(x.card)][-1]
    reason_form = await t.press("29:maria", ask.card, ask.activity_id or "", GIFTS, "Decline")
    assert [i for i, _ in inputs_of(reason_form["value"])] == ["reason"]
    long = "x" * 2001
    refused = await t.press("29:maria", reason_form["value"], "r", GIFTS, reason=long)
    assert inputs_of(refused["value"]) == [("reason", long)]
    where, text = error_after(refused["value"])
    assert where == "reason" and "reason" in text
    declined = await t.press("29:maria", refused["value"], "r", GIFTS, reason="not in budget")
    assert card_text(declined["value"]) == (
        "Decision on gift #2: declined by Maria: not in budget."
    )
    assert actions_of(declined["value"]) == []
    assert_valid_cards(c, again, reason_form["value"], refused["value"], declined["value"])


async def test_teams_words_help_as_a_table_without_slash_commands_and_welcomes_once(
    db_url: str,
) -> None:
    t = await start_world(db_url)
    c = t.connector
    try:
        # Installed in a personal chat: one welcome, however often Teams says so again.
        added = t.activity("29:bob", type="conversationUpdate", membersAdded=[BOT])
        added.pop("type")
        for _ in range(2):
            status, _ = await t.post({**added, "type": "conversationUpdate"})
            assert status in (200, 201)
        welcomes = [x for x in c.to("a:personal-29:bob") if "Hi, I'm WOW Bot" in card_text(x.card)]
        assert len(welcomes) == 1
        await stop_world(t, connector_too=False)  # a restart does not forget it either
        t = await start_world(db_url, c)
        await t.post({**added, "type": "conversationUpdate"})
        assert len(c.to("a:personal-29:bob")) == 1

        help_card = (await t.say("29:bob", "help"))[0]
        (rows,) = [e["items"] for e in help_card["body"] if e["type"] == "Container"]
        assert len(rows) == len(USAGE)  # a row per command, in columns that line up
        assert {tuple(c["width"] for c in row["columns"]) for row in rows} == {(1, 3)}
        text = card_text(help_card)
        assert "hero: recognise a colleague's hero moment: hero @bob" in text
        assert "More on one: help <command>" in text and "/wow" not in text
        mistake = await t.answer("29:bob", "hero bob did well")
        assert mistake.startswith("Mention who you're recognising first.\nWrite it like this:")
        assert "\n  hero @bob [@carol …] <what they did> [#value]" in mistake
        assert "/wow" not in mistake

        # A team's General channel (its id is the team's, often with no name) is named.
        general = t.activity("29:alice", TEAM_ID)
        general["conversation"].pop("name")
        general |= {
            "text": "<at>WOW</at> admin channel wall",
            "entities": [{"type": "mention", "text": "<at>WOW</at>", "mentioned": BOT}],
        }
        await t.post(general)
        assert card_text(c.to("a:personal-29:alice")[-1].card) == (
            "Hero moments now go to General in Support Team."
        )
        assert_valid_cards(c)
    finally:
        await stop_world(t)


def test_cards_fit_teams_long_tokens_wrap_and_what_does_not_fit_is_counted() -> None:
    url = "https://example.com/" + "a" * 200
    sections = tuple(
        Section(f"Section {n}", tuple(f"line {n}.{i} " + "x" * 150 for i in range(40)))
        for n in range(30)
    )
    big = to_card(Message(text=f"see {url}", title="Big", sections=sections, footer="end"))
    size = len(json.dumps(big, ensure_ascii=False).encode())
    assert 20_000 < size <= 24_000  # Teams refuses a message over about 28 KB
    text = card_text(big)
    lines = text.splitlines()
    assert re.fullmatch(r"… and \d+ more", lines[-2]) and lines[-1] == "end"
    shown = sum(1 for line in lines if line.startswith("line ")) + sum(
        1 for line in lines if line.startswith("Section ")
    )
    assert shown + int(lines[-2].split()[2]) == 30 * 41  # every line shown or counted
    first = big["body"][1]["inlines"][0]["text"]
    assert max(len(w) for w in first.split("\u200b")) <= 35  # the URL may break …
    assert url in text.replace("\u200b", "")  # … and still reads as typed
    assert_valid_cards(FakeConnector(), big)


async def test_a_kpis_trend_is_a_bar_chart_teams_can_show(teams: TeamsWorld) -> None:
    t = teams
    for day in range(3):  # heroes on three days: 1, 0, 2
        t.clock.set(START + dt.timedelta(days=day))
        for _ in range((1, 0, 2)[day]):
            await t.say("29:alice", "hero @Bob fixed it", mention=("29:bob",))
    card = (await t.say("29:alice", "kpi"))[0]
    line, approved = [e for e in card["body"] if e["type"] == "ColumnSet"]
    text_column, chart_column = line["columns"]
    assert card_text({"body": approved["columns"][0]["items"]}) == "Gifts approved: 0"
    assert card_text({"body": text_column["items"]}).startswith("Hero moments per day: 2")
    (image,) = chart_column["items"]
    assert image["altText"] == "the last 7 days, one bar a day"
    png = base64.b64decode(image["url"].removeprefix("data:image/png;base64,"))
    width, height = struct.unpack(">II", png[16:24])
    assert png.startswith(b"\x89PNG") and (width, height) == (7 * 11 - 3, 24)
    rows = zlib.decompress(png[png.index(b"IDAT") + 4 : png.index(b"IEND") - 8])
    stride = 1 + width * 3

    def tall(bar: int) -> int:  # the bar's height in pixels, read off the image
        x = 1 + bar * 11 * 3
        return sum(rows[y * stride + x : y * stride + x + 3] == b"\x5b\x5f\xc7" for y in range(24))

    # 0 0 0 0 1 0 2 heroes a day: ▁▁▁▁▅▁█, eighths of the image's height
    assert [tall(b) for b in range(7)] == [3, 3, 3, 3, 15, 3, 24]
    assert_valid_cards(t.connector, card)


def json_walk(node: Any) -> list[dict[str, Any]]:
    """Every element of a card's body, nested ones too."""
    found = []
    if isinstance(node, dict):
        if "type" in node:
            found.append(node)
        for value in node.values():
            found += json_walk(value)
    elif isinstance(node, list):
        for value in node:
            found += json_walk(value)
    return found
