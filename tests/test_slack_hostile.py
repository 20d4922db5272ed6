"""Hostile input through Slack's own protocol (issue #10): really signed requests against the
bot's aiohttp app, a fake Web API behind SLACK_API_URL."""

from __future__ import annotations

import asyncio
import json
import time

from tests.slack_fake import sign
from tests.slack_world import SlackWorld, submit_view

SLACK_ACK_DEADLINE = 3.0  # seconds: Slack shows the user an error when the ack is later


async def test_long_commands_do_not_hold_up_another_members_ack(slack: SlackWorld) -> None:
    """A follow-up whose customer name is thousands of words (read as a due time once per
    word before) and a 10,000-character command, then another member's /wow help: its ack
    arrives within Slack's deadline, and the long ones are answered too."""
    s = slack
    long_ones = [
        "followup " + "Acme " * 950 + "tomorrow",  # under the command limit: really parsed
        "followup " + "Acme Dental " * 833,  # 10,000 characters: refused before parsing
    ]
    answered = len(s.fake.of("response_url"))
    sent = [asyncio.create_task(s.post(s.command_body("UBOB", text))) for text in long_ones]
    await asyncio.sleep(0)  # the long ones are on their way first
    started = time.monotonic()
    status = await s.post(s.command_body("UCARL", "help"))
    waited = time.monotonic() - started
    assert status == 200 and await asyncio.gather(*sent) == [200, 200]
    assert waited < SLACK_ACK_DEADLINE, f"/wow help was acknowledged after {waited:.1f} s"
    await s.fake.wait_for(lambda: len(s.fake.of("response_url")) >= answered + 3)
    texts = [a["text"] for a in s.fake.of("response_url")[answered:]]
    assert any("The customer is 4,749 characters" in t for t in texts), texts
    refused = f"That command is {len(long_ones[1].strip()):,} characters"
    assert any(refused in t for t in texts), texts
    assert any("WOW Bot commands" in t for t in texts), texts


async def test_form_input_cannot_forge_a_channel_link_or_a_mention(slack: SlackWorld) -> None:
    """The core marks real mentions and channels with private-use characters; typed into a
    modal, they must stay text, never become `<#C…>` or `<@U…>` in what the bot posts."""
    s = slack
    await s.command("UADMIN", "admin channel wall <#CWALL|wow-wall>")
    forged = "\ue002CSECRET\ue003 and \ue000UADMIN\ue001 \x00"
    hero_view = await s.open_form("UBOB", "hero")
    answer = await submit_view(
        s,
        "UBOB",
        hero_view,
        {
            "nominees": {"type": "multi_users_select", "selected_users": ["UCARL"]},
            "story": {"type": "plain_text_input", "value": "saved the day " + forged},
            "customer": {"type": "plain_text_input", "value": "Acme " + forged},
        },
    )
    assert answer == {}
    gift_view = await s.open_form("UBOB", "gift")
    answer = await submit_view(
        s,
        "UBOB",
        gift_view,
        {
            "customer": {"type": "plain_text_input", "value": "Acme " + forged},
            "gift": {"type": "plain_text_input", "value": "a mug " + forged},
            "cost": {"type": "plain_text_input", "value": "$10"},
        },
    )
    assert answer == {}
    await s.fake.wait_for(lambda: len(s.posted("CWALL")) == 1 and len(s.posted("CGEN")) >= 1)
    posted = json.dumps([c.args for c in s.fake.calls if c.method.startswith("chat.")])
    assert "CSECRET" in posted  # the text is there, as text
    assert "<#CSECRET" not in posted and "<@UADMIN" not in posted
    assert "\\ue00" not in posted and "\\u0000" not in posted


async def test_bad_signature_headers_never_reach_the_core(slack: SlackWorld) -> None:
    body = slack.command_body("UBOB", "hero <@UCARL|carl> " + "x" * 5000)
    headers = sign(body)
    for broken in (
        {**headers, "X-Slack-Request-Timestamp": "not-a-number"},
        {"X-Slack-Signature": headers["X-Slack-Signature"]},
        {},
    ):
        assert await slack.post(body, headers=broken) in (401, 403)
