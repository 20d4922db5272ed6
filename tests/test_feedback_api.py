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
        "case_posted": None,
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


async def test_a_case_with_no_channel_yet_is_told_to_the_admins_and_posted_once_one_is_set(
    harness: Harness,
) -> None:
    h = harness
    created = await h.cmd("alice", "/wow admin apikey create helpdesk")
    auth = {"X-API-Key": re.search(r"wow_[\w-]+", created).group(0)}
    await h.cmd("alice", "/wow admin managers add <@dana>")
    client = TestClient(TestServer(create_web_app(h.app)))
    await client.start_server()
    try:
        h.messenger.sent.clear()
        poor = {"scale": "csat5", "score": 1, "comment": "Nobody answered"}
        status, answer = await push(client, auth, customer="Beta", ticket="1", **poor)
        assert status == 201
        assert (answer["case"], answer["case_posted"]) == (1, False)
        status, answer = await push(client, auth, customer="Gamma", ticket="2", **poor)
        assert (answer["case"], answer["case_posted"]) == (2, False)
        await h.app.sender.deliver_due()
        # Posted nowhere, but not unseen: the admins are told once, with how to fix it.
        assert [s.kind for s in h.messenger.sent] == ["dm"]
        told = h.messenger.to("dm", "alice")[0].message.text
        assert told.startswith("Recovery case #1 opened: Beta rated 1/5. There is no channel")
        assert "/wow admin channel recovery #channel" in told
        assert "#2" in await h.read("alice", "/wow recoveries")

        # Due and not contacted: the escalation goes to the admins, since no thread exists.
        h.messenger.sent.clear()
        h.clock.advance(hours=4)
        await h.tick()
        await h.app.sender.deliver_due()
        escalated = sorted(s.message.text for s in h.messenger.sent)
        assert [s.target for s in h.messenger.sent] == ["alice", "alice"]
        assert escalated[0].startswith("Case #1 (Beta) is overdue: nobody has taken it")
        assert all("It has not been posted anywhere" in t for t in escalated)

        h.messenger.sent.clear()
        assert await h.cmd("alice", "/wow admin channel recovery <#CREC|recovery>") == (
            "Service recovery cases now go to #CREC. 2 recovery cases that came in while "
            "there was no channel are posted there now."
        )
        await h.app.sender.deliver_due()
        roots = h.messenger.to("channel", "CREC")
        assert [r.message.title for r in roots] == [
            "Service recovery #1: Beta rated 1/5",
            "Service recovery #2: Gamma rated 1/5",
        ]
        asks = [s for s in h.messenger.sent if s.kind == "thread"]
        assert sorted(a.target for a in asks) == sorted(str(r.ref["id"]) for r in roots)
        assert all(a.message.mentions == ("dana",) for a in asks)
        # The buttons work on a case posted late, and setting a channel again posts nothing.
        assert (await h.cmd("dana", "/wow recovery take 2")).startswith("Case #2 is yours")
        h.messenger.sent.clear()
        answer_text = await h.cmd("alice", "/wow admin channel gifts <#CGIFT|gifts>")
        assert answer_text == "Gift proposals now go to #CGIFT."
        await h.app.sender.deliver_due()
        assert h.messenger.to("channel", "CREC") == []
    finally:
        await client.close()


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
