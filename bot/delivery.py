"""The outbox sender: delivers what handlers and jobs queued, once, in order.

Rows are leased (a crashed worker's lease expires and another picks the row up),
sent through the Messenger, and marked sent with the platform's reference, so later
rows can reply in the thread of, or update, an earlier one. Retryable failures back
off exponentially (honouring Retry-After); permanent ones are recorded for admins.

Conversations are sent to in parallel (CONCURRENCY messages at a time), each in order and
paced by its platform's limit (`Messenger.spacing`). A rate limit (429) pauses only the
conversation it came from, for as long as the platform said: its rows go back to the
table until then, and no sender sleeps through it. A conversation keeps here what it can
send in HOLD_SECONDS; the rest go back to the table until then, where another replica may
take them up, so one busy channel neither fills this process nor holds other ones back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Callable, Hashable
from typing import Any

from bot.core.errors import DeliveryError, Unavailable
from bot.core.ports import Clock, Messenger
from bot.lanes import Held, Lane, lanes_of, paced
from bot.priority import AcksFirst
from bot.sending import WAITING, plan, record_failure
from bot.storage.tables import OutboxRow
from bot.storage.uow import SqlUnitOfWork

log = logging.getLogger("wowbot.delivery")
# Renewed every few seconds while the sending process lives (`renew`); a crashed one's rows
# are taken up by the next start or another replica once it runs out.
LEASE = dt.timedelta(seconds=30)
CONCURRENCY = 8  # messages being sent at once, to different conversations
HOLD_AT_MOST = 5_000  # rows taken up by this process and not sent yet
HOLD_SECONDS = 30.0  # a paced conversation keeps here what it can send in this long
PAUSE_IN_PLACE = 2.0  # seconds a conversation's pause is waited out; longer: rows go back


class OutboxSender:
    def __init__(
        self,
        uow: Callable[[], SqlUnitOfWork],
        messenger: Messenger,
        clock: Clock,
        *,
        acks: AcksFirst | None = None,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self._uow, self.messenger, self.clock = uow, messenger, clock
        self.acks = acks or AcksFirst()  # a burst's acknowledgements go before sends
        # One at a time, the conversations take turns in the order their rows were taken up
        # (the semaphore's waiters are served first come, first served): the same order
        # every run, which the console's numbered buttons need.
        self._sending = asyncio.Semaphore(concurrency)
        self._claiming = asyncio.Lock()  # rows are in their lanes before the next claim
        self._lanes: dict[Hashable, Lane] = {}  # conversations with rows to send here
        self._lane_of_key: dict[str, Hashable] = {}  # rows queued here, by their key
        # Pacing runs on the event loop's monotonic clock (the platform's limits are in
        # real seconds); when rows are due again is the business clock's.
        self._free_at: dict[Hashable, float] = {}  # conversation: when it may get the next
        self._back_until: dict[Hashable, dt.datetime] = {}  # rows given back until then
        self._spacing: dict[int, float] = {}  # by workspace id
        self._kicked: asyncio.Task[None] | None = None
        self._stopping = False
        self._again = False
        self.owner = secrets.token_hex(8)
        self._held: set[int] = set()  # rows leased to this process and not finished
        self.on_later: Callable[[], None] | None = None  # a row was put off to a given time

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
        to `in_flight` more seconds (the HTTP timeout). What is left goes back to the
        outbox for the next start or another replica."""

        async def send_what_is_due() -> None:
            if self._kicked is not None:
                await asyncio.gather(self._kicked, return_exceptions=True)
            try:
                await self.deliver_due()
            except Exception:
                log.warning("outbox: the last delivery before shutdown failed", exc_info=True)

        last = asyncio.get_running_loop().create_task(send_what_is_due())
        await asyncio.wait([last], timeout=timeout)
        self._stopping = True  # each conversation stops after the message it is sending

        async def settle() -> None:
            await asyncio.gather(last, return_exceptions=True)
            await self.idle()

        try:
            await asyncio.wait_for(asyncio.shield(settle()), in_flight)
        except TimeoutError:
            log.warning(
                "outbox: a message was still being sent %s s into shutdown; it goes out "
                "again after its lease (%s)",
                timeout + in_flight,
                LEASE,
            )

    async def _release(self, held: list[Held], not_before: dt.datetime | None = None) -> None:
        """Give rows back to the table, to be sent (in order) from `not_before` on."""
        if held:
            async with self._uow() as uow:
                await uow.outbox.release(self.owner, [h.id for h in held], not_before)
                await uow.commit()
            if not_before is not None:
                self._later()
        self._finish(held, "released")

    def _later(self) -> None:
        if self.on_later is not None:
            self.on_later()

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
                await self.pick_up()
            except Exception:  # the scheduler's next run tries again
                log.exception("outbox delivery failed")
            if not self._again:
                return

    async def pick_up(self) -> None:
        """Take up what is due into the conversations' lanes, which send it on their own."""
        await self._claim_due()

    async def deliver_due(self, limit: int = 100) -> int:
        """Send every row that is due now, and wait until every conversation being sent to
        here is done; returns how many of the rows this call took up were sent."""
        outcomes = await asyncio.gather(*await self._claim_due(limit, watch=True))
        await self.idle()
        return outcomes.count("sent")

    async def idle(self) -> None:
        """Wait until no conversation has rows waiting here."""
        while tasks := [lane.task for lane in self._lanes.values() if lane.task and lane.running]:
            await asyncio.wait(tasks)

    async def _claim_due(
        self, limit: int = 100, *, watch: bool = False
    ) -> list[asyncio.Future[str]]:
        """Take up due rows, `limit` at a time, into their conversations' lanes; returns
        their outcomes to be (with `watch`). Stops at HOLD_AT_MOST rows held here (the rest
        wait for the next run, or for another replica)."""
        outcomes: list[asyncio.Future[str]] = []
        async with self._claiming:
            while not self._stopping and len(self._held) < HOLD_AT_MOST:
                await self.acks.wait()
                room = min(limit, HOLD_AT_MOST - len(self._held))
                now = self.clock.now()
                keep: list[tuple[Hashable, Held]] = []
                async with self._uow() as uow:
                    rows = await uow.outbox.claim(now, LEASE, room, self.owner)
                    for ws_id in {row.workspace_id for row in rows} - self._spacing.keys():
                        ws = await uow.workspaces.get(ws_id)
                        self._spacing[ws_id] = max(0.0, self.messenger.spacing(ws))
                    # Rows of a conversation that holds enough here go back at once, in
                    # this transaction: a busy channel costs no second one per claim.
                    back: dict[dt.datetime, list[int]] = {}
                    planned: dict[Hashable, int] = {}  # rows kept per lane in this claim
                    for key, lane_rows in lanes_of(rows, self._lane_of_key).items():
                        spacing = self._spacing[lane_rows[0].workspace_id]
                        for row in lane_rows:
                            outcome = asyncio.get_running_loop().create_future() if watch else None
                            held = Held(row.id, row.key, outcome)
                            if outcome is not None:
                                outcomes.append(outcome)
                            until = self._over(key, spacing, now, planned.get(key, 0))
                            if until is not None:
                                back.setdefault(until, []).append(row.id)
                                if outcome is not None:
                                    outcome.set_result("released")
                            else:
                                keep.append((key, held))
                                planned[key] = planned.get(key, 0) + 1
                    for until, ids in back.items():
                        await uow.outbox.release(self.owner, ids, until)
                    await uow.commit()
                for key, held in keep:
                    self._held.add(held.id)
                    self._enqueue(key, held)
                if back:
                    self._later()
                if len(rows) < room:
                    break
        return outcomes

    def _over(
        self, key: Hashable, spacing: float, now: dt.datetime, coming: int = 0
    ) -> dt.datetime | None:
        """When a row for this conversation must come back, if it cannot be kept here now:
        the conversation has rows given back until then (they go first), or it holds what
        it can send in HOLD_SECONDS already (with `coming` more about to join it)."""
        until = self._back_until.get(key)
        if until is not None and until > now:
            return until
        self._back_until.pop(key, None)
        if not paced(key) or spacing <= 0:
            return None
        lane = self._lanes.get(key)
        queued = (len(lane.rows) if lane is not None else 0) + coming
        if queued * spacing < HOLD_SECONDS:
            return None
        until = now + dt.timedelta(seconds=queued * spacing)
        self._back_until[key] = until
        return until

    def _enqueue(self, key: Hashable, held: Held) -> None:
        if held.key:
            self._lane_of_key[held.key] = key
        lane = self._lanes.get(key)
        if lane is None or not lane.running:
            lane = self._lanes[key] = Lane()
            lane.task = asyncio.get_running_loop().create_task(self._drive(key, lane))
        lane.rows.append(held)

    async def _drive(self, key: Hashable, lane: Lane) -> None:
        """Send one conversation's rows, in order, each once the conversation may get it."""
        loop = asyncio.get_running_loop()
        try:
            while lane.rows:
                await self.acks.wait()
                if self._stopping:  # the rest go out on the next start, or from a replica
                    await self._release(self._take_all(lane))
                    break
                pause = self._free_at.get(key, 0.0) - loop.time()
                if pause > 0:
                    await asyncio.sleep(pause)
                    continue  # acknowledgements may have come meanwhile: they go first
                held = lane.rows[0]
                async with self._sending:
                    result, wait = await self._deliver(held)
                self._free_at[key] = loop.time() + wait
                if result == "again":  # throttled for a moment: this row goes first still
                    continue
                lane.rows.popleft()
                self._finish([held], result)
                if result == "throttled":
                    # A long wait: the conversation's rows go back to the table until the
                    # platform's pause ends, and any that come meanwhile after them.
                    until = self.clock.now() + dt.timedelta(seconds=wait)
                    self._back_until[key] = until
                    del self._free_at[key]
                    await self._release(self._take_all(lane), until)
                    break
        except Exception:  # the database is down: the rows' leases run out, then they go out
            log.warning("outbox: sending to a conversation stopped", exc_info=True)
            self._finish(self._take_all(lane), "failed")
        finally:
            if self._lanes.get(key) is lane:
                del self._lanes[key]
            self._forget_the_past()

    @staticmethod
    def _take_all(lane: Lane) -> list[Held]:
        rest = list(lane.rows)
        lane.rows.clear()
        return rest

    def _finish(self, held: list[Held], result: str) -> None:
        for row in held:
            self._held.discard(row.id)
            if row.key and row.key in self._lane_of_key:
                del self._lane_of_key[row.key]
            if row.outcome is not None and not row.outcome.done():
                row.outcome.set_result(result)

    def _forget_the_past(self) -> None:
        if len(self._free_at) > 10_000:
            now = asyncio.get_running_loop().time()
            self._free_at = {k: t for k, t in self._free_at.items() if t > now}
        if len(self._back_until) > 10_000:
            today = self.clock.now()
            self._back_until = {k: t for k, t in self._back_until.items() if t > today}

    async def _deliver(self, held: Held) -> tuple[str, float]:
        """Send one row; returns what became of it and how many seconds its conversation
        must wait before the next message. No transaction is held while the platform is
        called: a messenger may need the database itself (Teams' conversation references),
        and on SQLite a held write lock would stall every other writer for the length of an
        HTTP call."""
        now = self.clock.now()
        spacing = 0.0
        row: OutboxRow | None = None
        try:
            async with self._uow().reading() as uow:  # the row, and what sending it takes
                row = await uow.outbox.held(held.id, self.owner)
                if row is None:  # its lease ran out and another worker took it up
                    return "lost", 0.0
                ws = await uow.workspaces.get(row.workspace_id)
                send = await plan(uow, self.messenger, self.clock.now(), ws, row)
            if callable(send):
                if not row.update_key and (row.destination or {}).get("kind") != "answer":
                    spacing = self.messenger.spacing(ws)  # a new message in the conversation
                ref = await send()
            else:
                ref = send
        except DeliveryError as error:
            assert row is not None  # raised by the plan or the send
            if error.throttled:
                return await self._throttled(row, error, now)
            return await self._record_failure(row, error, now), spacing
        except Exception as error:  # a bug or an unexpected reply: retry, then give up
            if row is None:  # the row could not be read (the database is down): not an attempt
                raise
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
        if outcome == "waiting":
            self._later()
        return outcome, spacing

    async def _throttled(
        self, row: OutboxRow, error: DeliveryError, now: dt.datetime
    ) -> tuple[str, float]:
        """The platform's rate limit: not a failure. A short wait is waited out here, the
        row first in its conversation still ("again"); after a longer one the row is due
        again when the platform said."""
        wait = error.retry_after if error.retry_after is not None else 30.0
        if wait <= PAUSE_IN_PLACE:
            return "again", wait
        log.info("outbox row %s: %s; its conversation waits %.0f s", row.id, error.reason, wait)
        async with self._uow() as uow:
            await uow.outbox.finish(
                row.id,
                status="pending",
                last_error=error.reason[:500],
                next_attempt_at=now + dt.timedelta(seconds=wait),
            )
            await uow.commit()
        self._later()
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
            await record_failure(uow, row, error, now)
            await uow.commit()
        if error.skipped:
            return "skipped"
        self._later()  # a retry, most often
        return "failed"
