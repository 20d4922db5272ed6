"""`wowbot serve`: /healthz says whether the database answers; settings fail loudly."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import build_app
from bot.config import ConfigError, load_settings
from bot.core.errors import DeliveryError
from bot.core.messages import Destination, Message, Outgoing
from bot.handlers.dispatch import Invocation
from bot.platforms import PlatformMessenger
from bot.scheduler import create_scheduler, next_due
from bot.server import APP_KEY, create_web_app
from tests.conftest import Harness
from tests.fakes import FakeDirectory


async def client_for(url: str, migrate: bool = True) -> TestClient:
    app = await build_app(
        load_settings(wowbot_database_url=url),
        messenger=PlatformMessenger(),
        directory=FakeDirectory(),
        migrate=migrate,
    )
    client = TestClient(TestServer(create_web_app(app)))
    await client.start_server()
    return client


async def test_healthz_is_ok_when_the_database_answers(db_url: str) -> None:
    client = await client_for(db_url)
    try:
        response = await client.get("/healthz")
        assert response.status == 200
        assert (await response.json()) == {"status": "ok"}
    finally:
        await client.close()


async def test_healthz_is_503_when_the_database_does_not_answer() -> None:
    client = await client_for("postgresql://nobody@127.0.0.1:1/none", migrate=False)
    try:
        response = await client.get("/healthz")
        assert response.status == 503
        assert (await response.json()) == {"status": "database unavailable"}
    finally:
        await client.close()


async def test_metrics_count_outbox_messages_by_status(db_url: str) -> None:
    client = await client_for(db_url)
    try:
        app = client.server.app[APP_KEY]
        reply = await app.bot.command(Invocation("slack", "T1", "U1", "C1"), "/wow hero <@U2> hi")
        assert "recorded" in reply.message.text
        await app.sender.deliver_due()  # no Slack adapter in this server: a permanent failure
        text = await (await client.get("/metrics")).text()
        assert "wowbot_database_up 1" in text
        assert 'wowbot_outbox_messages{status="failed"} 2' in text
        assert 'wowbot_outbox_messages{status="pending"} 0' in text
    finally:
        await client.close()


async def test_the_scheduler_jobs_run_due_work_and_deliver(harness: Harness) -> None:
    scheduler = create_scheduler(harness.app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"due", "helpdesks", "outbox", "inbox", "inbox-prune"}
    await harness.cmd("bob", "/wow followup Acme in 1 hour")
    harness.clock.advance(hours=1, seconds=30)
    await jobs["due"].func()  # queues the reminder and takes it up
    await harness.app.sender.idle()
    assert [s.message.title for s in harness.messenger.to("dm", "bob")] == [
        "Time to follow up with Acme"
    ]
    await jobs["outbox"].func()  # a net for rows others left: nothing twice
    await harness.app.sender.idle()
    assert len(harness.messenger.to("dm", "bob")) == 1


async def test_the_due_job_runs_when_the_next_thing_falls_due_not_at_the_next_tick(
    harness: Harness,
) -> None:
    scheduler = create_scheduler(harness.app)
    scheduler.start(paused=True)  # the test runs the jobs itself
    try:
        due = scheduler.get_job("due")
        start = harness.clock.now()
        await harness.cmd("bob", "/wow followup Acme in 1 hour")
        await wait_until(lambda: due.next_run_time == start + dt.timedelta(hours=1))
        # A nearer one, scheduled later, moves the run earlier.
        await harness.cmd("bob", "/wow followup Beta in 10 minutes")
        await wait_until(lambda: due.next_run_time == start + dt.timedelta(minutes=10))
        # After a run, the next is planned for the next moment: Acme's reminder, or the
        # nudge for Beta's (NUDGE after its reminder), whichever comes first.
        harness.clock.advance(minutes=10)
        await due.func()
        await harness.app.sender.idle()
        assert [s.message.title for s in harness.messenger.to("dm", "bob")] == [
            "Time to follow up with Beta"
        ]
        nudge = harness.clock.now() + harness.app.jobs.settings.nudge_after
        assert await next_due(harness.app, harness.clock.now()) == min(
            start + dt.timedelta(hours=1), nudge
        )
    finally:
        scheduler.shutdown(wait=False)


async def test_a_message_put_off_by_the_platform_is_taken_up_when_its_pause_ends(
    harness: Harness,
) -> None:
    scheduler = create_scheduler(harness.app)
    scheduler.start(paused=True)
    try:
        due = scheduler.get_job("due")
        harness.messenger.failures.append(
            DeliveryError("ratelimited", permanent=False, retry_after=40, throttled=True)
        )
        async with harness.app.uow() as uow:
            ws = await uow.workspaces.get_or_create("console", "T1", "UTC")
            wall = Outgoing(Message("a hero moment"), Destination.to_channel("wall"))
            await uow.outbox.add(ws.id, wall, harness.clock.now())
            await uow.commit()
        assert await harness.app.sender.deliver_due() == 0  # the platform said: in 40 s
        pause_ends = harness.clock.now() + dt.timedelta(seconds=40)
        await wait_until(lambda: due.next_run_time == pause_ends)
        harness.clock.advance(seconds=40)
        await due.func()
        await harness.app.sender.idle()
        assert [s.message.text for s in harness.messenger.to("channel", "wall")] == [
            "a hero moment"
        ]
    finally:
        scheduler.shutdown(wait=False)


async def wait_until(predicate: Callable[[], bool]) -> None:
    """Until a planning task (started by a command, on this loop) has done its part."""
    async with asyncio.timeout(5):
        while not predicate():
            await asyncio.sleep(0)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("wowbot_default_timezone", "Mars/Base", "WOWBOT_DEFAULT_TIMEZONE: Value error, unknown"),
        ("wowbot_database_url", "mysql://x", "WOWBOT_DATABASE_URL: Value error, use a sqlite"),
        ("wowbot_max_gift_cost", "-4", "WOWBOT_MAX_GIFT_COST"),
    ],
)
def test_a_malformed_setting_stops_start_up_naming_it(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(**{name: value})


def test_the_cli_reports_a_bad_setting_and_exits(tmp_path) -> None:
    env = {**os.environ, "WOWBOT_DEFAULT_TIMEZONE": "Nowhere/Land"}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "WOWBOT_DEFAULT_TIMEZONE" in result.stderr and "Traceback" not in result.stderr


def test_db_upgrade_creates_the_database(tmp_path) -> None:
    env = {**os.environ, "WOWBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Database is up to date." in result.stdout
    assert (tmp_path / "fresh.db").stat().st_size > 0


@pytest.mark.parametrize("access_log", [False, True])
def test_serve_logs_each_request_only_when_asked(tmp_path, access_log: bool) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "WOWBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command + (["--access-log"] if access_log else []),
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        for line in server.stderr:  # the log says when it listens
            if "Running on" in line:
                break
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        _, rest = server.communicate(timeout=30)
    assert server.returncode == 0, rest
    assert ("GET /healthz" in rest) is access_log
