"""`POST /api/feedback` (SPEC §9): a helpdesk pushes ratings with an API key; a repeat of
the same source and ticket replaces the rating; bad bodies and wrong keys are refused with
the reason; agents are matched by email, by `admin agent`, or kept unmatched for admins."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.server import create_web_app
from tests.conftest import Harness

Api = tuple[Harness, TestClient, dict[str, str]]


@pytest.fixture
async def api(harness: Harness) -> AsyncIterator[Api]:
    created = await harness.cmd("alice", "/wow admin apikey create helpdesk")
    api_key = re.search(r"wow_[\w-]+", created).group(0)
    await harness.cmd("alice", "/wow admin channel wall <#CWALL|wall>")
    await harness.cmd("alice", "/wow admin channel recovery <#CREC|recovery>")
    harness.messenger.sent.clear()
    client = TestClient(TestServer(create_web_app(harness.app)))
    await client.start_server()
    yield harness, client, {"Authorization": f"Bearer {api_key}"}
    await client.close()


async def push(client: TestClient, auth: dict[str, str], **body: Any) -> tuple[int, Any]:
    response = await client.post("/api/feedback", json=body, headers=auth)
    return response.status, await response.json()


async def test_pushed_praise_finds_its_agent_by_email_and_a_repeat_replaces_it(api: Api) -> None:
    h, client, auth = api
    await h.cmd("bob", "/wow me")  # Bob met: his profile's email is bob@example.com
    rating = {
        "customer": "Acme Dental",
        "score": 5,
        "scale": "csat5",
        "comment": "Bob fixed our call flow",
        "agent": "Bob@Example.com",
        "ticket": "ZD-1042",
        "url": "https://acme.zendesk.com/agent/tickets/1042",
        "given_at": "2026-11-23T06:30:00Z",
    }
    status, answer = await push(client, auth, **rating)
    assert status == 201
    assert answer == {
        "id": 1,
        "source": "push",
        "ticket": "ZD-1042",
        "replaced": False,
        "verdict": "praise",
        "agent": "Bob",
        "agent_matched": True,
        "case": None,
        "praise_posted": True,
    }
    await h.app.sender.deliver_due()
    wall = h.messenger.to("channel", "CWALL")
    assert [m.message.title for m in wall] == ["Acme Dental said about Bob:"]
    assert [m.message.text for m in h.messenger.to("dm", "bob")] == ["Bob fixed our call flow"]

    # The helpdesk sends the same rating again: nothing new, nothing posted twice.
    status, again = await push(client, auth, **rating)
    assert (status, again["id"], again["replaced"], again["praise_posted"]) == (200, 1, True, False)
    # The customer lowers it: the same row, now a recovery case.
    status, lowered = await push(client, auth, **{**rating, "score": 2, "comment": "it broke"})
    assert (status, lowered["id"], lowered["verdict"], lowered["case"]) == (200, 1, "recovery", 1)
    await h.app.sender.deliver_due()
    assert len(h.messenger.to("channel", "CWALL")) == 1
    async with h.app.uow() as uow:
        stored = await uow.feedback.recent(1, "recent", 10)
    assert [(f.id, f.score, f.comment) for f in stored] == [(1, 2.0, "it broke")]
    root = h.messenger.to("channel", "CREC")[0]
    assert root.message.title == "Service recovery #1: Acme Dental rated 2/5"
    ticket = {f.label: f.value for f in root.message.fields}["Ticket"]
    assert ticket == "ZD-1042 https://acme.zendesk.com/agent/tickets/1042"


async def test_an_unknown_agent_is_kept_listed_for_admins_and_matched_later(api: Api) -> None:
    h, client, auth = api
    status, answer = await push(
        client,
        auth,
        customer="Beta",
        score=9,
        scale="nps",
        agent="zd-agent-77",
        ticket="9",
        comment="Great help",
    )
    assert status == 201 and answer["agent"] is None and answer["agent_matched"] is False
    assert answer["praise_posted"] is False  # praise for nobody known goes nowhere yet
    listed = await h.read("alice", "/wow feedback unmatched")
    assert listed.splitlines()[:2] == [
        "Feedback not matched to a colleague",
        '#1 23 Nov Beta 9/10: agent "zd-agent-77"',
    ]
    assert "Only admins" in await h.cmd("bob", "/wow feedback unmatched")
    assert await h.cmd("alice", "/wow admin agent <@carl> ZD-Agent-77") == (
        '"ZD-Agent-77" now means Carl. 1 earlier rating now counts for Carl.'
    )
    assert "none" in (await h.read("alice", "/wow feedback unmatched")).lower()
    status, answer = await push(
        client,
        auth,
        customer="Gamma",
        score="good",
        scale="thumbs",
        agent="zd-agent-77",
        ticket="10",
        comment="Carl was kind",
    )
    assert (answer["agent"], answer["praise_posted"]) == ("Carl", True)
    assert (
        await h.cmd("alice", "/wow admin agent <@carl>") == "Carl is zd-agent-77 in the helpdesk."
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not json", "The body is not a JSON object."),
        ({"score": 2, "scale": "csat5", "ticket": "1"}, '"customer" is missing.'),
        ({"customer": "A", "score": 2, "ticket": "1"}, '"scale" is missing.'),
        ({"customer": "A", "score": 6, "scale": "csat5", "ticket": "1"}, "from 1 to 5"),
        ({"customer": "A", "score": 4.5, "scale": "csat5", "ticket": "1"}, "whole number"),
        ({"customer": "A", "score": True, "scale": "nps", "ticket": "1"}, "from 0 to 10"),
        ({"customer": "A", "score": "meh", "scale": "thumbs", "ticket": "1"}, '"good" or "bad"'),
        ({"customer": "A", "score": 2, "scale": "stars", "ticket": "1"}, "csat5, nps or thumbs"),
        ({"customer": "A", "score": 2, "scale": "csat5"}, '"ticket" is missing.'),
        ({"customer": "A\nB", "score": 2, "scale": "csat5", "ticket": "1"}, "one line"),
        ({"customer": "A" * 201, "score": 2, "scale": "csat5", "ticket": "1"}, "longer than 200"),
        (
            {"customer": "A", "score": 2, "scale": "csat5", "ticket": "1", "comment": "x" * 2001},
            '"comment" is longer than 2,000',
        ),
        ({"customer": "A", "score": 2, "scale": "csat5", "ticket": "1", "url": "ftp://x"}, "http"),
        (
            {"customer": "A", "score": 2, "scale": "csat5", "ticket": "1", "given_at": "Monday"},
            "ISO 8601",
        ),
        (
            {
                "customer": "A",
                "score": 2,
                "scale": "csat5",
                "ticket": "1",
                "given_at": "2027-01-01T00:00:00Z",
            },
            "in the future",
        ),
        (
            {"customer": "A", "score": 2, "scale": "csat5", "ticket": "1", "vip": 1},
            "Unknown field(s) vip",
        ),
    ],
)
async def test_bad_bodies_are_refused_with_the_reason_and_save_nothing(
    api: Api, body: Any, reason: str
) -> None:
    h, client, auth = api
    if isinstance(body, str):
        response = await client.post("/api/feedback", data=body, headers=auth)
    else:
        response = await client.post("/api/feedback", json=body, headers=auth)
    assert response.status == 422
    error = (await response.json())["error"]
    assert reason in error and '"customer": "Acme Dental"' in error  # and how to write it
    async with h.app.uow() as uow:
        assert await uow.feedback.recent(1, "recent", 10) == []


async def test_wrong_keys_and_unknown_endpoints_are_refused_with_the_reason(api: Api) -> None:
    h, client, auth = api
    body = {"customer": "A", "score": 2, "scale": "csat5", "ticket": "1"}
    for headers in ({}, {"Authorization": "Bearer wow_nope"}, {"X-API-Key": "x"}):
        response = await client.post("/api/feedback", json=body, headers=headers)
        assert response.status == 401
        assert "API key" in (await response.json())["error"]
    response = await client.post("/api/feedbacks", json=body, headers=auth)
    assert response.status == 404
    assert (
        "The API has: POST /api/kpis/<key>, POST /api/feedback" in (await response.json())["error"]
    )
    response = await client.get("/api/feedback", headers=auth)
    assert response.status == 404
    await h.cmd("alice", "/wow admin apikey revoke helpdesk")
    response = await client.post("/api/feedback", json=body, headers=auth)
    assert response.status == 401
