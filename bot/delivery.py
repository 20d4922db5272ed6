"""The outbox sender: delivers what handlers and jobs queued, once, in order.

Rows are leased (a crashed worker's lease expires and another picks the row up),
sent through the Messenger, and marked sent with the platform's reference, so later
rows can reply in the thread of, or update, an earlier one. Retryable failures back
off exponentially (honouring Retry-After); permanent ones are recorded for admins.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Callable
from typing import Any

from bot.core.errors import DeliveryError, Unavailable
from bot.core.messages import Message
from bot.core.model import Workspace
from bot.core.ports import Clock, Messenger
from bot.priority import AcksFirst
from bot.storage.tables import OutboxRow
from bot.storage.uow import SqlUnitOfWork

log = logging.getLogger("wowbot.delivery")
# Renewed every few seconds while the sending process lives (`renew`); a crashed one's rows
# are taken up by the next start or another replica once it runs out.
LEASE = dt.timedelta(seconds=30)
MAX_ATTEMPTS = 8
WAITING = object()  # the message this row depends on is not sent yet


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(5 * 2 ** (attempts - 1), 3600))


class OutboxSender:
    def __init__(
        self,
        uow: Callable[[], SqlUnitOfWork],
        messenger: Messenger,
        clock: Clock,
        *,
        acks: AcksFirst | None = None,
    ) -> None:
        self._uow, self.messenger, self.clock = uow, messenger, clock
        self.acks = acks or AcksFirst()  # a burst's acknowledgements go before sends
        self._lock = asyncio.Lock()
        self._kicked: asyncio.Task[None] | None = None
        self._stopping = False
        self._again = False
        self.owner = secrets.token_hex(8)
        self._held: set[int] = set()  # rows leased to this process and not finished

    def kick(self) -> None:
        """Deliver soon. A burst of kicks makes one run, plus one more if more came meanwhile."""
        if self._kicked is not None and not self._kicked.done():
            self._again = True
            return
        self._kicked = asyncio.get_running_loop().create_task(self._run_kicked())

    async def drain(self, timeout: float = 3, *, in_flight: float = 30) -> None:
        """On shutdown: send what is due for up to `timeout` seconds (the answers to the
        last requests among it), then stop between two messages. A message being sent is
        never cut off between the platform's call and its record: that is waited for, up
        to `in_flight` more seconds (the HTTP timeout). What is left stays in the outbox
        for the next start or another replica."""

        async def send_what_is_due() -> None:
            if self._kicked is not None:
                await asyncio.gather(self._kicked, return_exceptions=True)
            try:
                await self.deliver_due()
            except Exception:
                log.warning("outbox: the last delivery before shutdown failed", exc_info=True)

        last = asyncio.get_running_loop().create_task(send_what_is_due())
        await asyncio.wait([last], timeout=timeout)
        self._stopping = True  # the run stops after the message it is sending

        async def settle() -> None:
            await asyncio.gather(last, return_exceptions=True)
            async with self._lock:  # a run started by the scheduler stops after its row too
                pass

        try:
            await asyncio.wait_for(asyncio.shield(settle()), in_flight)
        except TimeoutError:
            log.warning(
                "outbox: a message was still being sent %s s into shutdown; it goes out "
                "again after its lease (%s)",
                timeout + in_flight,
                LEASE,
            )

    async def _release(self, rows: list[OutboxRow]) -> None:
        async with self._uow() as uow:
            for row in rows:
                await uow.outbox.finish(
                    row.id, status="pending", next_attempt_at=row.next_attempt_at
                )
            await uow.commit()
        self._held.difference_update(row.id for row in rows)

    async def renew(self) -> None:
        """Keep the leases of the rows this process holds (run every few seconds)."""
        if self._held:
            async with self._uow() as uow:
                await uow.outbox.renew(self.owner, sorted(self._held), self.clock.now() + LEASE)
                await uow.commit()

    async def _run_kicked(self) -> None:
        while True:
            self._again = False
            try:
                await self.deliver_due()
            except Exception:  # the scheduler's next run tries again
                log.exception("outbox delivery failed")
            if not self._again:
                return

    async def deliver_due(self, limit: int = 100) -> int:
        """Send every row that is due now; returns how many were sent."""
        sent = 0
        async with self._lock:
            while True:
                now = self.clock.now()
                async with self._uow() as uow:
                    rows = await uow.outbox.claim(now, LEASE, limit, self.owner)
                    await uow.commit()
                self._held.update(row.id for row in rows)
                progress = False
                try:
                    for index, row in enumerate(rows):
                        await self.acks.wait()
                        if self._stopping:  # shutting down: the rest go out on the next start
                            await self._release(rows[index:])
                            return sent
                        outcome = await self._deliver(row)
                        sent += outcome == "sent"
                        progress = progress or outcome != "waiting"
                finally:  # rows not finished here are taken up again once their lease ends
                    self._held.difference_update(row.id for row in rows)
                if len(rows) < limit or not progress:
                    return sent

    async def _deliver(self, row: OutboxRow) -> str:
        """Send one row. No transaction is held while the platform is called: a messenger
        may need the database itself (Teams' conversation references), and on SQLite a
        held write lock would stall every other writer for the length of an HTTP call."""
        now = self.clock.now()
        try:
            async with self._uow() as uow:
                send = await self._plan(uow, row)
            ref = await send() if callable(send) else send
        except DeliveryError as error:
            return await self._record_failure(row, error, now)
        except Exception as error:  # a bug or an unexpected reply: retry, then give up
            log.exception("outbox row %s: unexpected error", row.id)
            return await self._record_failure(
                row, DeliveryError(repr(error)[:300], permanent=False), now
            )
        if ref is WAITING:
            values: dict[str, Any] = {
                "status": "pending",
                "next_attempt_at": now + dt.timedelta(seconds=2),
            }
            outcome = "waiting"
        elif ref is None:
            values, outcome = {"status": "skipped", "sent_at": now}, "skipped"
        else:
            values = {
                "status": "sent",
                "sent_at": now,
                "platform_ref": ref,
                "attempts": row.attempts + 1,
            }
            outcome = "sent"
        await self._record(row, values)
        return outcome

    async def _record(self, row: OutboxRow, values: dict[str, Any]) -> None:
        """Write what became of a row. The message is out: if the database does not take
        the record, the record is tried again (every second or two), never the send."""
        wait = 0.5
        while True:
            try:
                async with self._uow() as uow:
                    await uow.outbox.finish(row.id, **values)
                    await uow.commit()
                return
            except Unavailable as error:
                log.warning(
                    "outbox row %s went out but could not be recorded (%s); trying again",
                    row.id,
                    error,
                )
                await asyncio.sleep(wait)
                wait = min(wait * 2, 2.0)

    async def _record_failure(self, row: OutboxRow, error: DeliveryError, now: dt.datetime) -> str:
        async with self._uow() as uow:
            await self._failed(uow, row, error, now)
            await uow.commit()
        return "failed"

    async def _plan(self, uow: SqlUnitOfWork, row: OutboxRow) -> Any:
        """What sending this row takes: a call to make, or WAITING / None (nothing to send)."""
        ws = await uow.workspaces.get(row.workspace_id)
        message = Message.from_dict(row.message)
        if row.update_key:
            original = await uow.outbox.ref_of(row.update_key)
            if original is None or original[0] in ("failed", "skipped"):
                return None  # nothing to update
            if original[0] != "sent" or original[1] is None:
                return WAITING
            ref = original[1]

            async def update() -> Any:
                await self.messenger.update(ws, ref, message)
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
            return lambda: self.messenger.post(ws, thread=thread, message=message)
        if dest.get("kind") == "dm":
            member = await uow.members.get(dest["member_id"])
            return lambda: self.messenger.post(ws, member=member, message=message)
        if dest.get("kind") == "answer":
            return await self._plan_answer(uow, ws, dest, message)
        return lambda: self.messenger.post(ws, channel=dest["channel"], message=message)

    async def _plan_answer(
        self, uow: SqlUnitOfWork, ws: Workspace, dest: dict[str, Any], message: Message
    ) -> Any:
        """An answer goes through the request's handle while it is valid; once it has
        expired, or the platform refuses it for good, it becomes a DM, so it is not lost."""
        member = await uow.members.get(dest["member_id"]) if dest.get("member_id") else None
        until = dt.datetime.fromisoformat(dest["until"]) if dest.get("until") else None
        if until is not None and self.clock.now() >= until:
            if member is None:
                raise DeliveryError("the answer's time ran out, with no one to DM", permanent=True)
            return lambda: self.messenger.post(ws, member=member, message=message)

        async def answer() -> Any:
            try:
                await self.messenger.answer(
                    ws, dest.get("handle") or {}, message, public=bool(dest.get("public"))
                )
            except DeliveryError as error:
                if not error.permanent or member is None:
                    raise
                log.info(
                    "an answer was refused (%s); it goes to %s as a DM", error.reason, member.name
                )
                return await self.messenger.post(ws, member=member, message=message)
            return {"answered": True}

        return answer

    async def _failed(
        self, uow: SqlUnitOfWork, row: OutboxRow, error: DeliveryError, now: dt.datetime
    ) -> None:
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
        if error.permanent or attempts >= MAX_ATTEMPTS:
            log.warning(
                "outbox row %s (%s) failed for good: %s", row.id, row.description, error.reason
            )
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
