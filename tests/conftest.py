"""Fixtures: every storage-touching test runs on SQLite, and on PostgreSQL when
WOWBOT_TEST_DATABASE_URL names one (`.ci/run` sets it)."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.bootstrap import App, build_app
from bot.config import load_settings
from bot.core.commands import Action
from bot.core.messages import Reply
from bot.core.ports import JsonFetcher
from bot.core.tokens import plain
from bot.handlers.dispatch import Invocation
from bot.storage.engine import create_engine
from tests.fakes import START, FakeDirectory, FakeMessenger, FixedClock
from tests.served import fake  # noqa: F401  (a fixture for every test module)
from tests.slack_world import slack  # noqa: F401  (a fixture for every test module)

PG_URL = os.environ.get("WOWBOT_TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def root_logging_restored() -> Iterator[None]:
    """A test that runs `wowbot`'s `main()` configures the root logger (and puts the secret
    redactor on its handlers, pytest's among them): undone after it, so that no later test
    depends on the order the tests ran in."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    filters = {h: list(h.filters) for h in handlers}
    yield
    root.handlers[:] = [h for h in root.handlers if h in filters] or handlers
    for handler, kept in filters.items():
        handler.filters[:] = kept
    root.setLevel(level)


async def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'wow.db'}"
        return
    if not PG_URL:
        pytest.skip(
            "PostgreSQL tests need WOWBOT_TEST_DATABASE_URL (e.g. "
            "postgresql://postgres@127.0.0.1:5432/test); .ci/run sets it"
        )
    await reset_postgres(PG_URL)
    yield PG_URL


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'wow.db'}"


@dataclass
class Harness:
    """A bot on real storage with a fake messenger and a settable clock."""

    app: App
    messenger: FakeMessenger
    clock: FixedClock
    platform: str = "console"
    workspace: str = "T1"

    def who(self, user: str, channel: str = "general") -> Invocation:
        return Invocation(self.platform, self.workspace, user, channel)

    async def cmd(self, user: str, command: str, channel: str = "general") -> str:
        reply = await self.app.bot.command(self.who(user, channel), command)
        await self.app.sender.deliver_due()
        return text_of(reply)

    async def click(
        self, user: str, action: str, value: str, text: str | None = None, **fields: str
    ) -> str:
        reply = await self.app.bot.action(
            self.who(user), Action(action, value, text, tuple(fields.items()))
        )
        await self.app.sender.deliver_due()
        return text_of(reply)

    async def read(self, user: str, command: str) -> str:
        """A reply as read: its title, then its text and fields (`cmd` gives the text only)."""
        message = (await self.app.bot.command(self.who(user), command)).message
        assert message is not None
        fields = [f"{f.label}: {f.value}" for f in message.fields]
        return "\n".join([message.title or "", message.text, *fields]).strip()

    async def tick(self) -> None:
        await self.app.tick()


def text_of(reply: Reply) -> str:
    """A reply's text as people read it (channels the bot names read as #name)."""
    return plain(reply.message.text) if reply.message else ""


async def make_harness(
    url: str,
    *,
    admins: str = "alice",
    clock: FixedClock | None = None,
    zones: dict[str, str] | None = None,
    fetcher: JsonFetcher | None = None,
    **settings: object,
) -> Harness:
    messenger = FakeMessenger()
    clock = clock or FixedClock(START)
    app = await build_app(
        load_settings(
            wowbot_database_url=url,
            wowbot_admins=admins,
            wowbot_default_timezone="Europe/Helsinki",
            **settings,
        ),
        messenger=messenger,
        directory=FakeDirectory(zones),
        clock=clock,
        fetcher=fetcher,
    )
    return Harness(app, messenger, clock)


@pytest.fixture
async def harness(db_url: str) -> AsyncIterator[Harness]:
    h = await make_harness(db_url)
    yield h
    await h.app.close()
