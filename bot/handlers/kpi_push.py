"""Values pushed to `POST /api/kpis/<key>`: the key proves the workspace."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from bot.core.errors import NotAllowed, NotFound, UsageError
from bot.core.kpi import check_value
from bot.core.limits import NUMBER
from bot.core.ports import UnitOfWork
from bot.core.texts import kpis as tx
from bot.core.zones import local
from bot.handlers.kpi_admin import hash_key
from bot.handlers.kpis import BUILT_IN


@dataclass(frozen=True)
class Pushed:
    key: str
    day: dt.date
    value: float
    replaced: bool


def read_body(body: Any, today: dt.date) -> tuple[float, dt.date]:
    if not isinstance(body, dict):
        raise UsageError(tx.NOT_AN_OBJECT)
    unknown = set(body) - {"value", "date"}
    if unknown:
        raise UsageError(tx.unknown_fields(", ".join(sorted(unknown))))
    raw = body.get("value")
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise UsageError(tx.NOT_A_NUMBER)
    try:
        value = float(raw)
    except OverflowError:  # an integer too large for a float
        value = math.inf
    if not math.isfinite(value) or abs(value) > NUMBER:
        raise UsageError(tx.OUT_OF_RANGE)
    day = today
    if body.get("date") is not None:
        try:
            day = dt.date.fromisoformat(str(body["date"]))
        except ValueError:
            raise UsageError(tx.NOT_A_DATE) from None
        if day > today:
            raise UsageError(tx.pushed_future(str(day), str(today)))
        if day < today - dt.timedelta(days=366):
            raise UsageError(tx.pushed_too_old(str(day)))
    return value, day


async def push_kpi(
    uow: UnitOfWork, *, api_key: str | None, key: str, body: Any, now: dt.datetime
) -> Pushed:
    """NotAllowed → 401, NotFound → 404, UsageError → 422."""
    workspace_id = await uow.api_keys.workspace_for(hash_key(api_key)) if api_key else None
    if workspace_id is None:
        raise NotAllowed(tx.NO_KEY)
    ws = await uow.workspaces.get(workspace_id)
    definitions = {d.key: d for d in await uow.kpis.definitions(ws.id)}
    if key not in definitions:
        known = ", ".join(definitions) or "none"
        raise NotFound(tx.cannot_push(key, key in BUILT_IN, known))
    value, day = read_body(body, local(now, ws.timezone).date())
    check_value(definitions[key], value)
    replaced = bool(await uow.kpis.series(ws.id, key, day, day))
    await uow.kpis.record(ws.id, key, day, value, "push")
    await uow.commit()
    return Pushed(key, day, value, replaced)
