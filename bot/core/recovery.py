"""Service recovery (SPEC §9): a poor rating opens a case; a manager takes it, contacts
the customer, maybe proposes a WOW gift, and resolves it as recovered or not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.core.texts.recovery import NOT_RECOVERED, RECOVERED


class CaseStatus(StrEnum):
    OPEN = "open"  # nobody has taken it yet
    TAKEN = "taken"  # an owner, who has not yet reached the customer
    CONTACTED = "contacted"
    RESOLVED = "resolved"


# Steps that can still be taken from each status; the storage makes each a conditional
# UPDATE on the status, so two people clicking at once cannot both win.
BEFORE_CONTACT = (CaseStatus.OPEN, CaseStatus.TAKEN)
UNRESOLVED = (CaseStatus.OPEN, CaseStatus.TAKEN, CaseStatus.CONTACTED)

OUTCOMES = (RECOVERED, NOT_RECOVERED)


@dataclass
class RecoveryCase:
    id: int
    workspace_id: int
    feedback_id: int
    customer: str
    agent_id: int | None
    status: CaseStatus
    channel: str
    due_at: dt.datetime
    created_at: dt.datetime
    owner_id: int | None = None
    gift_id: int | None = None
    outcome: str | None = None
    note: str | None = None
    escalated_at: dt.datetime | None = None
    taken_at: dt.datetime | None = None
    contacted_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None

    @property
    def root_key(self) -> str:
        """The outbox key of the case's root message; its thread carries every step."""
        return f"case:{self.id}:root"

    def overdue(self, now: dt.datetime) -> bool:
        return self.status in BEFORE_CONTACT and now >= self.due_at


def read_outcome(text: str) -> str | None:
    word = " ".join(text.lower().replace("_", " ").replace("-", " ").split())
    if word in OUTCOMES:
        return word
    return {"yes": RECOVERED, "no": NOT_RECOVERED}.get(word)
