"""The HTTP API for systems, beside the platforms' endpoints: KPI values and customer
ratings pushed with an API key (`/wow admin apikey create`). Answers are JSON, refusals
with the reason: 401 (key), 404 (no such KPI or endpoint), 422 (body)."""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.bootstrap import App
from bot.core.errors import NotAllowed, NotFound, Unavailable, UsageError
from bot.core.texts import DATABASE_DOWN, SOMETHING_WRONG
from bot.handlers.feedback_push import push_feedback
from bot.handlers.kpi_push import push_kpi

log = logging.getLogger("wowbot.api")
APP_KEY = web.AppKey("wowbot", App)
ENDPOINTS = ("POST /api/kpis/<key>", "POST /api/feedback")


# Invisible characters a key can pick up when copied from a chat: Teams cards break long
# tokens with zero-width spaces so they wrap. None of them is ever part of a key.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def api_key_of(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    key = header[7:] if header.lower().startswith("bearer ") else request.headers.get("X-API-Key")
    with contextlib.suppress(UnicodeError):  # headers are read as Latin-1; a pasted key
        key = (key or "").encode("latin-1").decode("utf-8")  # comes as UTF-8
    return (key or "").translate(INVISIBLE).strip() or None


async def _body(request: web.Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        return None


async def _answer(call: Callable[[], Awaitable[tuple[dict[str, Any], int]]]) -> web.Response:
    try:
        body, status = await call()
    except NotAllowed as error:
        return web.json_response({"error": error.message}, status=401)
    except NotFound as error:
        return web.json_response({"error": error.message}, status=404)
    except UsageError as error:
        return web.json_response({"error": error.message}, status=422)
    except Unavailable:
        return web.json_response({"error": DATABASE_DOWN}, status=503)
    except Exception:
        ref = secrets.token_hex(3)
        log.exception("unexpected error (ref %s) in the API", ref)
        return web.json_response({"error": SOMETHING_WRONG.format(ref=ref)}, status=500)
    return web.json_response(body, status=status)


async def push_kpi_value(request: web.Request) -> web.Response:
    """`POST /api/kpis/<key>` with `{"value": 3.8, "date": "2026-11-21"}`."""
    app = request.app[APP_KEY]
    body = await _body(request)

    async def call() -> tuple[dict[str, Any], int]:
        async with app.uow() as uow:
            pushed = await push_kpi(
                uow,
                api_key=api_key_of(request),
                key=request.match_info["key"],
                body=body,
                now=app.clock.now(),
            )
        return {
            "key": pushed.key,
            "date": pushed.day.isoformat(),
            "value": pushed.value,
            "replaced": pushed.replaced,
        }, 200

    return await _answer(call)


async def push_feedback_rating(request: web.Request) -> web.Response:
    """`POST /api/feedback` with one rating (see `feedback_push.read_body`): 201 when it is
    new, 200 when it replaced the same source's rating of the same ticket."""
    app = request.app[APP_KEY]
    body = await _body(request)

    async def call() -> tuple[dict[str, Any], int]:
        async with app.uow() as uow:
            pushed = await push_feedback(
                uow,
                api_key=api_key_of(request),
                body=body,
                now=app.clock.now(),
                directory=app.bot.directory,
                settings=app.bot.settings,
            )
        if app.bot.on_commit:
            app.bot.on_commit()  # the wall post, the case: the sender takes them up
        if app.bot.on_change:
            app.bot.on_change()  # a case's due time: the scheduler wakes for it
        return pushed.as_json(), 200 if pushed.replaced else 201

    return await _answer(call)


@web.middleware
async def no_such_endpoint(request: web.Request, handler: Any) -> web.StreamResponse:
    """A mistyped API address gets a JSON 404 that names the endpoints there are."""
    try:
        return await handler(request)
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
        if not request.path.startswith("/api/"):
            raise
        path = request.path[:200]
        error = f"No such endpoint: {request.method} {path}. The API has: {', '.join(ENDPOINTS)}"
        return web.json_response({"error": error}, status=404)


def mount_api(web_app: web.Application) -> None:
    web_app.router.add_post("/api/kpis/{key}", push_kpi_value)
    web_app.router.add_post("/api/feedback", push_feedback_rating)
    web_app.middlewares.append(no_such_endpoint)
