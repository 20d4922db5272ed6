"""A fake Slack: the Web API behind SLACK_API_URL and the response_url endpoint, on loopback.
It records every call, answers as Slack does, and can be told to fail."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.test_utils import TestServer

SECRET = "test-signing-secret"
TOKEN = "xoxb-test"
TEAM = "T1"


def sign(body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers exactly as Slack signs a request."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Call:
    method: str
    args: dict[str, Any]


def conversation_of(channel: str) -> str:
    """Where Slack puts a message: a user's ID (U…, W…) means the app's DM with them."""
    return "D" + channel if channel[:1] in ("U", "W") else channel


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str], str | None]]] = field(
        default_factory=dict
    )
    names: dict[str, str] = field(default_factory=dict)
    zones: dict[str, str] = field(default_factory=dict)
    holds: dict[str, asyncio.Event] = field(default_factory=dict)
    connections: set[Any] = field(default_factory=set)  # the bot's sockets, by address

    def __post_init__(self) -> None:
        self._changed = asyncio.Condition()
        self._ts = 1000
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # users.info and friends use GET
        app.router.add_post("/respond/{id}", self._respond)
        app.router.add_get("/socket", self._socket)
        self.envelopes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()  # to send in Socket Mode
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"http://127.0.0.1:{self.server.port}/respond/{name}"

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str = "internal_error",
        headers: dict[str, str] | None = None,
        channel: str | None = None,
    ) -> None:
        """Fail the next call of `method` (to `channel` only, if given)."""
        self.failures.setdefault(method, []).append(
            (status, {"ok": False, "error": error}, headers or {}, channel)
        )

    def hold(self, method: str) -> asyncio.Event:
        """Answer `method` only once the returned event is set (its call is recorded as
        `method?held` when it arrives)."""
        self.holds[method] = asyncio.Event()
        return self.holds[method]

    def _connection(self, request: web.Request) -> None:
        if request.transport is not None:
            self.connections.add(request.transport.get_extra_info("peername"))

    async def _record(self, method: str, args: dict[str, Any]) -> None:
        async with self._changed:
            self.calls.append(Call(method, args))
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        """Wait until the bot has made the calls the predicate looks for (no fixed sleeps)."""

        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(until(), timeout)

    async def _args(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        return dict(parse_qsl(await request.text())) | dict(request.query)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, send queued envelopes, record the bot's acks."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}
        )

        async def send() -> None:
            while True:
                await ws.send_json(await self.envelopes.get())

        sender = asyncio.ensure_future(send())
        try:
            async for message in ws:
                if message.type == web.WSMsgType.TEXT:
                    await self._record("socket.ack", json.loads(message.data))
        finally:
            sender.cancel()
        return ws

    async def _respond(self, request: web.Request) -> web.Response:
        self._connection(request)
        args = {**await request.json(), "_to": request.match_info["id"]}
        if self.failures.get("response_url"):
            status, body, headers, _ = self.failures["response_url"].pop(0)
            await self._record("response_url!failed", args)
            return web.Response(status=status, text=body["error"], headers=headers)
        await self._record("response_url", args)
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.Response:
        method, args = request.match_info["method"], await self._args(request)
        self._connection(request)
        if method in self.holds:
            await self._record(f"{method}?held", args)
            try:
                await self.holds[method].wait()
            except asyncio.CancelledError:  # the caller hung up; Slack still did what it asked
                await self._record(method, {**args, **self._answer(method, args)})
                raise
        failing = next(
            (f for f in self.failures.get(method, []) if f[3] in (None, args.get("channel"))),
            None,
        )
        if failing is not None:
            self.failures[method].remove(failing)
            status, body, headers, _ = failing
            await self._record(f"{method}!failed", args)
            return web.json_response(body, status=status, headers=headers)
        answer = self._answer(method, args)
        if method == "chat.postMessage":  # where the message went, as the bot got it back
            to = args["channel"]
            args = {**args, "channel": answer["channel"], "ts": answer["ts"], "_to": to}
        await self._record(method, args)
        return web.json_response({"ok": True, **answer})

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "team_id": TEAM,
                "team": "Acme",
                "url": "https://acme.slack.com/",
            }
        if method == "apps.connections.open":
            return {"url": f"ws://127.0.0.1:{self.server.port}/socket"}
        if method == "chat.postMessage":
            self._ts += 1
            return {"channel": conversation_of(str(args["channel"])), "ts": f"{self._ts}.000100"}
        if method == "chat.update":
            return {"channel": args["channel"], "ts": args["ts"]}
        if method == "conversations.open":
            return {"channel": {"id": "D" + str(args["users"])}}
        if method == "users.info":
            user = str(args["user"])
            name = self.names.get(user, user.lower())
            return {
                "user": {
                    "id": user,
                    "name": name,
                    "real_name": name.title(),
                    "tz": self.zones.get(user, "Europe/Helsinki"),
                    "profile": {"display_name": name, "email": f"{name}@acme.example"},
                }
            }
        if method == "users.lookupByEmail":  # everyone's address is <name>@acme.example
            wanted = str(args.get("email", "")).lower()
            for user, name in self.names.items():
                if wanted == f"{name}@acme.example":
                    return {"user": {"id": user, "name": name, "deleted": False}}
            return {"ok": False, "error": "users_not_found"}
        return {}

    async def response(self, name: str) -> str:
        """The text Slack showed through the response_url named `name`, once it arrives."""
        await self.wait_for(lambda: any(a.get("_to") == name for a in self.of("response_url")))
        return next(a["text"] for a in self.of("response_url") if a.get("_to") == name)

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def blocks_of(self, call: dict[str, Any]) -> list[dict[str, Any]]:
        blocks = call.get("blocks", [])
        return json.loads(blocks) if isinstance(blocks, str) else blocks
