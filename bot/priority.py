"""Acknowledgements before work.

Slack waits at most 3 seconds for an acknowledgement and retries without one; the work
behind an acknowledged request is saved (the inbox) and can wait a moment. On one event
loop every piece of work runs between the acknowledgements' steps and stretches them, so
the inbox's workers and the outbox's sender `wait()` before each piece of work while
acknowledgements are in flight. That holds only for a burst: once acknowledgements have
kept coming for `patience` seconds, work shares the loop again, so a steady stream still
gets its work done.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

QUIET = 0.05  # seconds without an acknowledgement in flight that end a burst
PATIENCE = 2.0  # seconds a burst may hold work back


class AcksFirst:
    def __init__(
        self,
        *,
        quiet: float = QUIET,
        patience: float = PATIENCE,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet, self.patience, self._now = quiet, patience, now
        self._in_flight = 0
        self._last = float("-inf")  # when the last acknowledgement went out
        self._burst_since: float | None = None

    @contextmanager
    def acking(self) -> Iterator[None]:
        """Around the handling of a request whose sender waits for its acknowledgement."""
        now = self._now()
        if not self._in_flight and now - self._last >= self.quiet:
            self._burst_since = now  # a new burst
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            self._last = self._now()

    def holding(self) -> bool:
        """Whether work should wait now."""
        if self._burst_since is None:
            return False
        now = self._now()
        if not self._in_flight and now - self._last >= self.quiet:
            return False  # the burst is over
        return now - self._burst_since < self.patience

    async def wait(self) -> None:
        """Return when work may run: no burst, or a burst longer than `patience`."""
        while self.holding():
            await asyncio.sleep(min(self.quiet, 0.02) or 0.005)
