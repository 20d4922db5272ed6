"""`wowbot serve`: one aiohttp application, one event loop, the scheduler beside it."""

from __future__ import annotations

import ipaddress
import logging
import time
from typing import Any

import aiohttp
from aiohttp import web

from bot.api import APP_KEY, mount_api
from bot.bootstrap import App, build_app
from bot.config import ConfigError, Settings
from bot.core.ports import Clock, JsonFetcher
from bot.platforms import PlatformDirectory, PlatformMessenger
from bot.scheduler import create_scheduler

log = logging.getLogger("wowbot.server")


async def healthz(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    if await app.healthy():
        return web.json_response({"status": "ok"})
    return web.json_response({"status": "database unavailable"}, status=503)


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
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    clock: Clock | None = None,
    fetcher: JsonFetcher | None = None,
) -> web.Application:
    """The whole server: the core, and each platform whose settings are present."""
    messenger, directory = PlatformMessenger(), PlatformDirectory()
    slack = slack_settings(settings)
    teams = teams_settings(settings, host, slack)
    app = await build_app(
        settings, messenger=messenger, directory=directory, clock=clock, fetcher=fetcher
    )
    web_app = create_web_app(app)
    if slack:
        mount_slack(web_app, app, settings, messenger, directory)
    if teams:
        mount_teams(web_app, app, settings, messenger, directory)
    return web_app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


TEAMS_APP_TYPES = {"multitenant": "MultiTenant", "singletenant": "SingleTenant"}


def teams_settings(settings: Settings, host: str, slack: bool) -> bool:
    """Whether /api/messages is served. Without an app id nobody's token can be checked, so
    it is served only on loopback (local trials); anywhere else start-up refuses, unless
    Slack is what this server is for, in which case Teams is simply left off."""
    app_id = settings.microsoft_app_id
    others = {
        "MICROSOFT_APP_PASSWORD": settings.microsoft_app_password,
        "MICROSOFT_APP_TYPE": settings.microsoft_app_type,
        "MICROSOFT_APP_TENANT_ID": settings.microsoft_app_tenant_id,
    }
    if not app_id:
        given = [name for name, value in others.items() if value]
        if given:
            raise ConfigError(
                f"Bad configuration: MICROSOFT_APP_ID is missing; {', '.join(given)} "
                "is set, and Teams needs the bot's app id with it."
            )
        if is_loopback(host):
            log.info("Teams: /api/messages is open without authentication (loopback only)")
            return True
        if slack:
            log.info("Teams: off (no MICROSOFT_APP_ID)")
            return False
        raise ConfigError(
            f"Bad configuration: MICROSOFT_APP_ID is missing. Without it /api/messages would "
            f"accept unauthenticated requests, which is allowed only on loopback, and this "
            f"server listens on {host}. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, "
            "or serve with --host 127.0.0.1."
        )
    app_type = (settings.microsoft_app_type or "MultiTenant").lower()
    if app_type not in TEAMS_APP_TYPES:
        raise ConfigError(
            "Bad configuration: MICROSOFT_APP_TYPE must be MultiTenant or SingleTenant."
        )
    if not settings.microsoft_app_password:
        raise ConfigError(
            "Bad configuration: MICROSOFT_APP_PASSWORD is missing; Teams needs the bot's "
            "client secret with MICROSOFT_APP_ID."
        )
    if app_type == "singletenant" and not settings.microsoft_app_tenant_id:
        raise ConfigError(
            "Bad configuration: MICROSOFT_APP_TENANT_ID is missing; a SingleTenant bot "
            "needs its tenant id."
        )
    return True


def mount_teams(
    web_app: web.Application,
    app: App,
    settings: Settings,
    messenger: PlatformMessenger,
    directory: PlatformDirectory,
) -> None:
    from bot.adapters.teams.activities import TeamsDirectory
    from bot.adapters.teams.app import TeamsAdapter

    people = TeamsDirectory()
    adapter = TeamsAdapter(
        app.bot,
        uow=app.uow,
        clock=app.clock,
        directory=people,
        app_id=settings.microsoft_app_id or "",
        password=settings.microsoft_app_password or "",
        app_type=TEAMS_APP_TYPES[(settings.microsoft_app_type or "MultiTenant").lower()],
        tenant_id=settings.microsoft_app_tenant_id or "",
    )
    messenger.platforms["teams"] = adapter.messenger
    directory.platforms["teams"] = people
    adapter.mount(web_app)

    async def close(_: web.Application) -> Any:
        yield
        await adapter.messenger.close()

    web_app.cleanup_ctx.insert(0, close)  # after the outbox drained (cleanup runs in reverse)
    log.info("Teams: /api/messages is ready")


def mount_slack(
    web_app: web.Application,
    app: App,
    settings: Settings,
    messenger: PlatformMessenger,
    directory: PlatformDirectory,
) -> None:
    from bot.adapters.slack.app import SlackAdapter, create_client
    from bot.adapters.slack.messenger import SlackDirectory, SlackMessenger

    assert settings.slack_bot_token
    client = create_client(settings.slack_bot_token, settings.slack_api_url)
    sending = create_client(settings.slack_bot_token, settings.slack_api_url, wait_out_429=False)
    messenger.platforms["slack"] = SlackMessenger(sending)
    directory.platforms["slack"] = SlackDirectory(client)
    adapter = SlackAdapter(
        app.bot, client=client, signing_secret=settings.slack_signing_secret, inbox=app.inbox
    )

    async def connections(_: web.Application) -> Any:
        # One session for every Web API call and response_url answer, so connections to
        # Slack are kept and reused rather than opened (with TLS) for each call.
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=client.timeout))
        client.session = sending.session = session
        yield
        await session.close()

    web_app.cleanup_ctx.insert(0, connections)  # closed last, after everything has drained

    async def drain(_: web.Application) -> Any:
        yield
        await adapter.drain()  # before the core's cleanup closes the database

    web_app.cleanup_ctx.append(drain)
    if settings.slack_signing_secret:
        adapter.mount(web_app)
        log.info("Slack: /slack/events is ready")
    if settings.slack_app_token:
        app_token = settings.slack_app_token

        async def socket_mode(_: web.Application) -> Any:
            from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

            handler = AsyncSocketModeHandler(adapter.app, app_token, web_client=client)
            await handler.connect_async()
            log.info("Slack: connected in Socket Mode")
            yield
            await handler.close_async()

        web_app.cleanup_ctx.append(socket_mode)


def slack_settings(settings: Settings) -> bool:
    """Whether Slack is configured; half a configuration stops start-up, naming what's missing."""
    token, secret, app_token = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    )
    if not (token or secret or app_token):
        return False
    if not token:
        raise ConfigError(
            "Bad configuration: SLACK_BOT_TOKEN is missing; Slack needs it with "
            "SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)."
        )
    if not (secret or app_token):
        raise ConfigError(
            "Bad configuration: SLACK_SIGNING_SECRET is missing; Slack needs it "
            "for /slack/events, or SLACK_APP_TOKEN for Socket Mode."
        )
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError(
            "Bad configuration: SLACK_APP_TOKEN must be an app-level token "
            "(xapp-…) with the connections:write scope."
        )
    return True


def create_web_app(app: App) -> web.Application:
    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    mount_api(web_app)

    app.bot.on_commit = app.sender.kick

    async def lifecycle(_: web.Application) -> Any:
        scheduler = create_scheduler(app)
        scheduler.start()
        yield
        log.info("stopping: finishing the requests and messages in hand")
        scheduler.shutdown(wait=False)
        started = time.monotonic()
        await app.inbox.drain()
        await app.sender.drain()
        log.info("outbox drained in %.1f s", time.monotonic() - started)
        await app.close()
        log.info("stopped in %.1f s", time.monotonic() - started)

    web_app.cleanup_ctx.append(lifecycle)
    return web_app
