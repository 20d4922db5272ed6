"""The unit of work: one transaction, all repositories; commit or nothing is saved."""

from __future__ import annotations

import contextlib
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.errors import Unavailable
from bot.storage.conversations import SqlConversations
from bot.storage.digests import SqlDigests
from bot.storage.engine import READ_ONLY, is_unavailable
from bot.storage.feedback import SqlAgents, SqlFeedback
from bot.storage.feedback_sources import SqlFeedbackSources
from bot.storage.followups import SqlFollowUps
from bot.storage.gifts import SqlGifts
from bot.storage.heroes import SqlHeroes
from bot.storage.inbox import SqlInbox
from bot.storage.kpi_sources import SqlApiKeys, SqlKpiSources
from bot.storage.kpis import SqlKpis
from bot.storage.outbox import SqlOutbox
from bot.storage.people import SqlMembers, SqlValues, SqlWorkspaces
from bot.storage.recoveries import SqlRecoveries
from bot.storage.turns import Turns


class SqlUnitOfWork:
    session: AsyncSession

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], turns: Turns | None = None
    ) -> None:
        self._sessions, self._turns = sessions, turns
        self._urgent = self._reading = False

    def urgent(self) -> SqlUnitOfWork:
        """This transaction goes before others waiting (a save a platform waits on)."""
        self._urgent = True
        return self

    def reading(self) -> SqlUnitOfWork:
        """This transaction only reads. On SQLite it reads a snapshot beside the writer
        instead of waiting its turn for the one write lock (a write in it would fail)."""
        self._reading = True
        return self

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._reading:
            self.session = self._sessions(execution_options={READ_ONLY: True})
        else:
            if self._turns is not None:
                try:
                    await self._turns.take(urgent=self._urgent)
                except TimeoutError as error:
                    raise Unavailable("the database is busy") from error
            self.session = self._sessions()
        s = self.session
        self.workspaces = SqlWorkspaces(s)
        self.members = SqlMembers(s)
        self.values = SqlValues(s)
        self.heroes = SqlHeroes(s)
        self.gifts = SqlGifts(s)
        self.followups = SqlFollowUps(s)
        self.kpis = SqlKpis(s)
        self.digests = SqlDigests(s)
        self.outbox = SqlOutbox(s)
        self.kpi_sources = SqlKpiSources(s)
        self.api_keys = SqlApiKeys(s)
        self.conversations = SqlConversations(s)
        self.inbox = SqlInbox(s)
        self.feedback = SqlFeedback(s)
        self.agents = SqlAgents(s)
        self.recoveries = SqlRecoveries(s)
        self.feedback_sources = SqlFeedbackSources(s)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back what was not committed. A database that cannot be reached is one
        error, `Unavailable`, whatever the driver called it."""
        try:
            await self._end(error)
        finally:
            if self._turns is not None and not self._reading:
                self._turns.give()

    async def _end(self, error: BaseException | None) -> None:
        try:
            await self.session.rollback()
            await self.session.close()
        except Exception as cleanup:
            if error is None and not is_unavailable(cleanup):
                raise
            with contextlib.suppress(Exception):  # already failing: keep the first error
                await self.session.invalidate()  # the connection is not returned to the pool
            if error is None:
                raise Unavailable(str(cleanup)) from cleanup
        if error is not None and is_unavailable(error):
            raise Unavailable(str(error)) from error

    async def commit(self) -> None:
        await self.session.commit()
