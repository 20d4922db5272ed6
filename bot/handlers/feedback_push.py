"""Ratings pushed to `POST /api/feedback` by a helpdesk (SPEC §9): the API key proves the
workspace; a repeat of the same source and ticket replaces the rating, never duplicates it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bot.core.errors import NotAllowed, UsageError
from bot.core.feedback import SCALES, THUMBS, verdict
from bot.core.guards import one_line
from bot.core.limits import LIMITS
from bot.core.model import Feedback, Workspace
from bot.core.ports import Directory, UnitOfWork
from bot.core.texts import feedback as tx
from bot.core.texts.kpis import NO_KEY
from bot.handlers.context import CoreSettings, Scene
from bot.handlers.feedback_intake import take_in
from bot.handlers.kpi_admin import hash_key

FIELDS = {"customer", "score", "scale", "comment", "agent", "ticket", "url", "given_at", "source"}
SOURCE = re.compile(r"[A-Za-z0-9_\-]{1,40}")
OLDEST = dt.timedelta(days=366)
CLOCK_SKEW = dt.timedelta(minutes=5)  # a helpdesk's clock a little ahead of ours


@dataclass(frozen=True)
class Pushed:
    feedback: Feedback
    replaced: bool
    agent: str | None
    case_id: int | None
    case_posted: bool  # False: no channel for recovery cases yet (the admins were told)
    praised: bool

    def as_json(self) -> dict[str, Any]:
        f = self.feedback
        return {
            "id": f.id,
            "source": f.source,
            "ticket": f.ticket,
            "replaced": self.replaced,
            "verdict": verdict(f.scale, f.score),
            "agent": self.agent,
            "agent_matched": f.agent_id is not None,
            "case": self.case_id,
            "case_posted": self.case_posted if self.case_id is not None else None,
            "praise_posted": self.praised,
        }


def _text(body: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str | None:
    raw = body.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise UsageError(tx.feedback_field_missing(name))
        return None
    if not isinstance(raw, str):
        raise UsageError(tx.feedback_field_wrong(name, tx.NOT_TEXT))
    text = raw.strip()
    if len(text) > limit:
        raise UsageError(tx.feedback_field_wrong(name, tx.longer_than(limit)))
    return text


def _line(body: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str | None:
    text = _text(body, name, limit, required=required)
    if text is not None and text != one_line(text):
        raise UsageError(tx.feedback_field_wrong(name, tx.ONE_LINE))
    return text


def _score(body: dict[str, Any]) -> tuple[str, float]:
    scale = body.get("scale")
    if scale is None:
        raise UsageError(tx.feedback_field_missing("scale"))
    if not isinstance(scale, str) or scale.lower() not in SCALES:
        raise UsageError(tx.feedback_field_wrong("scale", tx.NOT_A_SCALE))
    scale, raw = scale.lower(), body.get("score")
    if raw is None:
        raise UsageError(tx.feedback_field_missing("score"))
    if scale == "thumbs" and isinstance(raw, str) and raw.strip().lower() in THUMBS:
        return scale, THUMBS[raw.strip().lower()]
    s = SCALES[scale]
    whole = isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer()
    if not whole or not s.low <= raw <= s.high:
        raise UsageError(tx.feedback_field_wrong("score", tx.off_its_scale(scale)))
    return scale, float(raw)


def _given_at(body: dict[str, Any], now: dt.datetime) -> dt.datetime:
    raw = body.get("given_at")
    if raw is None:
        return now
    try:
        moment = dt.datetime.fromisoformat(str(raw)[:40]) if isinstance(raw, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise UsageError(tx.feedback_field_wrong("given_at", tx.NOT_A_MOMENT))
    moment = moment.astimezone(dt.UTC)
    if moment > now + CLOCK_SKEW:
        raise UsageError(tx.feedback_field_wrong("given_at", tx.IN_THE_FUTURE))
    if moment < now - OLDEST:
        raise UsageError(tx.feedback_field_wrong("given_at", tx.TOO_OLD))
    return min(moment, now)


def read_body(body: Any, workspace_id: int, now: dt.datetime) -> Feedback:
    """The rating a body describes; UsageError says what is wrong and how to write it."""
    if not isinstance(body, dict):
        raise UsageError(tx.FEEDBACK_NOT_JSON)
    unknown = set(body) - FIELDS
    if unknown:
        raise UsageError(tx.feedback_unknown_fields(", ".join(sorted(unknown))[:200]))
    customer = _line(body, "customer", LIMITS["customer"], required=True)
    scale, score = _score(body)
    url = _line(body, "url", LIMITS["URL"])
    if url is not None and not re.match(r"https?://[^\s/]+", url):
        raise UsageError(tx.feedback_field_wrong("url", tx.NOT_A_URL))
    source = _line(body, "source", 40) or "push"
    if not SOURCE.fullmatch(source):
        raise UsageError(tx.feedback_field_wrong("source", tx.NOT_A_SOURCE))
    assert customer is not None
    return Feedback(
        id=0,
        workspace_id=workspace_id,
        customer=customer,
        scale=scale,
        score=score,
        comment=_text(body, "comment", LIMITS["comment"]),
        agent_id=None,
        agent_ref=_line(body, "agent", LIMITS["agent"]),
        source=source.lower(),
        ticket=_line(body, "ticket", LIMITS["ticket"], required=True),
        url=url,
        given_at=_given_at(body, now),
        created_at=now,
    )


async def push_feedback(
    uow: UnitOfWork,
    *,
    api_key: str | None,
    body: Any,
    now: dt.datetime,
    directory: Directory,
    settings: CoreSettings,
) -> Pushed:
    """NotAllowed → 401, UsageError → 422. Saved with what it sets off (the wall post, the
    recovery case) in one transaction."""
    workspace_id = await uow.api_keys.workspace_for(hash_key(api_key)) if api_key else None
    if workspace_id is None:
        raise NotAllowed(NO_KEY)
    ws = await uow.workspaces.get(workspace_id)
    return await push_to(uow, ws, body, now, directory, settings)


async def push_to(
    uow: UnitOfWork,
    ws: Workspace,
    body: Any,
    now: dt.datetime,
    directory: Directory,
    settings: CoreSettings,
) -> Pushed:
    """A pushed rating for a workspace already known (the console's /push has no key)."""
    feedback = read_body(body, ws.id, now)
    scene = Scene(uow=uow, workspace=ws, now=now, directory=directory, settings=settings)
    taken = await take_in(scene, feedback, None)
    case = taken.opened or taken.followed
    if case is None and taken.replaced is not None:
        case = await uow.recoveries.for_feedback(taken.feedback.id)
    await uow.commit()
    return Pushed(
        taken.feedback,
        taken.replaced is not None,
        taken.agent.name if taken.agent else None,
        case.id if case else None,
        bool(case and case.channel),
        taken.praised,
    )
