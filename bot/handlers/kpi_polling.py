"""Polling HTTP KPI sources: read the JSON, take the value at the pointer, store it for the
day. Failures are recorded with their reason; none stops the scheduler."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from bot.core.errors import FetchError, UsageError
from bot.core.kpi import PointerError, as_value, check_value, resolve_pointer
from bot.core.model import KpiSource
from bot.core.ports import JsonFetcher, UnitOfWork
from bot.core.texts import kpis as tx
from bot.core.zones import local

log = logging.getLogger("wowbot.kpis")


class KpiPoller:
    def __init__(self, uow: Callable[[], UnitOfWork], fetcher: JsonFetcher) -> None:
        self._uow, self.fetcher = uow, fetcher

    async def poll_due(self, now: dt.datetime) -> int:
        async with self._uow() as uow:
            claimed = await uow.kpi_sources.claim_due(now, 50)
            await uow.commit()
        for source in claimed:
            await self._poll(source, now)
        return len(claimed)

    async def _poll(self, source: KpiSource, now: dt.datetime) -> None:
        headers = {"Authorization": source.auth_header} if source.auth_header else {}
        value, error = None, None
        try:
            document = await self.fetcher.get_json(source.url, headers)
            value = as_value(resolve_pointer(document, source.pointer))
        except (FetchError, PointerError) as failure:
            error = getattr(failure, "reason", None) or str(failure)
        except Exception as failure:  # a bug must not stop the other sources
            log.exception("polling KPI %s failed", source.key)
            error = tx.unexpected(type(failure).__name__)
        async with self._uow() as uow:
            if value is not None:
                error = await self._record(uow, source, value, now)
            await uow.kpi_sources.record_poll(
                source.id,
                at=now,
                next_at=now + dt.timedelta(minutes=source.every_minutes),
                error=error[:500] if error else None,
            )
            await uow.commit()
        if error:
            log.warning("KPI %s: %s", source.key, error)

    @staticmethod
    async def _record(
        uow: UnitOfWork, source: KpiSource, value: float, now: dt.datetime
    ) -> str | None:
        """Store the value read for today; the reason when the KPI's scale refuses it."""
        ws = await uow.workspaces.get(source.workspace_id)
        definition = next(
            (d for d in await uow.kpis.definitions(ws.id) if d.key == source.key), None
        )
        if definition is None:
            return tx.no_longer_defined(source.key)
        try:
            check_value(definition, value)
        except UsageError as refused:
            return refused.message
        await uow.kpis.record(ws.id, source.key, local(now, ws.timezone).date(), value, "http")
        return None
