"""Typed commands of the customer voice (SPEC §9): feedback, recovery cases, agents."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordFeedback:
    """`/wow feedback Acme Dental 5/5 @bob: …`."""

    customer: str
    scale: str
    score: float
    agent: str | None = None  # the platform user id it is about
    comment: str | None = None


@dataclass(frozen=True)
class ListFeedback:
    scope: str = "recent"  # recent, praise, poor, unmatched (admins)


@dataclass(frozen=True)
class CaseStep:
    """`/wow recovery take 3`, `/wow recovery contacted 3`."""

    step: str  # "take" or "contacted"
    case: str


@dataclass(frozen=True)
class ResolveCase:
    """`/wow recovery resolve 3 recovered: they are happy with the refund`."""

    case: str
    outcome: str  # "recovered" or "not recovered"
    note: str


@dataclass(frozen=True)
class ListRecoveries:
    scope: str = "open"  # open, mine, all


@dataclass(frozen=True)
class SetAgent:
    """`/wow admin agent @bob bob@acme.com`: how a helpdesk names a member."""

    member: str
    ref: str


@dataclass(frozen=True)
class ListAgents:
    member: str | None = None


@dataclass(frozen=True)
class SetRecoverySla:
    minutes: int


@dataclass(frozen=True)
class SetFollowUpAfterRecovery:
    days: int


@dataclass(frozen=True)
class ForgetAgent:
    ref: str


@dataclass(frozen=True)
class SetFeedbackSource:
    """`/wow admin feedback source zendesk zendesk https://acme.zendesk.com auth="…"`."""

    name: str
    kind: str  # "zendesk" or "json"
    url: str
    every_minutes: int = 15
    auth_header: str | None = None
    fields: tuple[tuple[str, str], ...] = ()  # json: field → JSON pointer
    scale: str = "csat5"  # json: the scale its scores are on


@dataclass(frozen=True)
class RemoveFeedbackSource:
    name: str


@dataclass(frozen=True)
class ListFeedbackSources:
    pass
