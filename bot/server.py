"""`wowbot serve`: one aiohttp application, one event loop, the scheduler beside it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from bot.bootstrap import App, build_app
from bot.config import ConfigError, Settings
from bot.core.errors import NotAllowed, NotFound, UsageError
from bot.core.ports import Clock, JsonFetcher
from bot.handlers.kpi_push import push_kpi
from bot.platforms import PlatformDirectory, PlatformMessenger
from bot.scheduler import create_scheduler

log = logging.getLogger("wowbot.server")
APP_KEY = web.AppKey("wowbot", App)


async def healthz(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    if await app.healthy():
        return web.json_response({"status": "ok"})
    return web.json_response({"status": "database unavailable"}, status=503)


def api_key_of(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("X-API-Key") or None


async def push_kpi_value(request: web.Request) -> web.Response:
    """`POST /api/kpis/<key>` with `{"value": 3.8, "date": "2026-11-21"}` and an API key."""
    app = request.app[APP_KEY]
    try:
        body = await request.json()
    except ValueError:
        body = None
    try:
        async with app.uow() as uow:
            pushed = await push_kpi(
                uow,
                api_key=api_key_of(request),
                key=request.match_info["key"],
                body=body,
                now=app.clock.now(),
            )
    except NotAllowed as error:
        return web.json_response({"error": error.message}, status=401)
    except NotFound as error:
        return web.json_response({"error": error.message}, status=404)
    except UsageError as error:
        return web.json_response({"error": error.message}, status=422)
    return web.json_response(
        {
            "key": pushed.key,
            "date": pushed.day.isoformat(),
            "value": pushed.value,
            "replaced": pushed.replaced,
        }
    )


OUTBOX_STATUSES = ("pending", "sending", "sent", "skipped", "failed")


async def metrics(request: web.Request) -> web.Response:
    """Prometheus text format: outbox messages by status, and whether the database answers."""
    app = request.app[APP_KEY]
    up = await app.healthy()
    lines = [
        "# HELP wowbot_database_up Whether the database answered.",
        "# TYPE wowbot_database_up gauge",
        f"wowbot_database_up {int(up)}",
    ]
    if up:
        async with app.uow() as uow:
            counts = await uow.outbox.counts()
        lines += [
            "# HELP wowbot_outbox_messages Outbox messages by delivery status.",
            "# TYPE wowbot_outbox_messages gauge",
            *(
                f'wowbot_outbox_messages{{status="{s}"}} {counts.get(s, 0)}'
                for s in OUTBOX_STATUSES
            ),
        ]
    return web.Response(text="\n".join(lines) + "\n", content_type="text/plain")


async def build_web_app(
    settings: Settings, *, clock: Clock | None = None, fetcher: JsonFetcher | None = None
) -> web.Application:
    """The whole server: the core, and each platform whose settings are present."""
    messenger, directory = PlatformMessenger(), PlatformDirectory()
    slack = slack_settings(settings)
    app = await build_app(
        settings, messenger=messenger, directory=directory, clock=clock, fetcher=fetcher
    )
    web_app = create_web_app(app)
    if slack:
        from bot.adapters.slack.app import SlackAdapter, create_client
        from bot.adapters.slack.messenger import SlackDirectory, SlackMessenger

        client = create_client(slack[0], settings.slack_api_url)
        messenger.platforms["slack"] = SlackMessenger(client)
        directory.platforms["slack"] = SlackDirectory(client)
        SlackAdapter(app.bot, client=client, signing_secret=slack[1]).mount(web_app)
        log.info("Slack: /slack/events is ready")
    return web_app


def slack_settings(settings: Settings) -> tuple[str, str] | None:
    token, secret = settings.slack_bot_token, settings.slack_signing_secret
    if not token and not secret:
        return None
    if not token or not secret:
        missing = "SLACK_BOT_TOKEN" if not token else "SLACK_SIGNING_SECRET"
        raise ConfigError(
            f"Bad configuration: {missing} is missing; Slack needs both "
            "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET."
        )
    return token, secret


def create_web_app(app: App) -> web.Application:
    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    web_app.router.add_post("/api/kpis/{key}", push_kpi_value)

    def kick() -> None:
        asyncio.get_running_loop().create_task(app.sender.deliver_due())

    app.bot._on_commit = kick

    async def lifecycle(_: web.Application) -> Any:
        scheduler = create_scheduler(app)
        scheduler.start()
        yield
        scheduler.shutdown(wait=False)
        await app.close()

    web_app.cleanup_ctx.append(lifecycle)
    return web_app
