"""Slack through its real protocol: signed requests to the running aiohttp app, and a fake
Web API behind SLACK_API_URL that records what the bot sends."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer
from jsonschema import Draft7Validator
from slack_sdk.models.blocks import Block

from bot.config import load_settings
from bot.server import APP_KEY, build_web_app
from tests.conftest import START
from tests.fakes import FixedClock
from tests.slack_fake import SECRET, TEAM, TOKEN, FakeSlack, sign
from tests.slack_world import SlackWorld, _ids, submit_view

FIXTURES = Path(__file__).parent / "fixtures" / "slack"


def all_blocks(fake: FakeSlack) -> list[list[dict[str, Any]]]:
    sent = [
        c.args
        for c in fake.calls
        if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")
    ]
    return [fake.blocks_of(args) for args in sent if args.get("blocks")]


def assert_valid_block_kit(fake: FakeSlack) -> None:
    for blocks in all_blocks(fake):
        assert len(blocks) <= 50
        for block in Block.parse_all(blocks):
            block.validate_json()  # slack_sdk's own limits: text, fields, buttons …
            assert block.to_dict() in blocks


async def test_the_whole_wow_loop_on_slack(slack: SlackWorld) -> None:
    s, fake = slack, slack.fake
    assert await s.command("UADMIN", "admin managers add <@UMARIA|maria>") == (
        "maria is now a manager."
    )
    assert await s.command("UADMIN", "admin channel wall <#CWALL|wow-wall>") == (
        "Hero moments now go to <#CWALL>."
    )
    await s.command("UADMIN", "admin channel gifts <#CGIFTS|gifts>")

    # A hero moment reaches the wall and both nominees' DMs.
    answer = await s.command("UADMIN", "hero <@UBOB|bob> <@UDANA|dana> saved Acme's launch #wowism")
    assert answer == "Thanks! Hero moment #1 recorded for bob, dana for Practice WOWism (#wowism)."
    await fake.wait_for(lambda: len(s.posted("DUDANA")) == 1 and len(s.posted("CWALL")) == 1)
    wall = fake.blocks_of(s.posted("CWALL")[0])
    assert wall[0]["text"]["text"] == "Hero moment: bob, dana"
    assert wall[-1]["elements"][0]["action_id"] == "hero.cheer"
    assert len(s.posted("DUBOB")) == 1

    # A gift: the root in the gifts channel, the managers asked in its thread.
    await s.command("UCARL", "gift Acme Dental: pizza $40 because they're starving")
    await fake.wait_for(lambda: len(s.posted("CGIFTS")) == 2)
    root, ask = s.posted("CGIFTS")
    assert "thread_ts" not in root and ask["thread_ts"] == root["ts"]
    assert ask["text"].startswith("<@UMARIA> Please approve")
    assert [e["action_id"] for e in fake.blocks_of(ask)[-1]["elements"]] == [
        "gift.approve",
        "gift.decline",
    ]

    # A member's click is refused, privately, and changes nothing.
    assert await s.click("UBOB", "gift.approve", "1") == (
        "Only managers and admins can approve or decline gifts."
    )
    assert fake.of("chat.update") == []
    # A manager approves: the root and the ask are updated, the thread told, the proposer DMed.
    assert await s.click("UMARIA", "gift.approve", "1") == "You approved gift #1 for Acme Dental."
    await fake.wait_for(
        lambda: (
            len(fake.of("chat.update")) == 2
            and len(s.posted("DUCARL")) == 1
            and len(s.posted("CGIFTS")) == 3
        )
    )
    updated = {u["ts"]: u for u in fake.of("chat.update")}
    assert "approved by maria" in json.dumps(fake.blocks_of(updated[root["ts"]]))
    assert all(b["type"] != "actions" for b in fake.blocks_of(updated[ask["ts"]]))
    thread = [m for m in s.posted("CGIFTS") if m.get("thread_ts") == root["ts"]]
    assert thread[-1]["text"] == "Approved by maria"
    dm = s.posted("DUCARL")[0]
    assert fake.blocks_of(dm)[-1]["elements"][0]["action_id"] == "gift.sent"
    assert (await s.click("UMARIA", "gift.approve", "1")).startswith("Already approved by maria")

    # Mark as sent → a follow-up; the reminder DM comes when it is due.
    answer = await s.click("UCARL", "gift.sent", "1", channel="DUCARL")
    assert answer.startswith("Marked gift #1 as sent. Follow-up #1: check in with Acme Dental on")
    s.clock.set(START + dt.timedelta(days=14, minutes=1))
    await s.app.tick()
    reminder = s.posted("DUCARL")[-1]
    assert reminder["text"].startswith("Time to follow up with Acme Dental")
    assert [e["action_id"] for e in fake.blocks_of(reminder)[-1]["elements"]] == [
        "followup.done",
        "followup.snooze",
        "followup.snooze",
    ]
    assert "is done" in await s.click("UCARL", "followup.done", "1", channel="DUCARL")

    # The digest is posted to its channel at its time.
    await s.command("UADMIN", "digest subscribe <#CTEAM|team> at 08:30 Europe/Helsinki daily")
    await s.command("UADMIN", "hero <@UDANA|dana> calmed an angry caller")
    s.clock.set(START + dt.timedelta(days=15, hours=-0.5))  # next day 08:30 Helsinki
    await s.app.tick()
    digest = s.posted("CTEAM")
    assert len(digest) == 1 and digest[0]["text"].startswith("WOW digest for")
    assert "dana: calmed an angry caller (by alice)" in json.dumps(fake.blocks_of(digest[0]))
    assert_valid_block_kit(fake)
    # Each DM was posted to the member's ID, which Slack puts in the app's DM with them: not
    # one conversations.open (Tier 3, about 50 a minute) for any of them.
    assert fake.of("conversations.open") == []
    dms = [m for m in fake.of("chat.postMessage") if m["channel"].startswith("D")]
    assert {m["_to"] for m in dms} == {"UBOB", "UDANA", "UCARL"}
    assert all(m["channel"] == "D" + m["_to"] for m in dms)


async def test_unsigned_wrongly_signed_and_stale_requests_get_401_and_save_nothing(
    slack: SlackWorld,
) -> None:
    body = urlencode(
        {
            "team_id": TEAM,
            "user_id": "UBOB",
            "channel_id": "C1",
            "command": "/wow",
            "text": "hero <@UDANA|dana> forged",
            "response_url": "http://x/",
        }
    )
    assert await slack.post(body, headers={}) == 401
    assert await slack.post(body, headers=sign(body, secret="not-the-secret")) == 401
    stale = int(dt.datetime.now(dt.UTC).timestamp()) - 301
    assert await slack.post(body, headers=sign(body, timestamp=stale)) == 401
    assert await slack.post(body + "&x=1", headers=sign(body)) == 401  # body changed
    async with slack.app.uow() as uow:
        assert await uow.heroes.between(1, START.replace(year=2000), START.replace(year=2100)) == []
    assert slack.fake.calls == []


def test_slacks_documented_signing_example_is_a_known_answer() -> None:
    vector = json.loads((FIXTURES / "slack_docs_signature_vector.json").read_text())
    headers = sign(
        vector["body"], secret=vector["signing_secret"], timestamp=int(vector["timestamp"])
    )
    assert headers["X-Slack-Signature"] == vector["expected_signature"]


async def test_a_429_pauses_only_its_conversation_for_its_retry_after(slack: SlackWorld) -> None:
    await slack.command("UADMIN", "admin channel wall <#CWALL|wow-wall>")
    slack.fake.fail(
        "chat.postMessage",
        status=429,
        error="ratelimited",
        headers={"Retry-After": "30"},
        channel="CWALL",
    )
    await slack.command("UADMIN", "hero <@UBOB|bob> kept calm")
    await slack.settle()
    assert len(slack.posted("DUBOB")) == 1  # another conversation: not delayed
    assert slack.posted("CWALL") == []
    slack.clock.advance(seconds=29)
    await slack.settle()
    assert slack.posted("CWALL") == []  # Slack said 30 seconds
    slack.clock.advance(seconds=2)
    await slack.settle()
    failed = [c for c in slack.fake.calls if c.method == "chat.postMessage!failed"]
    assert len(failed) == 1
    assert len(slack.posted("CWALL")) == 1 and len(slack.posted("DUBOB")) == 1


async def test_channel_not_found_is_recorded_shown_and_not_retried(slack: SlackWorld) -> None:
    await slack.command("UADMIN", "digest subscribe <#CGONE|gone> at 08:30 Europe/Helsinki daily")
    slack.fake.fail("chat.postMessage", error="channel_not_found")
    slack.clock.set(START + dt.timedelta(days=1, hours=-0.5))
    await slack.app.tick()
    status = await slack.command("UADMIN", "digest status")
    blocks = json.dumps(slack.fake.blocks_of(slack.fake.of("response_url")[-1]))
    assert status.startswith("Digest status") and "channel_not_found" in blocks
    slack.clock.advance(hours=3)
    await slack.app.tick()
    attempts = [c for c in slack.fake.calls if c.method.startswith("chat.postMessage")]
    assert len(attempts) == 1


async def test_user_text_arrives_escaped_and_pings_no_one(slack: SlackWorld) -> None:
    # What Slack sends for a typed "@channel", "@here", "<@U0000>" and a link, with should_escape.
    story = "<!channel> <!here> &lt;@U0000&gt; <https://x.example|click> & more"
    await slack.command("UADMIN", "admin channel wall <#CWALL|wow-wall>")
    await slack.command("UADMIN", f"hero <@UBOB|bob> {story}")
    await slack.fake.wait_for(lambda: len(slack.posted("CWALL")) == 1)
    post = slack.posted("CWALL")[0]
    text = json.dumps(slack.fake.blocks_of(post)) + post["text"]
    assert "@channel @here &lt;@U0000&gt; click (https://x.example) &amp; more" in text
    for live in ("<!channel>", "<!here>", "<@U0000>", "<https://"):
        assert live not in text
    assert all(b.get("text", {}).get("verbatim", True) for b in slack.fake.blocks_of(post))


async def test_long_stories_and_long_lists_stay_within_slacks_limits(slack: SlackWorld) -> None:
    await slack.command("UADMIN", "admin channel wall <#CWALL|wow-wall>")
    await slack.command("UADMIN", "hero <@UBOB|bob> " + "w" * 1990 + " done")
    for i in range(40):
        await slack.command("UBOB", f"gift Customer {i:02d} with a long name: a gift {i} $1")
    listing = await slack.command("UADMIN", "gifts pending")
    assert listing.startswith("Gifts waiting for a decision #40 Customer 39")
    assert_valid_block_kit(slack.fake)
    blocks = slack.fake.blocks_of(slack.fake.of("response_url")[-1])
    assert "Customer 00" in json.dumps(blocks) and "Customer 39" in json.dumps(blocks)


async def test_two_approvals_at_once_make_one_decision_and_one_update(slack: SlackWorld) -> None:
    await slack.command("UADMIN", "admin managers add <@UMARIA|maria> <@UERIK|erik>")
    await slack.command("UBOB", "gift Acme: pizza $40")
    await slack.fake.wait_for(lambda: len(slack.fake.of("chat.postMessage")) == 2)
    answers = await asyncio.gather(
        slack.click("UMARIA", "gift.approve", "1"), slack.click("UERIK", "gift.approve", "1")
    )
    assert sum(a.startswith("You approved") for a in answers) == 1
    await slack.settle()
    root_ts = slack.fake.of("chat.postMessage")[0]["ts"]
    assert len([u for u in slack.fake.of("chat.update") if u["ts"] == root_ts]) == 1
    assert (
        len(
            [
                m
                for m in slack.fake.of("chat.postMessage")
                if m.get("text", "").startswith("Approved by")
            ]
        )
        == 1
    )


async def test_events_slack_retries_are_handled_once(slack: SlackWorld) -> None:
    event = json.loads((FIXTURES / "event_app_home_opened.json").read_text())
    event["event"]["tab"] = "home"
    body = json.dumps(event)
    assert await slack.post(body, content_type="application/json") == 200
    await slack.fake.wait_for(lambda: len(slack.fake.of("views.publish")) == 1)
    headers = {**sign(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert await slack.post(body, headers=headers, content_type="application/json") == 200
    await slack.command("UADMIN", "help")  # something after, to be sure the retry is done
    assert len(slack.fake.of("views.publish")) == 1
    home = json.loads(json.dumps(slack.fake.of("views.publish")[0]["view"]))
    assert home["type"] == "home"


async def test_recorded_slack_payloads_are_dispatched_without_error(slack: SlackWorld) -> None:
    url = slack.fake.response_url("recorded")
    for name in (
        "slash_command_body.x-www-form-urlencoded.txt",
        "slack_docs_slash_command_example.x-www-form-urlencoded.txt",
    ):
        fields = dict(parse_qsl((FIXTURES / name).read_text().strip()))
        fields["response_url"] = url
        assert await slack.post(urlencode(fields)) == 200
    for name in ("block_actions.json", "view_submission.json"):
        payload = json.loads((FIXTURES / name).read_text())
        payload["response_url"] = url
        payload.pop("response_urls", None)
        assert await slack.post(urlencode({"payload": json.dumps(payload)})) == 200
    for name in ("event_app_home_opened.json", "event_app_mention.json"):
        assert (
            await slack.post((FIXTURES / name).read_text(), content_type="application/json") == 200
        )
    challenge = (FIXTURES / "url_verification.json").read_text()
    response = await slack.client.post(
        "/slack/events",
        data=challenge.encode(),
        headers={**sign(challenge), "Content-Type": "application/json"},
    )
    assert response.status == 200 and json.loads(challenge)["challenge"] in await response.text()
    await slack.fake.wait_for(lambda: len(slack.fake.of("response_url")) >= 3)
    answers = [r["text"] for r in slack.fake.of("response_url")]
    assert not any("Something went wrong" in a for a in answers)


def test_the_manifest_validates_against_slacks_schema() -> None:
    schema = json.loads((FIXTURES / "manifest.schema.1.0.0.json").read_text())
    manifest = yaml.safe_load((Path(__file__).parent.parent / "manifest.yml").read_text())
    assert list(Draft7Validator(schema).iter_errors(manifest)) == []
    command = manifest["features"]["slash_commands"][0]
    assert command["command"] == "/wow" and command["should_escape"] is True
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
    broken = {**manifest, "settings": {**manifest["settings"], "bad_param": True}}
    assert list(Draft7Validator(schema).iter_errors(broken))  # the schema does check


async def test_hero_with_no_arguments_opens_a_form_and_its_errors_show_on_the_field(
    slack: SlackWorld,
) -> None:
    s = slack
    name = f"c{next(_ids)}"
    body = urlencode(
        {
            "team_id": TEAM,
            "user_id": "UADMIN",
            "channel_id": "CGEN",
            "command": "/wow",
            "text": "hero",
            "trigger_id": "trig.1",
            "response_url": s.fake.response_url(name),
        }
    )
    assert await s.post(body) == 200
    await s.fake.wait_for(lambda: len(s.fake.of("views.open")) == 1)
    opened = s.fake.of("views.open")[0]
    view = opened["view"]
    assert opened["trigger_id"] == "trig.1" and view["callback_id"] == "hero.submit"
    assert [b["block_id"] for b in view["blocks"]] == ["nominees", "story", "customer", "value"]
    assert view["blocks"][0]["element"]["type"] == "multi_users_select"

    answer = await submit_view(
        s,
        "UADMIN",
        view,
        {
            "nominees": {"type": "multi_users_select", "selected_users": ["UBOB"]},
            "story": {"type": "plain_text_input", "value": "answered every call"},
            "value": {"type": "plain_text_input", "value": "#teamwork"},
        },
    )
    assert answer["response_action"] == "errors"
    assert "is not one of this workspace's values" in answer["errors"]["value"]

    answer = await submit_view(
        s,
        "UADMIN",
        view,
        {
            "nominees": {"type": "multi_users_select", "selected_users": ["UBOB", "UDANA"]},
            "story": {"type": "plain_text_input", "value": "answered every call"},
            "customer": {"type": "plain_text_input", "value": "Acme"},
            "value": {"type": "plain_text_input", "value": "Create Community"},
        },
    )
    assert answer == {}
    await s.fake.wait_for(lambda: len(s.fake.of("chat.postEphemeral")) == 1)
    confirmation = s.fake.of("chat.postEphemeral")[0]
    assert confirmation["channel"] == "CGEN" and confirmation["user"] == "UADMIN"
    assert confirmation["text"] == (
        "Thanks! Hero moment #1 recorded for bob, dana for Create Community (#community)."
    )


async def test_the_gift_form_has_the_four_checks_and_decline_asks_for_a_reason(
    slack: SlackWorld,
) -> None:
    s = slack
    await s.command("UADMIN", "admin managers add <@UMARIA|maria>")
    view = await s.open_form("UBOB", "gift")
    checks = [b["block_id"] for b in view["blocks"] if b["element"]["type"] == "checkboxes"]
    assert checks == ["personalized", "appropriate", "practical", "timely"]
    ticked = {"type": "checkboxes", "selected_options": [{"value": "true"}]}
    assert (
        await submit_view(
            s,
            "UBOB",
            view,
            {
                "customer": {"type": "plain_text_input", "value": "Acme"},
                "gift": {"type": "plain_text_input", "value": "a handwritten note"},
                "cost": {"type": "plain_text_input", "value": "$5"},
                "personalized": ticked,
                "appropriate": ticked,
                "practical": {"type": "checkboxes", "selected_options": []},
                "timely": ticked,
            },
        )
        == {}
    )
    await s.fake.wait_for(lambda: len(s.fake.of("chat.postMessage")) == 2)
    root = json.dumps(s.fake.blocks_of(s.fake.of("chat.postMessage")[0]), ensure_ascii=False)
    assert "Personalized ✓ · Appropriate ✓ · Practical ✗ · Timely ✓" in root

    # Decline opens a form for the reason; submitting it declines, with the reason told.
    await s.press("UMARIA", "gift.decline", "1", "CGEN")
    await s.fake.wait_for(lambda: len(s.fake.of("views.open")) == 2)
    reason_view = s.fake.of("views.open")[1]["view"]
    assert reason_view["callback_id"] == "gift.decline"
    assert json.loads(reason_view["private_metadata"])["value"] == "1"
    assert (
        await submit_view(
            s,
            "UMARIA",
            reason_view,
            {"reason": {"type": "plain_text_input", "value": "We sent them one last week"}},
        )
        == {}
    )
    await s.fake.wait_for(
        lambda: any(
            m.get("text") == "Declined by maria: We sent them one last week"
            for m in s.fake.of("chat.postMessage")
        )
    )
    assert_valid_block_kit(s.fake)


async def test_a_command_acknowledged_before_shutdown_is_still_saved_and_answered(
    db_url: str,
) -> None:
    fake = FakeSlack(names={"UADMIN": "alice", "UBOB": "bob"})
    await fake.server.start_server()
    profile = fake.hold("users.info")  # the work after the ack stops at its first API call
    settings = load_settings(
        wowbot_database_url=db_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
    )
    web_app = await build_web_app(settings, clock=FixedClock(START))

    async def shutting_down(_: Any) -> None:
        profile.set()  # only now may the work go on: the server is already stopping

    web_app.on_shutdown.append(shutting_down)
    client = TestClient(TestServer(web_app))
    await client.start_server()
    world = SlackWorld(fake, client, FixedClock(START), web_app[APP_KEY])
    body = urlencode(
        {
            "team_id": TEAM,
            "user_id": "UADMIN",
            "channel_id": "CGEN",
            "command": "/wow",
            "text": "hero <@UBOB|bob> stayed late for a customer",
            "response_url": fake.response_url("last"),
            "trigger_id": "t.last",
        }
    )
    try:
        assert await world.post(body) == 200
        await fake.wait_for(lambda: bool(fake.of("users.info?held")))
        await client.close()  # SIGTERM's path: shutdown, then the drains, then the database
        assert [a["text"] for a in fake.of("response_url")] == [
            "Thanks! Hero moment #1 recorded for bob."
        ]
        # Saved: after a restart the nominee's DM leaves the outbox, once.
        restarted = await build_web_app(settings, clock=FixedClock(START))
        client = TestClient(TestServer(restarted))
        await client.start_server()
        await restarted[APP_KEY].sender.deliver_due()
        dms = [m for m in fake.of("chat.postMessage") if m["channel"] == "DUBOB"]
        assert len(dms) == 1 and "stayed late for a customer" in json.dumps(dms[0])
    finally:
        await client.close()
        await fake.server.close()


async def test_calls_to_slack_reuse_connections(slack: SlackWorld) -> None:
    for n in range(4):
        assert (await slack.command("UADMIN", f"hero <@UBOB|bob> case {n}")).startswith("Thanks")
        await slack.settle()
    calls = [c for c in slack.fake.calls if not c.method.endswith("?held")]
    assert len(calls) >= 12  # auth, profiles, answers, DMs …
    # Each call on a new connection (a new TLS handshake with real Slack) would make these equal.
    assert len(slack.fake.connections) <= 3, (len(slack.fake.connections), len(calls))


async def test_socket_mode_takes_commands_over_the_websocket(sqlite_url: str) -> None:
    fake = FakeSlack(names={"UADMIN": "alice", "UBOB": "bob"})
    await fake.server.start_server()
    settings = load_settings(
        wowbot_database_url=sqlite_url,
        wowbot_admins="UADMIN",
        slack_bot_token=TOKEN,
        slack_app_token="xapp-test",
        slack_api_url=fake.api_url,
    )
    client = TestClient(TestServer(await build_web_app(settings, clock=FixedClock(START))))
    await client.start_server()  # connects to the fake's websocket
    try:
        assert (await client.post("/slack/events", data=b"{}")).status == 404  # no HTTP mode
        await fake.envelopes.put(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": TEAM,
                    "user_id": "UADMIN",
                    "channel_id": "CGEN",
                    "command": "/wow",
                    "text": "hero <@UBOB|bob> covered the late shift",
                    "response_url": fake.response_url("socket"),
                    "trigger_id": "t.s",
                },
            }
        )
        assert await fake.response("socket") == "Thanks! Hero moment #1 recorded for bob."
        assert [a["envelope_id"] for a in fake.of("socket.ack")] == ["env-1"]
        await fake.wait_for(lambda: len(fake.of("chat.postMessage")) == 2)  # wall and DM
    finally:
        await client.close()
        await fake.server.close()


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"slack_signing_secret": "s"}, "SLACK_BOT_TOKEN is missing"),
        ({"slack_bot_token": "xoxb-1"}, "SLACK_SIGNING_SECRET is missing"),
        ({"slack_bot_token": "xoxb-1", "slack_app_token": "xoxb-2"}, "must be an app-level"),
    ],
)
async def test_half_a_slack_configuration_stops_start_up(
    sqlite_url: str, settings: dict[str, str], says: str
) -> None:
    from bot.config import ConfigError

    with pytest.raises(ConfigError, match=says):
        await build_web_app(load_settings(wowbot_database_url=sqlite_url, **settings))


async def test_an_answer_that_cannot_reach_slack_fails_at_once_for_the_outbox_to_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """slack_sdk's webhook client retries a connection error after sleeping up to 1.5 s
    unless told not to; inside the sender that sleep held a send slot per answer (8 answers
    a second for the whole workspace while response_urls were unreachable)."""
    from slack_sdk.http_retry.async_handler import AsyncRetryHandler
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.adapters.slack.messenger import SlackMessenger
    from bot.core.errors import DeliveryError
    from bot.core.messages import Message
    from bot.core.model import Workspace
    from tests.served import free_port

    retried: list[object] = []

    async def record(self: object, *args: Any, **kwargs: Any) -> None:
        retried.append(self)

    monkeypatch.setattr(AsyncRetryHandler, "prepare_for_next_attempt_async", record)
    client = AsyncWebClient(token=TOKEN)
    messenger = SlackMessenger(client)
    closed = f"http://127.0.0.1:{free_port()}/respond"  # nothing listens there
    with pytest.raises(DeliveryError) as raised:
        await messenger.answer(
            Workspace(1, "slack", TEAM), {"response_url": closed}, Message("hi"), public=False
        )
    assert not raised.value.permanent  # the outbox tries again later
    assert retried == []


async def test_reminders_due_together_are_one_dm_with_buttons_per_follow_up(
    slack: SlackWorld,
) -> None:
    s, fake = slack, slack.fake
    await s.command("UCARL", "followup Acme in 2 days")
    await s.command("UCARL", "followup Beta in 2 days: <!channel> call back")
    s.clock.set(START + dt.timedelta(days=2, minutes=1))
    await s.app.tick()
    (dm,) = s.posted("DUCARL")
    blocks = fake.blocks_of(dm)
    assert [b["type"] for b in blocks] == [
        "header",
        "section",
        *["section", "actions"] * 2,
    ]
    assert [[e["value"] for e in b["elements"]] for b in blocks if b["type"] == "actions"] == [
        ["1", "1:1d", "1:1w"],
        ["2", "2:1d", "2:1w"],
    ]
    assert "Note: @channel call back" in blocks[4]["text"]["text"]  # a note pings no one
    assert "<!" not in json.dumps(blocks)
    assert_valid_block_kit(fake)

    assert "is done" in await s.click("UCARL", "followup.done", "1", channel="DUCARL")
    await s.settle()
    (update,) = fake.of("chat.update")
    assert update["ts"] == dm["ts"]
    redrawn = fake.blocks_of(update)
    assert [b["type"] for b in redrawn] == ["header", "section", "section", "section", "actions"]
    assert redrawn[2]["text"]["text"].endswith("Done.")
    assert [e["value"] for e in redrawn[4]["elements"]] == ["2", "2:1d", "2:1w"]
    assert_valid_block_kit(fake)


async def test_a_typed_gifts_checks_are_confirmed_in_a_modal_and_redraw_the_proposal(
    slack: SlackWorld,
) -> None:
    s = slack
    await s.command("UBOB", "gift Acme: pizza $40")
    answer = s.fake.of("response_url")[-1]
    buttons = [e for b in s.fake.blocks_of(answer) if b["type"] == "actions" for e in b["elements"]]
    assert [(e["action_id"], e["value"]) for e in buttons] == [("gift.checks", "1")]
    await s.command("UBOB", "gift checks 1 appropriate")
    await s.press("UBOB", "gift.checks", "1", "CGEN")
    await s.fake.wait_for(lambda: len(s.fake.of("views.open")) == 1)
    view = s.fake.of("views.open")[0]["view"]
    assert view["callback_id"] == "gift.checks.save"
    ticked = {b["block_id"]: bool(b["element"].get("initial_options")) for b in view["blocks"]}
    assert ticked == {
        "personalized": False,
        "appropriate": True,
        "practical": False,
        "timely": False,
    }
    yes = {"type": "checkboxes", "selected_options": [{"value": "true"}]}
    no = {"type": "checkboxes", "selected_options": []}
    values = {"personalized": yes, "appropriate": yes, "practical": yes, "timely": no}
    assert await submit_view(s, "UBOB", view, values) == {}
    want = "Personalized ✓ · Appropriate ✓ · Practical ✓ · Timely ✗"
    await s.fake.wait_for(
        lambda: any(want in json.dumps(u, ensure_ascii=False) for u in s.fake.of("chat.update"))
    )
    assert_valid_block_kit(s.fake)
