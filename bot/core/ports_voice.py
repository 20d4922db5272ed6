"""Ports of the customer voice (SPEC §9): feedback, the helpdesks polled for it, agents'
helpdesk names, recovery cases."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any, Literal, Protocol

from bot.core.feedback_sources import FeedbackSource
from bot.core.model import Feedback, Tally
from bot.core.recovery import CaseStatus, RecoveryCase


class FeedbackRepository(Protocol):
    async def save(self, feedback: Feedback) -> tuple[Feedback, Feedback | None]:
        """Add it; a rating of a ticket its source already gave replaces that one. Returns
        the saved feedback and what it replaced, if anything."""
        ...

    async def get(self, workspace_id: int, feedback_id: int) -> Feedback | None: ...
    async def recent(self, workspace_id: int, kind: str, limit: int) -> list[Feedback]: ...
    async def unmatched(self, workspace_id: int, limit: int) -> list[Feedback]: ...
    async def match(self, workspace_id: int, agent_ref: str, member_id: int) -> int:
        """Give the unmatched feedback named `agent_ref` its member; how many there were."""
        ...

    async def link(self, feedback_id: int, case_id: int) -> None: ...
    async def praise_for(
        self, workspace_id: int, agent_id: int, since: dt.datetime | None, limit: int
    ) -> Tally[Feedback]: ...
    async def tallies(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> dict[str, tuple[int, float, int, int]]:
        """Per scale: (ratings, sum of scores, praise, poor) given in [start, end)."""
        ...

    async def quotes(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime, limit: int
    ) -> list[Feedback]: ...
    async def following(self, case_id: int) -> list[Feedback]: ...


class AgentRepository(Protocol):
    """The names helpdesks give members (`admin agent`), lowercased."""

    async def alias(self, workspace_id: int, alias: str, member_id: int) -> int | None:
        """Point `alias` at the member; the member it pointed at before, if another."""
        ...

    async def member_for(self, workspace_id: int, alias: str) -> int | None: ...
    async def aliases(self, workspace_id: int, member_id: int) -> list[str]: ...
    async def forget(self, workspace_id: int, alias: str) -> bool: ...


class RecoveryRepository(Protocol):
    async def add(self, case: RecoveryCase) -> RecoveryCase: ...
    async def get(self, workspace_id: int, case_id: int) -> RecoveryCase | None: ...
    async def for_feedback(self, feedback_id: int) -> RecoveryCase | None: ...
    async def by_gift(self, gift_id: int) -> RecoveryCase | None: ...
    async def latest_for(
        self, workspace_id: int, customer: str, before: dt.datetime
    ) -> RecoveryCase | None: ...
    async def step(
        self,
        case_id: int,
        allowed: tuple[CaseStatus, ...],
        owner: int | Literal["any"] | None = "any",
        **changes: Any,
    ) -> bool:
        """Change the case only while its status is one of `allowed` (and its owner is
        `owner`, unless "any"): False if someone changed it first."""
        ...

    async def claim_escalations(self, now: dt.datetime, limit: int) -> list[RecoveryCase]: ...
    async def next_escalation(self) -> dt.datetime | None: ...
    async def outcomes(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> tuple[int, int]: ...
    async def median_contact_hours(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> float | None: ...
    async def open_count(self, workspace_id: int) -> int: ...
    async def unposted(self, workspace_id: int, limit: int | None = None) -> list[RecoveryCase]:
        """Unresolved cases that came in while there was no channel to post them to, the
        oldest first (at most `limit`)."""
        ...

    async def place(self, case_id: int, channel: str) -> bool:
        """Give an unposted case its channel; False if it has one already."""
        ...

    async def listed(
        self,
        workspace_id: int,
        statuses: tuple[CaseStatus, ...],
        limit: int,
        owner_id: int | None = None,
        *,
        oldest_first: bool = False,
    ) -> list[RecoveryCase]: ...


class FeedbackSourceRepository(Protocol):
    async def get(self, workspace_id: int, name: str) -> FeedbackSource | None: ...
    async def list(self, workspace_id: int) -> list[FeedbackSource]: ...
    async def save(self, source: FeedbackSource, now: dt.datetime) -> None:
        """Create or change a source; it is polled at once. A new source, or one pointed
        at another address or kind, starts from now."""
        ...

    async def remove(self, workspace_id: int, name: str) -> bool: ...
    async def claim_due(self, now: dt.datetime, limit: int) -> builtins.list[FeedbackSource]: ...
    async def record_poll(
        self,
        source_id: int,
        *,
        at: dt.datetime,
        next_at: dt.datetime,
        error: str | None,
        taken: int,
        cursor: str | None,
    ) -> None: ...
