"""The `wowbot` command: console, serve, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import io
import logging
import sys

from bot.config import ConfigError, Settings, load_settings
from bot.core.zones import zone
from bot.logs import protect


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="wowbot", description="WOW Bot for Slack, Teams and the console."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    console = sub.add_parser("console", help="run the whole bot in this terminal on SQLite")
    console.add_argument("--as", dest="user", default="alice", help="who you are (default alice)")
    console.add_argument(
        "--now",
        help="start the console clock at this time in your zone "
        "(e.g. 2026-11-23T09:00; default: the real time)",
    )
    serve = sub.add_parser("serve", help="serve HTTP: /healthz and the platform endpoints")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument(
        "--access-log",
        action="store_true",
        help="log a line for every HTTP request (off by default: it costs each ack time)",
    )
    package = sub.add_parser(
        "teams-package", help="build the Teams app package (manifest and icons, zipped)"
    )
    package.add_argument("-o", "--output", default="wowbot-teams.zip", help="the zip to write")
    package.add_argument("--name", default="WOW Bot", help="the app's name in Teams")
    package.add_argument("--developer", default="WOW Bot", help="who publishes it")
    package.add_argument(
        "--website",
        default="https://github.com/",
        help="an https URL for the developer, privacy and terms links",
    )
    db = sub.add_parser("db", help="database tasks")
    db.add_argument("task", choices=["upgrade"], help="apply the Alembic migrations")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.command == "serve" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # APScheduler logs every run of every job at INFO (twice every 5 seconds): not news.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        settings = load_settings()
        protect(settings)  # no secret reaches the log, whichever library writes it
        if args.command == "console":
            return asyncio.run(run_console(settings, args.user, args.now))
        if args.command == "serve":
            return run_server(settings, args.host, args.port, access_log=args.access_log)
        if args.command == "teams-package":
            return teams_package(settings, args)
        return asyncio.run(upgrade_db(settings))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


async def upgrade_db(settings: Settings) -> int:
    from bot.storage.engine import create_engine
    from bot.storage.migrate import upgrade

    engine = create_engine(settings.wowbot_database_url)
    await upgrade(engine)
    await engine.dispose()
    print("Database is up to date.")
    return 0


async def run_console(settings: Settings, user: str, now: str | None) -> int:
    from bot.adapters.console.messenger import ConsoleDirectory, ConsoleMessenger
    from bot.adapters.console.render import ButtonRegistry
    from bot.adapters.console.session import NAME, ConsoleClock, ConsoleSession
    from bot.bootstrap import build_app

    if not NAME.fullmatch(user):
        print(
            f"--as {user[:40]!r} is not a name; use letters, digits, . _ - (at most 64).",
            file=sys.stderr,
        )
        return 2
    user = user.casefold()  # console names are one person whatever their case
    admins = ",".join(a.casefold() for a in settings.admins) or user  # a trial: the starter
    settings = settings.model_copy(update={"wowbot_admins": admins})
    start = dt.datetime.now(dt.UTC)
    local_start = None  # --now without a zone: read in the member's own zone, once known
    if now:
        try:
            start = dt.datetime.fromisoformat(now)
        except ValueError:
            print(f"--now {now!r} is not a time; write it like 2026-11-23T09:00.", file=sys.stderr)
            return 2
        if start.tzinfo is None:
            local_start = start
            start = start.replace(tzinfo=zone(settings.wowbot_default_timezone))
        start = start.astimezone(dt.UTC)
    clock = ConsoleClock(start)
    buttons = ButtonRegistry()

    def out(text: str) -> None:
        print(text, flush=True)

    app = await build_app(
        settings,
        messenger=ConsoleMessenger(out, buttons),
        directory=ConsoleDirectory(),
        clock=clock,
        sends_at_once=1,  # printed in the same order every run: buttons are numbered so
    )
    session = ConsoleSession(app, clock, buttons, out, user)
    interactive = sys.stdin.isatty()
    if isinstance(sys.stdin, io.TextIOWrapper):  # bytes that are not UTF-8 must not end it
        sys.stdin.reconfigure(errors="replace")
    try:
        await session.start(local_start)
        while True:
            if interactive:
                try:
                    line = await asyncio.to_thread(input, session.prompt)
                except EOFError:
                    break
            else:
                line = await asyncio.to_thread(sys.stdin.readline)
                if not line:
                    break
                if line.strip():
                    out(f"{session.prompt}{line.rstrip()}")
            if not await session.handle(line):
                break
    finally:
        await app.close()
    return 0


def teams_package(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.adapters.teams.package import build_package

    if not settings.microsoft_app_id:
        print(
            "Bad configuration: MICROSOFT_APP_ID is missing; the package names the bot by "
            "its app id (see README, Run it in Teams).",
            file=sys.stderr,
        )
        return 2
    if not args.website.startswith("https://"):
        print("--website must be an https:// URL; Teams refuses others.", file=sys.stderr)
        return 2
    data = build_package(
        settings.microsoft_app_id, name=args.name, developer=args.developer, website=args.website
    )
    Path(args.output).write_bytes(data)
    print(f"Wrote {args.output}: upload it in Teams (Apps, Manage your apps, Upload an app).")
    return 0


async def freeze_startup_objects(_: object) -> None:
    """What start-up made (every imported module, the app) lives as long as the process:
    frozen, the garbage collector's full passes no longer walk it. Unfrozen, each such pass
    took about 100 ms on a small machine, and every acknowledgement in flight waited."""
    gc.collect()
    gc.freeze()


def run_server(settings: Settings, host: str, port: int, *, access_log: bool = False) -> int:
    from aiohttp import web

    from bot.server import build_web_app

    async def make() -> web.Application:
        web_app = await build_web_app(settings, host=host)
        web_app.on_startup.append(freeze_startup_objects)  # after everything else started
        return web_app

    web.run_app(
        make(),
        host=host,
        port=port,
        print=lambda s: logging.getLogger("wowbot").info(s),
        access_log=logging.getLogger("aiohttp.access") if access_log else None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
