"""A fake Bot Connector on loopback: the `serviceUrl` of the activities the tests post.
It records every send, reply, update and conversation created, answers with ids as the
connector does (`ResourceResponse`, `ConversationResourceResponse`), and can be told to fail."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class ConnectorCall:
    kind: str  # "create", "send", "reply", "update"
    conversation: str
    activity_id: str | None
    body: dict[str, Any]

    @property
    def card(self) -> dict[str, Any] | None:
        """The Adaptive Card the activity carries (in a create, the activity inside it)."""
        activity = self.body.get("activity", self.body) if self.kind == "create" else self.body
        for attachment in (activity or {}).get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment["content"]
        return None

    @property
    def activity(self) -> dict[str, Any]:
        return self.body.get("activity") or {} if self.kind == "create" else self.body


@dataclass
class FakeConnector:
    calls: list[ConnectorCall] = field(default_factory=list)
    # (kind, status, headers, channel): the next call of that kind (to that channel) fails
    failures: list[tuple[str, int, dict[str, str], str | None]] = field(default_factory=list)
    # Kinds of call accepted with HTTP 202 and no body, as the Agents Playground does.
    bodyless: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._ids = itertools.count(5000)
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._reply)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/"

    def fail(
        self,
        kind: str,
        status: int,
        headers: dict[str, str] | None = None,
        *,
        channel: str | None = None,
    ) -> None:
        """The next call of this kind (a post to `channel`, if given: messages to several
        conversations go out side by side, in no set order) is answered with `status`."""
        self.failures.append((kind, status, headers or {}, channel))

    def of(self, kind: str) -> list[ConnectorCall]:
        return [c for c in self.calls if c.kind == kind]

    def to(self, conversation: str) -> list[ConnectorCall]:
        """Everything that landed in a conversation (new threads, posts and thread replies)."""
        return [
            c
            for c in self.calls
            if c.kind != "update"
            and c.activity
            and c.conversation.split(";messageid=")[0] == conversation
        ]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def _failure(self, kind: str, channel: str | None = None) -> web.Response | None:
        for i, (k, status, headers, where) in enumerate(self.failures):
            if k == kind and where in (None, channel):
                del self.failures[i]
                return web.json_response(
                    {"error": {"code": "Failed", "message": f"told to fail with {status}"}},
                    status=status,
                    headers=headers,
                )
        return None

    async def _record(self, call: ConnectorCall) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
        if failed := await self._failure("create", channel):
            return failed
        n = str(next(self._ids))
        if channel:
            conversation = f"{channel};messageid={n}"
        else:
            members = body.get("members") or [{}]
            conversation = f"a:personal-{members[0].get('id')}"
        await self._record(ConnectorCall("create", conversation, None, body))
        return web.json_response(
            {"id": conversation, "activityId": n if channel else None, "serviceUrl": self.url},
            status=201,
        )

    async def _send(self, request: web.Request) -> web.Response:
        if failed := await self._failure("send"):
            return failed
        n = str(next(self._ids))
        await self._record(
            ConnectorCall("send", request.match_info["conversation"], n, await request.json())
        )
        if "send" in self.bodyless:
            return web.Response(status=202)
        return web.json_response({"id": n}, status=201)

    async def _reply(self, request: web.Request) -> web.Response:
        if failed := await self._failure("reply"):
            return failed
        n = str(next(self._ids))
        body = await request.json()
        body["_replyTo"] = request.match_info["activity"]
        await self._record(ConnectorCall("reply", request.match_info["conversation"], n, body))
        return web.json_response({"id": n}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        if failed := await self._failure("update"):
            return failed
        activity = request.match_info["activity"]
        await self._record(
            ConnectorCall(
                "update", request.match_info["conversation"], activity, await request.json()
            )
        )
        return web.json_response({"id": activity})
