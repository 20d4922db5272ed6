"""What sending one outbox row takes, and what a failed attempt makes of it.

`plan` reads what a row needs (the message it replies under or updates, the member it DMs)
and returns the platform call to make, or WAITING (what it follows is not sent yet) or None
(nothing left to send); `record_failure` writes a failed attempt's outcome.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from bot.core.errors import DeliveryError
from bot.core.messages import Message
from bot.core.model import Workspace
from bot.core.ports import Messenger
from bot.storage.tables import OutboxRow
from bot.storage.uow import SqlUnitOfWork

log = logging.getLogger("wowbot.delivery")
MAX_ATTEMPTS = 8
WAITING = object()  # the message this row depends on is not sent yet


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(5 * 2 ** (attempts - 1), 3600))


async def plan(
    uow: SqlUnitOfWork, messenger: Messenger, now: dt.datetime, ws: Workspace, row: OutboxRow
) -> Any:
    """What sending this row takes: a call to make, or WAITING / None (nothing to send)."""
    message = Message.from_dict(row.message)
    if row.update_key:
        original = await uow.outbox.ref_of(row.update_key)
        if original is None or original[0] in ("failed", "skipped"):
            return None  # nothing to update
        if original[0] != "sent" or original[1] is None:
            return WAITING
        ref = original[1]

        async def update() -> Any:
            await messenger.update(ws, ref, message)
            return ref

        return update
    dest = row.destination or {}
    if dest.get("kind") == "thread":
        parent = await uow.outbox.ref_of(dest["thread_key"])
        if parent is None or parent[0] in ("failed", "skipped"):
            raise DeliveryError("the message to reply under was never sent", permanent=True)
        if parent[0] != "sent" or parent[1] is None:
            return WAITING
        thread = parent[1]
        return lambda: messenger.post(ws, thread=thread, message=message)
    if dest.get("kind") == "dm":
        member = await uow.members.get(dest["member_id"])
        return lambda: messenger.post(ws, member=member, message=message)
    if dest.get("kind") == "answer":
        return await _plan_answer(uow, messenger, now, ws, dest, message)
    return lambda: messenger.post(ws, channel=dest["channel"], message=message)


async def _plan_answer(
    uow: SqlUnitOfWork,
    messenger: Messenger,
    now: dt.datetime,
    ws: Workspace,
    dest: dict[str, Any],
    message: Message,
) -> Any:
    """An answer goes through the request's handle while it is valid; once it has
    expired, or the platform refuses it for good, it becomes a DM, so it is not lost."""
    member = await uow.members.get(dest["member_id"]) if dest.get("member_id") else None
    until = dt.datetime.fromisoformat(dest["until"]) if dest.get("until") else None
    if until is not None and now >= until:
        if member is None:
            raise DeliveryError("the answer's time ran out, with no one to DM", permanent=True)
        return lambda: messenger.post(ws, member=member, message=message)

    async def answer() -> Any:
        try:
            await messenger.answer(
                ws, dest.get("handle") or {}, message, public=bool(dest.get("public"))
            )
        except DeliveryError as error:
            if not error.permanent or member is None:
                raise
            log.info("an answer was refused (%s); it goes to %s as a DM", error.reason, member.name)
            return await messenger.post(ws, member=member, message=message)
        return {"answered": True}

    return answer


async def record_failure(
    uow: SqlUnitOfWork, row: OutboxRow, error: DeliveryError, now: dt.datetime
) -> None:
    """A failed attempt: retried after a backoff (or the platform's Retry-After), given up
    after MAX_ATTEMPTS or at once when permanent; an answer that kept failing becomes a DM."""
    attempts = row.attempts + 1
    dest = row.destination or {}
    if dest.get("kind") == "answer" and dest.get("member_id") and attempts >= MAX_ATTEMPTS:
        # The platform kept failing the request's handle: the answer becomes a DM, with
        # retries of its own.
        log.info("outbox row %s: the answer failed %s times; a DM instead", row.id, attempts)
        await uow.outbox.finish(
            row.id,
            status="pending",
            attempts=0,
            destination={"kind": "dm", "member_id": dest["member_id"]},
            last_error=error.reason[:500],
            next_attempt_at=now,
        )
        return
    if error.skipped:
        log.info("outbox row %s (%s) skipped: %s", row.id, row.description, error.reason)
        await uow.outbox.finish(
            row.id, status="skipped", attempts=attempts, last_error=error.reason[:500]
        )
        return
    if error.permanent or attempts >= MAX_ATTEMPTS:
        log.warning("outbox row %s (%s) failed for good: %s", row.id, row.description, error.reason)
        await uow.outbox.finish(
            row.id, status="failed", attempts=attempts, last_error=error.reason[:500]
        )
        return
    wait = backoff(attempts)
    if error.retry_after is not None:
        wait = max(wait, dt.timedelta(seconds=error.retry_after))
    log.info("outbox row %s: %s; retry in %s", row.id, error.reason, wait)
    await uow.outbox.finish(
        row.id,
        status="pending",
        attempts=attempts,
        last_error=error.reason[:500],
        next_attempt_at=now + wait,
    )
