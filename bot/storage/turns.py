"""SQLite takes one writer at a time, and every transaction here is a writer (BEGIN
IMMEDIATE). Left to SQLite, writers that find the database locked poll for it with growing
sleeps, so a busy process's transactions take turns by luck: under a steady load a
request's save could wait seconds behind workers that kept winning. `Turns` queues this
process's transactions instead, in order, urgent ones (a save the platform is waiting on)
first. Other processes on the same file (the console, a migration) still meet SQLite's
busy timeout."""

from __future__ import annotations

import asyncio
import heapq
import itertools

WAIT_AT_MOST = 30.0  # seconds, as SQLite's busy timeout: then the database is "busy"


class Turns:
    def __init__(self) -> None:
        self._busy = False
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    async def take(self, *, urgent: bool = False) -> None:
        """Wait for this transaction's turn; raises TimeoutError after WAIT_AT_MOST."""
        if not self._busy:
            self._busy = True
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (0 if urgent else 1, next(self._order), turn))
        try:
            await asyncio.wait_for(asyncio.shield(turn), WAIT_AT_MOST)
        except BaseException:
            if turn.done() and not turn.cancelled():
                self.give()  # handed the turn as it gave up: pass it on
            else:
                turn.cancel()  # skipped when its place comes
            raise

    def give(self) -> None:
        """End this transaction's turn: the next waiting one starts."""
        while self._queue:
            _, _, turn = heapq.heappop(self._queue)
            if not turn.done():
                turn.set_result(None)
                return
        self._busy = False
