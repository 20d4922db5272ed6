"""The unit of work: one transaction, all repositories; commit or nothing is saved."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.conversations import SqlConversations
from bot.storage.digests import SqlDigests
from bot.storage.followups import SqlFollowUps
from bot.storage.gifts import SqlGifts
from bot.storage.heroes import SqlHeroes
from bot.storage.kpi_sources import SqlApiKeys, SqlKpiSources
from bot.storage.kpis import SqlKpis
from bot.storage.outbox import SqlOutbox
from bot.storage.people import SqlMembers, SqlValues, SqlWorkspaces


class SqlUnitOfWork:
    session: AsyncSession

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> SqlUnitOfWork:
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
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()
