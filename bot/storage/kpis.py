"""KPI definitions and daily values (one value per KPI per day: a repeat replaces)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Direction, KpiDefinition
from bot.storage.tables import KpiDefinitionRow, KpiValueRow
from bot.storage.upsert import upsert


class SqlKpis:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def definitions(self, workspace_id: int) -> list[KpiDefinition]:
        stmt = (
            select(KpiDefinitionRow)
            .where(KpiDefinitionRow.workspace_id == workspace_id)
            .order_by(KpiDefinitionRow.id)
        )
        return [
            KpiDefinition(
                r.workspace_id,
                r.key,
                r.label,
                r.unit,
                r.target,
                Direction(r.direction),
                r.near,
                r.source,
                r.low,
                r.high,
            )
            for r in (await self.session.execute(stmt)).scalars()
        ]

    async def define(self, definition: KpiDefinition) -> None:
        values = {
            "label": definition.label,
            "unit": definition.unit,
            "target": definition.target,
            "direction": definition.direction.value,
            "near": definition.near,
            "source": definition.source,
            "low": definition.low,
            "high": definition.high,
        }
        await self.session.execute(
            upsert(
                self.session,
                KpiDefinitionRow,
                {"workspace_id": definition.workspace_id, "key": definition.key, **values},
                conflict=["workspace_id", "key"],
                update=values,
            )
        )

    async def remove(self, workspace_id: int, key: str) -> bool:
        await self.session.execute(
            delete(KpiValueRow).where(
                KpiValueRow.workspace_id == workspace_id, KpiValueRow.key == key
            )
        )
        result = await self.session.execute(
            delete(KpiDefinitionRow).where(
                KpiDefinitionRow.workspace_id == workspace_id, KpiDefinitionRow.key == key
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def record(
        self, workspace_id: int, key: str, day: dt.date, value: float, source: str
    ) -> None:
        """One value per KPI per day: a second push for the day replaces the first, even
        when both arrive at once."""
        await self.session.execute(
            upsert(
                self.session,
                KpiValueRow,
                {
                    "workspace_id": workspace_id,
                    "key": key,
                    "day": day,
                    "value": value,
                    "source": source,
                },
                conflict=["workspace_id", "key", "day"],
                update={"value": value, "source": source},
            )
        )

    async def latest(
        self, workspace_id: int, key: str, on_or_before: dt.date
    ) -> tuple[dt.date, float] | None:
        stmt = (
            select(KpiValueRow.day, KpiValueRow.value)
            .where(
                KpiValueRow.workspace_id == workspace_id,
                KpiValueRow.key == key,
                KpiValueRow.day <= on_or_before,
            )
            .order_by(KpiValueRow.day.desc())
            .limit(1)
        )
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def series(
        self, workspace_id: int, key: str, start: dt.date, end: dt.date
    ) -> dict[dt.date, float]:
        stmt = select(KpiValueRow.day, KpiValueRow.value).where(
            KpiValueRow.workspace_id == workspace_id,
            KpiValueRow.key == key,
            KpiValueRow.day >= start,
            KpiValueRow.day <= end,
        )
        return {d: v for d, v in (await self.session.execute(stmt)).all()}
