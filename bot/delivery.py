"""The outbox sender: delivers what handlers and jobs queued, once, in order.

Rows are leased (a crashed worker's lease expires and another picks the row up),
sent through the Messenger, and marked sent with the platform's reference, so later
rows can reply in the thread of, or update, an earlier one. Retryable failures back
off exponentially (honouring Retry-After); permanent ones are recorded for admins.

Conversations are sent to in parallel (CONCURRENCY messages at a time), each in order and
paced by its platform's limit (`Messenger.spacing`). A rate limit (429) pauses only the
conversation it came from, for as long as the platform said: its rows go back to the
table until then, and no sender sleeps through it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
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
CONCURRENCY = 8  # messages being sent at once, to different conversations
HOLD_AT_MOST = 10_000  # rows taken up by this process and not sent yet
PAUSE_IN_PLACE = 2.0  # seconds a conversation's pause is waited out; longer: rows go back


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
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._uow, self.messenger, self.clock = uow, messenger, clock
        self.acks = acks or AcksFirst()  # a burst's acknowledgements go before sends
        self._sleep = sleep
        self._sending = asyncio.Semaphore(CONCURRENCY)
        self._lanes: dict[Hashable, _Lane] = {}  # conversations with rows to send here
        self._lane_of_key: dict[str, Hashable] = {}  # rows queued here, by their key
        self._free_at: dict[Hashable, dt.datetime] = {}  # conversation: when it may get the next
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
            await self.idle()  # each conversation stops after the message it is sending

        try:
            await asyncio.wait_for(asyncio.shield(settle()), in_flight)
        except TimeoutError:
            log.warning(
                "outbox: a message was still being sent %s s into shutdown; it goes out "
                "again after its lease (%s)",
                timeout + in_flight,
                LEASE,
            )

    async def _release(self, rows: list[OutboxRow], not_before: dt.datetime | None = None) -> None:
        """Give rows back to the table, to be sent (in order) from `not_before` on."""
        async with self._uow() as uow:
            for row in rows:
                due = max(row.next_attempt_at, not_before) if not_before else row.next_attempt_at
                await uow.outbox.finish(row.id, status="pending", next_attempt_at=due)
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
                await self._claim_due()  # each lane then sends on its own
            except Exception:  # the scheduler's next run tries again
                log.exception("outbox delivery failed")
            if not self._again:
                return

    async def deliver_due(self, limit: int = 100) -> int:
        """Send every row that is due now, and wait until every conversation being sent to
        here is done; returns how many of the rows this call took up were sent."""
        outcomes = await asyncio.gather(*await self._claim_due(limit))
        await self.idle()
        return outcomes.count("sent")

    async def idle(self) -> None:
        """Wait until no conversation has rows waiting here."""
        while tasks := [lane.task for lane in self._lanes.values() if not lane.task.done()]:
            await asyncio.wait(tasks)

    async def _claim_due(self, limit: int = 100) -> list[asyncio.Future[str]]:
        """Take up due rows, `limit` at a time, into their conversations' lanes; returns
        their outcomes to be. Stops at HOLD_AT_MOST rows held here (the rest wait for the
        next run, or for another replica)."""
        outcomes: list[asyncio.Future[str]] = []
        while not self._stopping and len(self._held) < HOLD_AT_MOST:
            await self.acks.wait()
            room = min(limit, HOLD_AT_MOST - len(self._held))
            async with self._uow() as uow:
                rows = await uow.outbox.claim(self.clock.now(), LEASE, room, self.owner)
                await uow.commit()
            self._held.update(row.id for row in rows)
            for key, lane in lanes_of(rows, self._lane_of_key).items():
                outcomes += [self._enqueue(key, row) for row in lane]
            if len(rows) < room:
                break
        return outcomes

    def _enqueue(self, key: Hashable, row: OutboxRow) -> asyncio.Future[str]:
        outcome: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        if row.key:
            self._lane_of_key[row.key] = key
        lane = self._lanes.get(key)
        if lane is None or lane.task.done():
            lane = self._lanes[key] = _Lane()
            lane.task = asyncio.get_running_loop().create_task(self._drive(key, lane))
        lane.rows.append((row, outcome))
        return outcome

    async def _drive(self, key: Hashable, lane: _Lane) -> None:
        """Send one conversation's rows, in order, each once the conversation may get it."""
        try:
            while lane.rows:
                row, outcome = lane.rows[0]
                await self.acks.wait()
                free_at = self._free_at.get(key)
                pause = (free_at - self.clock.now()).total_seconds() if free_at else 0.0
                if self._stopping or pause > PAUSE_IN_PLACE:
                    # Shutting down, or the platform asked this conversation to wait: the
                    # rows go back, due when the pause ends (or on the next start).
                    rest = list(lane.rows)
                    lane.rows.clear()
                    await self._release([r for r, _ in rest], None if self._stopping else free_at)
                    self._finish(rest, "released")
                    break
                if pause > 0:
                    await self._sleep(pause)
                    continue  # acknowledgements may have come meanwhile: they go first
                async with self._sending:
                    result, wait = await self._deliver(row)
                self._free_at[key] = self.clock.now() + dt.timedelta(seconds=wait)
                lane.rows.popleft()
                self._finish([(row, outcome)], result)
        except Exception:  # the database is down: the rows' leases run out, then they go out
            log.warning("outbox: sending to a conversation stopped", exc_info=True)
            rest = list(lane.rows)
            lane.rows.clear()
            self._finish(rest, "failed")
        finally:
            if self._lanes.get(key) is lane:
                del self._lanes[key]
            self._forget_past_pauses()

    def _finish(self, rows: list[tuple[OutboxRow, asyncio.Future[str]]], result: str) -> None:
        for row, outcome in rows:
            self._held.discard(row.id)
            if row.key and self._lane_of_key.get(row.key) is not None:
                del self._lane_of_key[row.key]
            if not outcome.done():
                outcome.set_result(result)

    def _forget_past_pauses(self) -> None:
        if len(self._free_at) > 10_000:
            now = self.clock.now()
            self._free_at = {k: t for k, t in self._free_at.items() if t > now}

    async def _deliver(self, row: OutboxRow) -> tuple[str, float]:
        """Send one row; returns what became of it and how many seconds its conversation
        must wait before the next message. No transaction is held while the platform is
        called: a messenger may need the database itself (Teams' conversation references),
        and on SQLite a held write lock would stall every other writer for the length of an
        HTTP call."""
        now = self.clock.now()
        spacing = 0.0
        try:
            async with self._uow() as uow:
                ws = await uow.workspaces.get(row.workspace_id)
                send = await self._plan(uow, ws, row)
            if callable(send):
                if not row.update_key and (row.destination or {}).get("kind") != "answer":
                    spacing = self.messenger.spacing(ws)  # a new message in the conversation
                ref = await send()
            else:
                ref = send
        except DeliveryError as error:
            if error.throttled:
                return await self._throttled(row, error, now)
            return await self._record_failure(row, error, now), spacing
        except Exception as error:  # a bug or an unexpected reply: retry, then give up
            log.exception("outbox row %s: unexpected error", row.id)
            failure = DeliveryError(repr(error)[:300], permanent=False)
            return await self._record_failure(row, failure, now), spacing
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
        return outcome, spacing

    async def _throttled(
        self, row: OutboxRow, error: DeliveryError, now: dt.datetime
    ) -> tuple[str, float]:
        """The platform's rate limit: not a failure. The row is due again when it said."""
        wait = error.retry_after if error.retry_after is not None else 30.0
        log.info("outbox row %s: %s; its conversation waits %.0f s", row.id, error.reason, wait)
        async with self._uow() as uow:
            await uow.outbox.finish(
                row.id,
                status="pending",
                last_error=error.reason[:500],
                next_attempt_at=now + dt.timedelta(seconds=wait),
            )
            await uow.commit()
        return "throttled", wait

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

    async def _plan(self, uow: SqlUnitOfWork, ws: Workspace, row: OutboxRow) -> Any:
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


def conversation_of(row: OutboxRow) -> Hashable:
    """Where a row goes, as far as order and pacing are concerned."""
    dest = row.destination or {}
    if row.update_key:
        return (row.workspace_id, "message", row.update_key)
    kind = dest.get("kind")
    if kind == "thread":
        return (row.workspace_id, "message", dest.get("thread_key"))
    if kind in ("dm", "answer"):
        return (row.workspace_id, kind, dest.get("member_id"))
    return (row.workspace_id, "channel", dest.get("channel"))


class _Lane:
    """A conversation's rows waiting here, in order, and the task sending them."""

    def __init__(self) -> None:
        self.rows: deque[tuple[OutboxRow, asyncio.Future[str]]] = deque()
        self.task: asyncio.Task[None]


def lanes_of(
    rows: list[OutboxRow], lane_of_key: dict[str, Hashable] | None = None
) -> dict[Hashable, list[OutboxRow]]:
    """Rows by conversation, each lane in the order the rows were queued. A reply or an
    update goes in the lane of the message it follows when that is queued too (in this
    batch, or in `lane_of_key`), so it is sent after it, not found waiting for it."""
    lanes: dict[Hashable, list[OutboxRow]] = {}
    lane_of_key = dict(lane_of_key or {})
    for row in sorted(rows, key=lambda r: r.id):
        dest = row.destination or {}
        follows = row.update_key or (
            dest.get("thread_key") if dest.get("kind") == "thread" else None
        )
        lane = lane_of_key.get(follows) if follows else None
        if lane is None:
            lane = conversation_of(row)
        if row.key:
            lane_of_key[row.key] = lane
        lanes.setdefault(lane, []).append(row)
    return lanes
