"""A Slack workspace for tests: the bot's aiohttp app with really signed requests, and a fake
Web API behind SLACK_API_URL that records what the bot sends."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import App
from bot.config import load_settings
from bot.server import APP_KEY, build_web_app
from tests.fakes import START, FixedClock
from tests.slack_fake import SECRET, TEAM, TOKEN, FakeSlack, sign

_ids = itertools.count(1)


@dataclass
class SlackWorld:
    fake: FakeSlack
    client: TestClient
    clock: FixedClock
    app: App

    async def post(
        self,
        body: str,
        headers: dict[str, str] | None = None,
        content_type: str = "application/x-www-form-urlencoded",
    ) -> int:
        headers = sign(body) if headers is None else headers
        response = await self.client.post(
            "/slack/events", data=body.encode(), headers={**headers, "Content-Type": content_type}
        )
        return response.status

    def command_body(self, user: str, text: str, channel: str = "CGEN") -> str:
        """The form body Slack posts for `/wow <text>` typed by `user`."""
        return urlencode(
            {
                "token": "x",
                "team_id": TEAM,
                "team_domain": "acme",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/wow",
                "text": text,
                "response_url": self.fake.response_url(f"c{next(_ids)}"),
                "trigger_id": f"t.{next(_ids)}",
                "api_app_id": "A1",
            }
        )

    async def command(self, user: str, text: str, channel: str = "CGEN") -> str:
        """Run /wow and return what Slack shows the user (via response_url)."""
        before = len(self.fake.of("response_url"))
        assert await self.post(self.command_body(user, text, channel)) == 200
        await self.fake.wait_for(lambda: len(self.fake.of("response_url")) > before)
        return self.fake.of("response_url")[-1]["text"]

    async def click(self, user: str, action: str, value: str, channel: str = "CGIFTS") -> str:
        """Press a button and return what Slack shows the user through its response_url."""
        return await self.fake.response(await self.press(user, action, value, channel))

    async def press(self, user: str, action: str, value: str, channel: str = "CGIFTS") -> str:
        """Press a button as Slack posts it; returns the name of its response_url (a button
        that opens a form answers with views.open instead)."""
        name = f"a{next(_ids)}"
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": TEAM},
            "team": {"id": TEAM, "domain": "acme"},
            "channel": {"id": channel},
            "api_app_id": "A1",
            "trigger_id": f"t.{next(_ids)}",
            "response_url": self.fake.response_url(name),
            "container": {"type": "message", "channel_id": channel, "message_ts": "1.1"},
            "actions": [
                {
                    "action_id": action,
                    "value": value,
                    "type": "button",
                    "block_id": "b",
                    "action_ts": "1.2",
                }
            ],
        }
        assert await self.post(urlencode({"payload": json.dumps(payload)})) == 200
        return name

    async def open_form(self, user: str, text: str) -> dict[str, Any]:
        """Run a /wow that opens a modal; returns the view the bot opened."""
        before = len(self.fake.of("views.open"))
        body = urlencode(
            {
                "team_id": TEAM,
                "user_id": user,
                "channel_id": "CGEN",
                "command": "/wow",
                "text": text,
                "trigger_id": f"t.{next(_ids)}",
                "response_url": self.fake.response_url(f"f{next(_ids)}"),
            }
        )
        assert await self.post(body) == 200
        await self.fake.wait_for(lambda: len(self.fake.of("views.open")) > before)
        return self.fake.of("views.open")[-1]["view"]

    def posted(self, channel: str) -> list[dict[str, Any]]:
        return [c for c in self.fake.of("chat.postMessage") if c["channel"] == channel]

    async def settle(self) -> None:
        """Handle what the inbox holds, then deliver whatever is queued (both also run on
        their own after each request)."""
        await self.app.inbox.join()
        await self.app.sender.deliver_due()


@pytest.fixture
async def slack(db_url: str) -> AsyncIterator[SlackWorld]:
    fake = FakeSlack(
        names={
            "UADMIN": "alice",
            "UMARIA": "maria",
            "UBOB": "bob",
            "UCARL": "carl",
            "UDANA": "dana",
            "UERIK": "erik",
        }
    )
    await fake.server.start_server()
    clock = FixedClock(START)
    settings = load_settings(
        wowbot_database_url=db_url,
        wowbot_admins="UADMIN",
        wowbot_default_timezone="Europe/Helsinki",
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
    )
    web_app = await build_web_app(settings, clock=clock)
    # This fake Slack has no rate limit, and the clock here stands still: the world does
    # not pace its posts (pacing has tests of its own, in test_pacing).
    web_app[APP_KEY].sender.messenger.platforms["slack"].spacing_seconds = 0.0
    client = TestClient(TestServer(web_app))
    await client.start_server()
    yield SlackWorld(fake, client, clock, web_app[APP_KEY])
    await client.close()
    await fake.server.close()


async def submit_view(
    s: SlackWorld, user: str, view: dict[str, Any], values: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Submit a modal the bot opened, as Slack does; returns the HTTP answer (errors or not)."""
    state = {"values": {block: {block: data} for block, data in values.items()}}
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "acme"},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A1",
        "trigger_id": f"t.{next(_ids)}",
        "view": {**view, "id": "V1", "team_id": TEAM, "state": state},
    }
    body = urlencode({"payload": json.dumps(payload)})
    response = await s.client.post(
        "/slack/events",
        data=body.encode(),
        headers={**sign(body), "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200
    text = await response.text()
    return json.loads(text) if text else {}
