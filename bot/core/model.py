"""The WOW domain: plain dataclasses, no persistence concerns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar


class Role(StrEnum):
    MEMBER = "member"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def can_decide(self) -> bool:
        return self in (Role.MANAGER, Role.ADMIN)


class GiftStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"
    SENT = "sent"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


FOUR_CHECKS: tuple[str, ...] = ("personalized", "appropriate", "practical", "timely")


@dataclass
class Workspace:
    id: int
    platform: str
    external_id: str
    wall_channel: str | None = None
    gifts_channel: str | None = None
    budget: Decimal | None = None
    currency: str = "USD"
    sla_hours: int = 24
    followup_days: int = 14
    timezone: str = "UTC"
    recovery_channel: str | None = None
    recovery_sla_minutes: int = 240
    recovery_followup_days: int = 7


@dataclass
class Member:
    id: int
    workspace_id: int
    user_id: str
    name: str
    tz: str
    role: Role = Role.MEMBER
    email: str | None = None


@dataclass(frozen=True)
class Profile:
    """What a platform tells about a person the bot meets for the first time."""

    name: str
    tz: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Conversation:
    """A place the bot can post to unprompted, as its platform addresses it (Teams keeps
    one reference per channel, group chat and personal chat; Slack needs none)."""

    workspace_id: int
    conversation_id: str
    kind: str  # "channel", "groupChat" or "personal"
    address: dict[str, Any]  # the platform's own reference; opaque to the core
    user_id: str | None = None  # whose personal chat it is


@dataclass
class CoreValue:
    id: int
    workspace_id: int
    name: str
    slug: str


@dataclass
class HeroMoment:
    id: int
    workspace_id: int
    nominator_id: int
    nominee_ids: list[int]
    story: str
    created_at: dt.datetime
    customer: str | None = None
    value_id: int | None = None
    cheers: int = 0


@dataclass
class Gift:
    id: int
    workspace_id: int
    proposer_id: int
    customer: str
    gift: str
    why: str | None
    cost: Decimal
    currency: str
    checks: dict[str, bool | None]
    status: GiftStatus
    channel: str
    created_at: dt.datetime
    decided_by_id: int | None = None
    decided_at: dt.datetime | None = None
    decline_reason: str | None = None
    sent_at: dt.datetime | None = None
    nudge_due_at: dt.datetime | None = None
    nudged_at: dt.datetime | None = None


@dataclass
class FollowUp:
    id: int
    workspace_id: int
    owner_id: int
    customer: str
    note: str | None
    due_at: dt.datetime
    status: FollowUpStatus
    origin: str
    created_at: dt.datetime
    gift_id: int | None = None
    case_id: int | None = None  # the service recovery it checks on
    snoozes: int = 0
    reminders: int = 0
    reminded_at: dt.datetime | None = None
    nudged_at: dt.datetime | None = None
    done_at: dt.datetime | None = None
    reminder_key: str | None = None  # the message that carries its buttons now


@dataclass
class KpiDefinition:
    workspace_id: int
    key: str
    label: str
    unit: str
    target: float | None
    direction: Direction
    near: float | None = None
    source: str = "manual"
    low: float | None = None  # the scale: values outside low … high are refused
    high: float | None = None


@dataclass
class DigestSubscription:
    id: int
    workspace_id: int
    channel: str
    local_time: dt.time
    tz: str
    days: frozenset[int]
    created_at: dt.datetime
    skip_dates: frozenset[dt.date] = field(default_factory=frozenset)


@dataclass
class DigestRun:
    subscription_id: int
    local_date: dt.date
    status: str
    ran_at: dt.datetime
    error: str | None = None


@dataclass
class DeliveryFailure:
    description: str
    error: str
    at: dt.datetime


@dataclass
class KpiSource:
    """Where an HTTP-sourced KPI's value comes from. `auth_header` is a secret."""

    workspace_id: int
    key: str
    url: str
    pointer: str
    every_minutes: int
    auth_header: str | None = None
    id: int = 0
    next_poll_at: dt.datetime | None = None
    last_polled_at: dt.datetime | None = None
    last_ok_at: dt.datetime | None = None
    last_error: str | None = None


@dataclass
class ApiKey:
    workspace_id: int
    label: str
    created_at: dt.datetime


T = TypeVar("T")


@dataclass(frozen=True)
class Tally(Generic[T]):
    """How many things match, and the first few of them: what a summary shows, counted by
    the database rather than loaded."""

    count: int
    first: list[T]


@dataclass
class Feedback:
    """One customer's rating of one contact (SPEC §9). `score` is on `scale`: csat5 1–5,
    nps 0–10, thumbs 1 (good) or 0 (bad). `agent_id` is the member it is about, when known."""

    id: int
    workspace_id: int
    customer: str
    scale: str
    score: float
    comment: str | None
    agent_id: int | None
    source: str  # "typed", "push" or a helpdesk source
    given_at: dt.datetime
    created_at: dt.datetime
    ticket: str | None = None
    url: str | None = None
    by_id: int | None = None  # who typed it
    agent_ref: str | None = None  # how the helpdesk named the agent, while no member matches
    case_id: int | None = None  # the earlier recovery case of this customer it follows
