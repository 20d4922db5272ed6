"""KPI values from where they live: pushed over HTTP with an API key, or polled from an
HTTP JSON source; and the digest's KPI section built from 30 days of values."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.httpfetch import HttpJsonFetcher
from bot.server import create_web_app
from tests.conftest import START, Harness, make_harness


@pytest.fixture
async def api(harness: Harness) -> AsyncIterator[tuple[Harness, TestClient, str]]:
    created = await harness.cmd("alice", "/wow admin apikey create ops")
    api_key = re.search(r"wow_[\w-]+", created).group(0)
    await harness.cmd("alice", "/wow admin kpi enable answer_time")
    client = TestClient(TestServer(create_web_app(harness.app)))
    await client.start_server()
    yield harness, client, api_key
    await client.close()


async def values(h: Harness, key: str) -> dict[dt.date, float]:
    async with h.app.uow() as uow:
        return await uow.kpis.series(1, key, dt.date(2025, 1, 1), dt.date(2027, 1, 1))


async def test_a_pushed_value_is_stored_and_a_repeat_on_the_same_day_replaces_it(api) -> None:
    h, client, api_key = api
    auth = {"Authorization": f"Bearer {api_key}"}
    first = await client.post("/api/kpis/answer_time", json={"value": 3.8}, headers=auth)
    assert first.status == 200
    assert await first.json() == {
        "key": "answer_time",
        "date": "2026-11-23",
        "value": 3.8,
        "replaced": False,
    }
    again = await client.post(
        "/api/kpis/answer_time",
        json={"value": 3.6, "date": "2026-11-23"},
        headers={"X-API-Key": api_key},
    )
    assert (await again.json())["replaced"] is True
    older = await client.post(
        "/api/kpis/answer_time", json={"value": 4.4, "date": "2026-11-21"}, headers=auth
    )
    assert older.status == 200
    assert await values(h, "answer_time") == {
        dt.date(2026, 11, 21): 4.4,
        dt.date(2026, 11, 23): 3.6,
    }
    assert "Average time to answer: 3.6 s (target 4 s, on target)" in await h.cmd("bob", "/wow kpi")


@pytest.mark.parametrize(
    ("headers", "key", "body", "status", "says"),
    [
        ({}, "answer_time", {"value": 1}, 401, "Missing or unknown API key"),
        ({"Authorization": "Bearer wow_nope"}, "answer_time", {"value": 1}, 401, "unknown API key"),
        (None, "nps", {"value": 1}, 404, 'Cannot push to KPI "nps": no such KPI is defined'),
        (None, "hero_moments", {"value": 1}, 404, "it is computed from the data"),
        (None, "answer_time", "not json", 422, "The body is not a JSON object"),
        (None, "answer_time", {}, 422, '"value" must be a number'),
        (None, "answer_time", {"value": "fast"}, 422, '"value" must be a number'),
        (None, "answer_time", {"value": 1, "date": "2026-13-01"}, 422, '"date" must be YYYY-MM-DD'),
        (None, "answer_time", {"value": 1, "date": "2026-12-24"}, 422, "is in the future"),
        (None, "answer_time", {"value": 1, "colour": "red"}, 422, "Unknown field(s) colour"),
    ],
)
async def test_each_bad_push_gets_its_status_and_reason_and_stores_nothing(
    api,
    headers,
    key,
    body,
    status,
    says,
) -> None:
    h, client, api_key = api
    headers = {"Authorization": f"Bearer {api_key}"} if headers is None else headers
    kwargs = {"data": body} if isinstance(body, str) else {"json": body}
    response = await client.post(f"/api/kpis/{key}", headers=headers, **kwargs)
    assert response.status == status
    assert says in (await response.json())["error"]
    assert await values(h, "answer_time") == {}


async def test_a_revoked_key_is_refused(api) -> None:
    h, client, api_key = api
    assert "revoked" in await h.cmd("alice", "/wow admin apikey revoke ops")
    response = await client.post(
        "/api/kpis/answer_time", json={"value": 3}, headers={"Authorization": f"Bearer {api_key}"}
    )
    assert response.status == 401
    listed = await h.cmd("alice", "/wow admin apikey list")
    assert listed.startswith("No API keys") and api_key not in listed


class Source:
    """A local JSON service on loopback, with one route per kind of answer."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.never = asyncio.Event()
        app = web.Application()
        for path in ("ok", "slow", "fail", "html", "nopointer", "text"):
            app.router.add_get(f"/{path}", self.handle)
        self.server = TestServer(app, host="127.0.0.1")

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path.strip("/")
        self.hits[path] += 1
        if path == "ok":
            if request.headers.get("Authorization") != "Bearer s3cret":
                return web.json_response({"error": "who are you"}, status=401)
            return web.json_response({"data": {"csat": 4.6}})
        if path == "slow":
            await self.never.wait()  # answers after the client's timeout, never
        if path == "fail":
            return web.json_response({"error": "boom"}, status=500)
        if path == "html":
            return web.Response(text="<html>maintenance</html>", content_type="text/html")
        if path == "text":
            return web.json_response({"data": {"csat": "about four"}})
        return web.json_response({"other": 1})

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.port}/{path}"


async def test_http_sources_store_values_or_record_why_not_and_never_stop_the_scheduler(
    db_url: str,
) -> None:
    source = Source()
    await source.server.start_server()
    fetcher = HttpJsonFetcher(timeout=0.2, attempts=3, backoff=0, sleep=lambda _: asyncio.sleep(0))
    h = await make_harness(db_url, fetcher=fetcher)
    try:
        for key in ("ok", "slow", "fail", "html", "nopointer", "text"):
            await h.cmd("alice", f'/wow admin kpi define {key} "KPI {key}" target=4.5')
        answer = await h.cmd(
            "alice",
            f"/wow admin kpi source ok http {source.url('ok')}?token=abc "
            'pointer=/data/csat every=15m auth="Bearer s3cret"',
        )
        assert "every 15 min with an auth header (kept secret)" in answer
        assert "s3cret" not in answer and "token=abc" not in answer
        for key in ("slow", "fail", "html", "nopointer", "text"):
            await h.cmd(
                "alice", f"/wow admin kpi source {key} http {source.url(key)} pointer=/data/csat"
            )
        await h.cmd("bob", "/wow followup Acme in 1 minute")
        h.clock.advance(minutes=1)
        await h.tick()

        assert await values(h, "ok") == {dt.date(2026, 11, 23): 4.6}
        for key in ("slow", "fail", "html", "nopointer", "text"):
            assert await values(h, key) == {}
        assert source.hits["fail"] == 3 and source.hits["slow"] == 3  # retried, then recorded
        assert source.hits["html"] == 1  # a wrong answer is not retried
        # The reminder due at the same moment went out: failures did not stop the scheduler.
        assert [s.message.title for s in h.messenger.to("dm", "bob")] == [
            "Time to follow up with Acme"
        ]
        status = (await h.app.bot.command(h.who("alice"), "/wow kpi status")).message
        lines = {s.title: s.lines for s in status.sections}
        assert f"polls {source.url('ok')} at /data/csat every 15 min" in lines["KPI ok (ok)"]
        assert "last poll failed: timed out after 0.2 s (3 attempts)" in lines["KPI slow (slow)"]
        assert "last poll failed: HTTP 500 (3 attempts)" in lines["KPI fail (fail)"]
        assert "last poll failed: the response is not JSON" in lines["KPI html (html)"]
        assert "last poll failed: nothing at /data/csat" in lines["KPI nopointer (nopointer)"]
        assert (
            "last poll failed: the value 'about four' is not a number" in lines["KPI text (text)"]
        )
        assert "s3cret" not in str(status) and "token=abc" not in str(status)

        h.clock.advance(minutes=14)
        await h.tick()
        assert source.hits["ok"] == 1  # not due yet
        h.clock.advance(minutes=1)
        await h.tick()
        assert source.hits["ok"] == 2  # polled every 15 minutes
    finally:
        source.never.set()
        await h.app.close()
        await source.server.close()


async def test_a_digest_built_from_30_days_of_values(harness: Harness) -> None:
    h = harness  # Mon 23 Nov 2026; the digest on Tue 24 Nov reports Mon 23 Nov
    await h.cmd("alice", "/wow admin kpi enable answer_time")
    await h.cmd("alice", "/wow admin kpi enable csat")
    async with h.app.uow() as uow:
        for i in range(30):  # answer time i seconds, i days after 25 Oct; 29 s on 23 Nov
            await uow.kpis.record(
                1, "answer_time", dt.date(2026, 10, 25) + dt.timedelta(i), float(i), "push"
            )
        await uow.kpis.record(1, "csat", dt.date(2026, 11, 19), 4.4, "manual")
        await uow.commit()
    await h.cmd("alice", "/wow digest subscribe #team at 08:30 Europe/Helsinki daily")
    h.clock.set(START + dt.timedelta(days=1))  # Tue 24 Nov, 09:00 Helsinki
    await h.tick()
    digest = h.messenger.to("channel", "team")[0].message
    kpis = next(s for s in digest.sections if s.title == "KPIs").lines
    # 29 s against 4 s (lower is better) is off; the 7 days before averaged 25 s; the trend
    # rises evenly from 23 to 29 s.
    assert "Average time to answer: 29 s (target 4 s, off) ▲4 s vs 7-day avg  ▁▂▃▅▆▇█" in kpis
    # No CSAT on Monday: the last value is shown, marked stale, with no change against it.
    assert "CSAT (1–5): 4.4 (stale: from Thu 19 Nov) (target 4.5, near)    ▁" in kpis
    history = await h.app.bot.command(h.who("alice"), "/wow kpi history answer_time 30d")
    summary = history.message.sections[0].lines[0]
    # The last 30 days on Tue 24 Nov start on 26 Oct: 1 s … 29 s, and no value yet today.
    assert summary == "29 values; low 1 s, high 29 s, average 15 s"
