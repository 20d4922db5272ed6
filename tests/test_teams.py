"""Teams through the Bot Framework's real protocol: activities posted over HTTP to the running
aiohttp app, their `serviceUrl` pointing at a fake connector on loopback."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from jsonschema import Draft6Validator

from bot.bootstrap import App
from bot.config import load_settings
from bot.server import APP_KEY, build_web_app
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
                    "team": {"id": "19:team-1@thread.tacv2"},
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
        return [c.card for c in self.connector.calls[before:] if c.card]

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
    for element in card.get("body", []):
        if element["type"] == "RichTextBlock":
            texts.append("".join(i["text"] for i in element["inlines"]))
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
            == "Maria is now manager."
        )
        await t.say("29:alice", "admin channel wall", WALL)
        await t.say("29:alice", "admin channel gifts", GIFTS)
        # A private answer to a command typed in a channel goes to the personal chat.
        assert card_text(c.to("a:personal-29:alice")[-1].card) == "Gift proposals now go to #gifts."

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
        assert card_text(approved["value"]) == "Decision on gift #1: approved by maria."
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
