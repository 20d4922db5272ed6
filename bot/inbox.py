"""The inbox worker: requests saved before their acknowledgement, handled a few at a time,
each once.

An adapter `accept`s a request (one INSERT, under a lease held by this process) before it
acknowledges it, then the request is handled here by the platform's handler, which marks it
done in the same transaction as its effects (`Receipt`). This process renews the leases of
the requests it holds; a crashed process's requests are taken up, once their lease runs
out, by the next start or another replica. A replayed request has the same key: it is not
saved twice, and a request handled twice changes nothing the second time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.core.errors import Unavailable
from bot.core.ports import Clock
from bot.priority import AcksFirst
from bot.storage.tables import InboxRow
from bot.storage.uow import SqlUnitOfWork

log = logging.getLogger("wowbot.inbox")
LEASE = dt.timedelta(seconds=20)  # renewed every tick while held; a crashed holder's run out
ACCEPT_TIMEOUT = 2.0  # seconds; the platform gives 3 for the acknowledgement
MAX_ATTEMPTS = 5
KEEP = dt.timedelta(days=1)  # handled keys kept to refuse replays (signatures live 5 minutes)
HOLD_AT_MOST = 500  # requests taken up from the table only while fewer are held here


@dataclass(frozen=True)
class Request:
    id: int
    platform: str
    kind: str
    key: str
    payload: dict[str, Any]
    received_at: dt.datetime

    @classmethod
    def of(cls, row: InboxRow) -> Request:
        return cls(row.id, row.platform, row.kind, row.key, row.payload or {}, row.received_at)


@dataclass(eq=False)
class _Pending:
    """A request waiting to be saved with the next batch."""

    platform: str
    kind: str
    key: str
    payload: dict[str, Any]
    saved: asyncio.Future[int | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    received_at: dt.datetime | None = None  # set when its batch is written
    abandoned: bool = False


def request_key(payload: dict[str, Any]) -> str:
    """The same request (a replay, a retry) always has the same key."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


Handler = Callable[[Request], Awaitable[None]]


class Inbox:
    def __init__(
        self,
        uow: Callable[[], SqlUnitOfWork],
        clock: Clock,
        *,
        workers: int = 4,
        acks: AcksFirst | None = None,
    ) -> None:
        self._uow, self.clock = uow, clock
        self.acks = acks or AcksFirst()  # a burst's acknowledgements go before its work
        self.owner = secrets.token_hex(8)  # this process, as the holder of leases
        self._handlers: dict[str, Handler] = {}
        self._work = asyncio.Semaphore(workers)
        self._tasks: set[asyncio.Task[None]] = set()
        self._held: set[int] = set()  # accepted or taken up here, not handled yet
        self._running: set[int] = set()
        self._stopping = False
        self._pending: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    def handle(self, platform: str, handler: Handler) -> None:
        self._handlers[platform] = handler

    async def accept(
        self, platform: str, kind: str, payload: dict[str, Any], key: str | None = None
    ) -> Request | None:
        """Save a request before it is acknowledged, and start handling it; None for one
        saved before (a replay). Raises `Unavailable` (or TimeoutError) if the database does
        not take it within ACCEPT_TIMEOUT: then it is not handled, ever (if the write lands
        after all, the row is marked refused).

        Requests arriving together are saved together, in one INSERT and one commit (a
        group commit), so a burst costs the database one transaction, not one each."""
        with self.acks.acking():
            entry = _Pending(platform, kind, key or request_key(payload), payload)
            return await self._accept(entry)

    async def _accept(self, entry: _Pending) -> Request | None:
        self._pending.append(entry)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())
        try:
            row_id = await asyncio.wait_for(asyncio.shield(entry.saved), ACCEPT_TIMEOUT)
        except TimeoutError:
            entry.abandoned = True
            raise
        if row_id is None:
            log.info(
                "inbox: a %s %s was received again and is not handled twice",
                entry.platform,
                entry.kind,
            )
            return None
        assert entry.received_at is not None
        request = Request(
            row_id, entry.platform, entry.kind, entry.key, entry.payload, entry.received_at
        )
        self._start(request)
        return request

    async def _write(self) -> None:
        """Save what is pending, batch after batch, until nothing is."""
        while self._pending:
            batch, self._pending = self._pending, []
            now = self.clock.now()
            first: dict[str, _Pending] = {}
            for entry in batch:
                entry.received_at = now
                first.setdefault(entry.key, entry)
            try:
                async with self._uow().urgent() as uow:  # the platform waits on it
                    saved = await uow.inbox.accept(
                        [(e.platform, e.kind, e.key, e.payload) for e in first.values()],
                        owner=self.owner,
                        now=now,
                        lease=LEASE,
                    )
                    await uow.commit()
            except Exception as error:
                for entry in batch:
                    if not entry.saved.done():
                        entry.saved.set_exception(error)
                        entry.saved.exception()  # retrieved here if its caller gave up
                continue
            late = []
            for entry in batch:
                row_id = saved.get(entry.key) if first[entry.key] is entry else None
                if entry.abandoned and row_id is not None:
                    late.append(row_id)
                elif not entry.saved.done():
                    entry.saved.set_result(row_id)
            if late:  # their senders were told nothing was saved: keep it so
                await self._refuse(late)

    async def _refuse(self, ids: list[int]) -> None:
        try:
            async with self._uow() as uow:
                await uow.inbox.refuse(ids, self.clock.now())
                await uow.commit()
        except Exception:
            log.error("inbox: %s request(s) saved too late could not be marked refused", len(ids))
        else:
            log.warning("inbox: %s request(s) saved too late were marked refused", len(ids))

    def _start(self, request: Request) -> None:
        self._held.add(request.id)
        task = asyncio.get_running_loop().create_task(self._process(request))
        self._tasks.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._tasks.discard)

    async def _process(self, request: Request) -> None:
        async with self._work:
            await self.acks.wait()
            if self._stopping:  # released on drain: the next start takes it up at once
                return
            self._running.add(request.id)
            try:
                await self._handlers[request.platform](request)
            except Unavailable as error:
                log.warning(
                    "inbox: request %s waits for the database (%s); it is handled once it answers",
                    request.id,
                    error,
                )
            except Exception:
                log.exception(
                    "inbox: request %s (%s) failed; it is tried again", request.id, request.kind
                )
            finally:
                self._running.discard(request.id)
                self._held.discard(request.id)

    async def tick(self) -> int:
        """Renew the leases held here; take up requests nobody holds. Returns how many."""
        now = self.clock.now()
        async with self._uow() as uow:
            if self._held:
                await uow.inbox.renew(self.owner, set(self._held), now + LEASE)
            rows = []
            if not self._stopping and self._handlers and len(self._held) < HOLD_AT_MOST:
                rows = await uow.inbox.claim(
                    self.owner, now, LEASE, HOLD_AT_MOST - len(self._held), list(self._handlers)
                )
            for row in rows:
                if row.attempts > MAX_ATTEMPTS:
                    log.error(
                        "inbox: a %s %s (request %s) failed %s times and is given up",
                        row.platform,
                        row.kind,
                        row.id,
                        MAX_ATTEMPTS,
                    )
                    await uow.inbox.give_up(row.id, now)
            await uow.commit()
        taken = [Request.of(row) for row in rows if row.attempts <= MAX_ATTEMPTS]
        for request in taken:
            if request.id not in self._held:
                self._start(request)
        return len(taken)

    async def prune(self) -> int:
        async with self._uow() as uow:
            gone = await uow.inbox.prune(self.clock.now() - KEEP)
            await uow.commit()
        return gone

    async def join(self) -> None:
        """Wait until every request accepted or taken up so far has been handled."""
        while running := [t for t in self._tasks if not t.done()]:
            await asyncio.wait(running)

    async def drain(self, timeout: float = 10) -> None:
        """On shutdown: let the requests being handled finish; release the rest, so the
        next start (or another replica) takes them up at once."""
        self._stopping = True
        running = [t for t in self._tasks if not t.done()]
        if running:
            await asyncio.wait(running, timeout=timeout)
        waiting = self._held - self._running
        if waiting:
            try:
                async with self._uow() as uow:
                    await uow.inbox.release(self.owner, waiting)
                    await uow.commit()
            except Exception:
                log.warning(
                    "inbox: could not release %s request(s); taken up after their lease",
                    len(waiting),
                )
            else:
                log.info("inbox: %s acknowledged request(s) left for the next start", len(waiting))
        if self._running:
            log.warning(
                "inbox: %s request(s) were still being handled %s s into shutdown; they are "
                "taken up again after their lease",
                len(self._running),
                timeout,
            )
