"""`wowbot serve` as a real process against a fake Slack, and a TCP proxy that can cut or
stall its database link: for tests of faults that only real processes show."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from tests.slack_fake import SECRET, TEAM, TOKEN, FakeSlack, sign


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, db_url: str, fake: FakeSlack, cwd: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "WOWBOT_DATABASE_URL": db_url,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            **env,
        }
        self.cwd = cwd
        self.log: list[str] = []
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._logged = asyncio.Condition()

    async def start(self) -> None:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "serve",
            "--port",
            str(self.port),
            env=self.env,
            cwd=self.cwd,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.get_running_loop().create_task(self._read())
        await self.logged("Running on", timeout=60)

    async def _read(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        async for line in self._process.stderr:
            async with self._logged:
                self.log.append(line.decode(errors="replace"))
                self._logged.notify_all()

    async def logged(self, text: str, timeout: float = 30) -> None:
        """Wait until the process has logged a line containing `text`."""

        async def until() -> None:
            async with self._logged:
                await self._logged.wait_for(lambda: any(text in line for line in self.log))

        await asyncio.wait_for(until(), timeout)

    async def post(self, http: aiohttp.ClientSession, body: str) -> tuple[int, str]:
        async with http.post(
            f"{self.url}/slack/events",
            data=body.encode(),
            headers={**sign(body), "Content-Type": "application/x-www-form-urlencoded"},
        ) as response:
            return response.status, await response.text()

    async def kill(self) -> None:
        await self._end(signal.SIGKILL)

    async def stop(self) -> int:
        return await self._end(signal.SIGTERM)

    async def _end(self, how: signal.Signals) -> int:
        assert self._process is not None
        if self._process.returncode is None:
            self._process.send_signal(how)
        code = await asyncio.wait_for(self._process.wait(), 60)
        if self._reader is not None:
            await self._reader
        return code


def command_body(fake: FakeSlack, user: str, text: str, name: str) -> str:
    """A `/wow` slash command as Slack posts it; its answer comes to response_url `name`."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "channel_id": "CGEN",
            "user_id": user,
            "command": "/wow",
            "text": text,
            "response_url": fake.response_url(name),
            "trigger_id": f"trigger.{name}",
        }
    )


class Proxy:
    """A TCP proxy to a database that can drop every connection (`cut`), hold them open
    without passing a byte (`stall`), and work again (`restore`)."""

    def __init__(self, port: int) -> None:
        self.target_port = port
        self.port = free_port()
        self.mode = "open"
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._pipes: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "cut":
            writer.close()
            return
        self._writers.add(writer)
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers.add(up_writer)
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.get_running_loop().create_task(self._pipe(source, sink))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await source.read(65536):
                await self._flowing.wait()  # stalled: the link is up but silent
                if self.mode == "cut":
                    break
                sink.write(data)
                await sink.drain()
        sink.close()

    def cut(self) -> None:
        self.mode = "cut"
        self._flowing.set()
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    def stall(self) -> None:
        self.mode = "stall"
        self._flowing.clear()

    def restore(self) -> None:
        self.mode = "open"
        self._flowing.set()

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
        for task in list(self._pipes):
            task.cancel()


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """A fake Slack on loopback for a served process (alice is an admin's name, bob not)."""
    slack = FakeSlack(names={"UADMIN": "alice", "UBOB": "bob"})
    await slack.server.start_server()
    yield slack
    await slack.server.close()
