"""Ratings polled from a helpdesk (SPEC §9): the Zendesk preset against a local server that
answers as Zendesk's satisfaction ratings API documents (good/bad, comment, assignee,
ticket; from a start time, oldest first, paged by next_page), and a generic JSON source
mapped by pointers. Only ratings given since the source was added count, and a repeat poll
adds nothing twice."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.core.model import Feedback
from bot.httpfetch import HttpJsonFetcher
from bot.scheduler import create_scheduler
from tests.conftest import START, Harness, make_harness

AUTH = "Basic " + base64.b64encode(b"admin@acme.example/token:s3cret").decode()


def zulu(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Zendesk:
    """A local helpdesk answering as Zendesk documents `GET /api/v2/satisfaction_ratings`
    (`score=received` leaves out offered surveys; `start_time` in Unix seconds, inclusive;
    oldest first; offset paging with `next_page`) and `GET /api/v2/users/show_many`."""

    PAGE = 2

    def __init__(self) -> None:
        self.ratings: list[dict[str, Any]] = []
        self.users = {
            135: {"id": 135, "name": "Bob Builder", "email": "bob@example.com"},
            777: {"id": 777, "name": "Carl", "email": "carl@helpdesk.example"},
            999: {"id": 999, "name": "Zoe", "email": "zoe@elsewhere.example"},
            7881: {"id": 7881, "name": "Acme Dental", "email": "desk@acme.example"},
            7882: {"id": 7882, "name": "Beta Corp", "email": "it@beta.example"},
            7883: {"id": 7883, "name": "Gamma", "email": "g@gamma.example"},
        }
        self.asked: list[dict[str, str]] = []
        app = web.Application()
        app.router.add_get("/api/v2/satisfaction_ratings.json", self.list_ratings)
        app.router.add_get("/api/v2/users/show_many.json", self.show_users)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def rate(
        self,
        ticket: int,
        score: str,
        at: dt.datetime,
        *,
        requester: int,
        assignee: int,
        comment: str | None = None,
    ) -> None:
        rating_id = 35000 + len(self.ratings)
        self.ratings.append(
            {
                "id": rating_id,
                "url": f"{self.base}/api/v2/satisfaction_ratings/{rating_id}.json",
                "assignee_id": assignee,
                "group_id": 44,
                "requester_id": requester,
                "ticket_id": ticket,
                "score": score,
                "comment": comment,
                "created_at": zulu(at),
                "updated_at": zulu(at),
            }
        )

    async def list_ratings(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != AUTH:
            return web.json_response({"error": "Couldn't authenticate you"}, status=401)
        query = dict(request.query)
        self.asked.append(query)
        start = int(query.get("start_time", "0"))
        page = int(query.get("page", "1"))
        wanted = ("good", "bad") if query.get("score") == "received" else None
        rows = sorted(
            (
                r
                for r in self.ratings
                if dt.datetime.fromisoformat(r["created_at"]).timestamp() >= start
                and (wanted is None or r["score"] in wanted)
            ),
            key=lambda r: r["created_at"],
        )
        shown = rows[(page - 1) * self.PAGE : page * self.PAGE]
        more = len(rows) > page * self.PAGE
        next_page = f"{self.base}{request.path}?{urlencode({**query, 'page': page + 1})}"
        return web.json_response(
            {
                "satisfaction_ratings": shown,
                "next_page": next_page if more else None,
                "previous_page": None,
                "count": len(rows),
            }
        )

    async def show_users(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != AUTH:
            return web.json_response({"error": "Couldn't authenticate you"}, status=401)
        ids = [int(i) for i in request.query["ids"].split(",")]
        return web.json_response({"users": [self.users[i] for i in ids if i in self.users]})


@pytest.fixture
async def zendesk(db_url: str) -> AsyncIterator[tuple[Harness, Zendesk]]:
    desk = Zendesk()
    await desk.server.start_server()
    fetcher = HttpJsonFetcher(timeout=2, attempts=2, backoff=0, sleep=lambda _: asyncio.sleep(0))
    h = await make_harness(db_url, fetcher=fetcher)
    await h.cmd("alice", "/wow admin channel wall <#CWALL|wall>")
    await h.cmd("alice", "/wow admin channel recovery <#CREC|recovery>")
    await h.cmd("alice", "/wow admin managers add <@dana>")
    yield h, desk
    await h.app.close()
    await desk.server.close()


async def stored(h: Harness) -> list[Feedback]:
    async with h.app.uow() as uow:
        return sorted(await uow.feedback.recent(1, "recent", 100), key=lambda f: f.id)


async def status(h: Harness) -> dict[str, tuple[str, ...]]:
    reply = await h.app.bot.command(h.who("alice"), "/wow admin feedback sources")
    assert reply.message is not None
    return {s.title: s.lines for s in reply.message.sections}


async def test_the_zendesk_preset_reads_new_ratings_page_by_page_and_a_repeat_poll_adds_nothing(
    zendesk: tuple[Harness, Zendesk],
) -> None:
    h, desk = zendesk
    minute = dt.timedelta(minutes=1)
    desk.rate(40, "bad", START - 60 * minute, requester=7881, assignee=135, comment="Old news")
    desk.rate(41, "good", START + minute, requester=7881, assignee=135, comment="Bob fixed it")
    desk.rate(42, "bad", START + 2 * minute, requester=7882, assignee=777, comment="No answer")
    desk.rate(43, "offered", START + 3 * minute, requester=7883, assignee=135)
    long = "Zoe went far beyond. " * 150  # 3,150 characters: kept, cut to the limit
    desk.rate(44, "good", START + 4 * minute, requester=7883, assignee=999, comment=long)
    await h.cmd("alice", "/wow admin agent <@carl> 777")  # Carl's Zendesk id

    # A wrong key first: the poll fails, says why, and saves nothing.
    answer = await h.cmd(
        "alice", f'/wow admin feedback source zendesk zendesk {desk.base} auth="Basic bad"'
    )
    assert answer.startswith("Feedback source zendesk saved: Zendesk's satisfaction ratings")
    h.clock.advance(minutes=5)
    await h.tick()
    assert await stored(h) == []
    lines = (await status(h))[f"zendesk: zendesk {desk.base}, every 15 min"]
    assert "  last problem: HTTP 401" in lines
    assert "Basic" not in str(lines)

    # The right key: the ratings since the source was added, two pages, offered ones left out.
    await h.cmd("alice", f'/wow admin feedback source zendesk zendesk {desk.base} auth="{AUTH}"')
    h.messenger.sent.clear()
    await h.tick()
    first = [q for q in desk.asked]
    assert [(q["score"], q["start_time"], q.get("page")) for q in first] == [
        ("received", str(int(START.timestamp())), None),
        ("received", str(int(START.timestamp())), "2"),
    ]
    ratings = await stored(h)
    assert [(f.source, f.ticket, f.customer, f.scale, f.score) for f in ratings] == [
        ("zendesk", "41", "Acme Dental", "thumbs", 1.0),
        ("zendesk", "42", "Beta Corp", "thumbs", 0.0),
        ("zendesk", "44", "Gamma", "thumbs", 1.0),
    ]
    assert ratings[0].url == f"{desk.base}/agent/tickets/41"
    assert ratings[0].given_at == START + minute
    names = {f.ticket: (f.agent_id, f.agent_ref) for f in ratings}
    async with h.app.uow() as uow:
        bob = await uow.members.by_user(1, "bob")
        carl = await uow.members.by_user(1, "carl")
    assert names["41"] == (bob.id, None)  # the assignee's email is Bob's
    assert names["42"] == (carl.id, None)  # Carl's Zendesk id, named with admin agent
    assert names["44"] == (None, "zoe@elsewhere.example")  # kept, listed for admins
    assert ratings[2].comment == long[:1999] + "…"
    wall = h.messenger.to("channel", "CWALL")
    assert [(m.message.title, m.message.text) for m in wall] == [
        ("Acme Dental said about Bob:", "Bob fixed it")
    ]
    case = h.messenger.to("channel", "CREC")
    assert [m.message.title for m in case] == ["Service recovery #1: Beta Corp rated bad"]
    assert (await status(h))[f"zendesk: zendesk {desk.base}, every 15 min"][0].endswith(
        ": 3 new ratings"
    )

    # The next poll starts at the newest rating read: nothing is added or posted twice.
    h.messenger.sent.clear()
    asked = len(desk.asked)
    h.clock.advance(minutes=15)
    await h.tick()
    newest = str(int((START + 4 * minute).timestamp()))
    assert [q["start_time"] for q in desk.asked[asked:]] == [newest]
    assert len(await stored(h)) == 3
    assert h.messenger.sent == []
    assert (await status(h))[f"zendesk: zendesk {desk.base}, every 15 min"][0].endswith(
        ": 0 new ratings"
    )

    # Beta Corp rates again, happy now: one new rating, linked to its case.
    desk.rate(45, "good", h.clock.now() - minute, requester=7882, assignee=777, comment="Sorted!")
    h.clock.advance(minutes=15)
    await h.tick()
    ratings = await stored(h)
    assert [(f.ticket, f.case_id) for f in ratings[3:]] == [("45", 1)]
    thread = [s.message.text for s in h.messenger.sent if s.kind == "thread"]
    assert any("The recovery worked." in t for t in thread), thread


class Surveys:
    """Any JSON service: ratings under /data, the next page's address under /links/next."""

    def __init__(self) -> None:
        self.pages = {
            "1": {
                "data": [
                    {
                        "id": 501,
                        "customer": {"name": "Delta"},
                        "rating": "10",
                        "agent_email": "dana@example.com",
                        "submitted": 0,
                        "text": "Dana sorted our billing",
                    },
                    {"id": 502, "rating": 2, "submitted": 0},
                ],
                "links": {"next": "/surveys?page=2"},
            },
            "2": {
                "data": [
                    {
                        "id": 503,
                        "customer": {"name": "Epsilon"},
                        "rating": 9,
                        "submitted": 0,
                    },
                ],
                "links": {"next": None},
            },
        }
        self.hits = 0
        app = web.Application()
        app.router.add_get("/surveys", self.handle)
        self.server = TestServer(app, host="127.0.0.1")

    async def handle(self, request: web.Request) -> web.Response:
        self.hits += 1
        return web.json_response(self.pages[request.query.get("page", "1")])


async def test_a_generic_json_source_maps_fields_by_pointer_and_says_what_it_skipped(
    db_url: str,
) -> None:
    surveys = Surveys()
    await surveys.server.start_server()
    h = await make_harness(db_url, fetcher=HttpJsonFetcher(attempts=1))
    try:
        await h.cmd("alice", "/wow admin channel wall <#CWALL|wall>")
        url = f"http://127.0.0.1:{surveys.server.port}/surveys"
        given = int((START + dt.timedelta(minutes=2)).timestamp())
        for page in surveys.pages.values():
            for item in page["data"]:
                item["submitted"] = given
        surveys.pages["2"]["data"].append(
            {"id": 504, "customer": {"name": "Old"}, "rating": 9, "submitted": given - 86400}
        )
        answer = await h.cmd(
            "alice",
            f"/wow admin feedback source surveys json {url} items=/data customer=/customer/name "
            "score=/rating ticket=/id given_at=/submitted comment=/text agent=/agent_email "
            "next=/links/next scale=nps every=30m",
        )
        assert answer.startswith("Feedback source surveys saved: JSON ratings, read every 30 min")
        h.clock.advance(minutes=5)
        await h.tick()
        assert surveys.hits == 2
        ratings = await stored(h)
        assert [(f.source, f.ticket, f.customer, f.scale, f.score) for f in ratings] == [
            ("surveys", "501", "Delta", "nps", 10.0),
            ("surveys", "503", "Epsilon", "nps", 9.0),
        ]
        assert ratings[1].given_at == START + dt.timedelta(minutes=2)
        lines = (await status(h))[f"surveys: json {url}, every 30 min"]
        assert lines[0].endswith(": 2 new ratings")
        assert "  last problem: 1 of 4 ratings skipped (item 2: nothing at /customer/name)" in lines

        h.clock.advance(minutes=30)
        await h.tick()
        assert surveys.hits == 4
        assert len(await stored(h)) == 2  # read again, added nothing
        assert (await status(h))[f"surveys: json {url}, every 30 min"][0].endswith(
            ": 0 new ratings"
        )
        assert await h.cmd("alice", "/wow admin feedback source surveys remove") == (
            "Feedback source surveys removed. The ratings it brought are kept."
        )
        h.clock.advance(minutes=30)
        await h.tick()
        assert surveys.hits == 4
    finally:
        await h.app.close()
        await surveys.server.close()


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("/wow admin feedback", "Say feedback source <name> zendesk"),
        ("/wow admin feedback source push zendesk https://a.example", "not push or typed"),
        ("/wow admin feedback source zd zendesk acme.zendesk.com", "starting with http"),
        ("/wow admin feedback source zd freshdesk https://a.example", "Say feedback source"),
        ("/wow admin feedback source zd zendesk https://a.example every=2d", "every= takes"),
        (
            "/wow admin feedback source zd zendesk https://a.example items=/x",
            "not one of every=, auth=",
        ),
        (
            "/wow admin feedback source s json https://a.example items=/data customer=/c",
            "add score=/…, ticket=/…, given_at=/…",
        ),
        (
            "/wow admin feedback source s json https://a.example items=/d customer=c score=/s "
            "ticket=/t given_at=/g",
            "Each field is a JSON pointer",
        ),
        (
            "/wow admin feedback source s json https://a.example items=/d customer=/c score=/s "
            "ticket=/t given_at=/g scale=stars",
            "scale= is csat5",
        ),
        ("/wow admin feedback source nope remove", 'There is no feedback source "nope"'),
    ],
)
async def test_feedback_sources_written_wrong_say_how_and_change_nothing(
    harness: Harness, command: str, says: str
) -> None:
    answer = await harness.cmd("alice", command)
    assert says in answer, answer
    assert (await harness.cmd("alice", "/wow admin feedback sources")).startswith(
        "No feedback sources yet"
    )


async def test_only_admins_manage_feedback_sources(harness: Harness) -> None:
    answer = await harness.cmd("bob", "/wow admin feedback source zd zendesk https://a.example")
    assert answer.startswith("Only admins")
    assert (await harness.cmd("alice", "/wow admin feedback sources")).startswith(
        "No feedback sources yet"
    )


async def test_a_stalled_helpdesk_holds_up_no_reminder(db_url: str) -> None:
    """The server polls helpdesks in a job of its own: while one does not answer, the due
    job still sends what falls due."""
    answer, asked = asyncio.Event(), asyncio.Event()

    async def stalled(request: web.Request) -> web.Response:
        asked.set()
        await answer.wait()
        return web.json_response({"satisfaction_ratings": [], "next_page": None})

    app = web.Application()
    app.router.add_get("/api/v2/satisfaction_ratings.json", stalled)
    desk = TestServer(app, host="127.0.0.1")
    await desk.start_server()
    h = await make_harness(db_url, fetcher=HttpJsonFetcher(timeout=60, attempts=1))
    try:
        base = f"http://127.0.0.1:{desk.port}"
        await h.cmd("alice", f"/wow admin feedback source zendesk zendesk {base}")
        await h.cmd("bob", "/wow followup Acme in 1 minute")
        h.clock.advance(minutes=1)
        jobs = {job.id: job for job in create_scheduler(h.app).get_jobs()}
        await asyncio.wait_for(jobs["due"].func(), 20)
        await h.app.sender.idle()
        assert [s.message.title for s in h.messenger.to("dm", "bob")] == [
            "Time to follow up with Acme"
        ]
        assert not asked.is_set()
        polling = asyncio.create_task(jobs["helpdesks"].func())
        await asyncio.wait_for(asked.wait(), 20)
        answer.set()
        await asyncio.wait_for(polling, 20)
        lines = (await status(h))[f"zendesk: zendesk {base}, every 15 min"]
        assert lines[0].endswith(": 0 new ratings")
    finally:
        answer.set()
        await h.app.close()
        await desk.close()


async def test_quotes_typed_curly_as_chat_apps_do_still_quote(harness: Harness) -> None:
    answer = await harness.cmd(
        "alice", "/wow admin feedback source zd zendesk https://a.example auth=“Basic abc def”"
    )
    assert answer.startswith("Feedback source zd saved"), answer
    async with harness.app.uow() as uow:
        source = await uow.feedback_sources.get(1, "zd")
    assert source is not None and source.auth_header == "Basic abc def"
