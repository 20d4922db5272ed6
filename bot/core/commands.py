"""Typed commands: what the `/wow` grammar parses into. Members are platform user ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bot.core.commands_voice import (
    CaseStep,
    ForgetAgent,
    ListAgents,
    ListFeedback,
    ListFeedbackSources,
    ListRecoveries,
    RecordFeedback,
    RemoveFeedbackSource,
    ResolveCase,
    SetAgent,
    SetFeedbackSource,
    SetFollowUpAfterRecovery,
    SetRecoverySla,
)


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class OpenHeroForm:
    pass


@dataclass(frozen=True)
class RecordHero:
    nominees: tuple[str, ...]
    story: str  # may end in "#value", resolved against the workspace's values
    customer: str | None = None
    value: str | None = None  # set by forms, where the value is picked, not typed


@dataclass(frozen=True)
class Leaderboard:
    period: str = "month"
    value: str | None = None


@dataclass(frozen=True)
class Stats:
    member: str | None = None
    period: str = "all"


@dataclass(frozen=True)
class Values:
    pass


@dataclass(frozen=True)
class Me:
    tz: str | None = None


@dataclass(frozen=True)
class OpenGiftForm:
    pass


@dataclass(frozen=True)
class ProposeGift:
    customer: str
    gift: str
    why: str | None = None
    cost: Decimal | None = None
    currency: str | None = None
    checks: tuple[tuple[str, bool], ...] = ()
    case: str | None = None  # the recovery case it is meant to help (its id, as typed)


@dataclass(frozen=True)
class ConfirmGiftChecks:
    gift: str  # the id as typed
    met: tuple[str, ...]  # the checks the gift meets; the rest of the four it does not


@dataclass(frozen=True)
class ListGifts:
    scope: str = "pending"


@dataclass(frozen=True)
class AddFollowUp:
    customer: str
    when: str
    note: str | None = None


@dataclass(frozen=True)
class FinishFollowUp:
    id: str


@dataclass(frozen=True)
class CancelFollowUp:
    id: str


@dataclass(frozen=True)
class MoveFollowUp:
    id: str
    when: str


@dataclass(frozen=True)
class NoteFollowUp:
    id: str
    note: str


@dataclass(frozen=True)
class ListFollowUps:
    scope: str = "mine"


@dataclass(frozen=True)
class ShowKpis:
    pass


@dataclass(frozen=True)
class LogKpi:
    key: str
    value: float
    day: dt.date | None = None
    unit: str = ""  # as typed after the value ("95%"), if it was


@dataclass(frozen=True)
class DigestSubscribe:
    at: dt.time
    channel: str | None = None
    tz: str | None = None
    days: frozenset[int] | None = None


@dataclass(frozen=True)
class DigestUnsubscribe:
    channel: str | None = None


@dataclass(frozen=True)
class DigestSkip:
    day: str  # a phrase naming a day, read in the subscription's zone
    channel: str | None = None


@dataclass(frozen=True)
class DigestPreview:
    pass


@dataclass(frozen=True)
class DigestNow:
    pass


@dataclass(frozen=True)
class DigestStatus:
    pass


@dataclass(frozen=True)
class ListRoles:
    pass


@dataclass(frozen=True)
class SetRole:
    role: str  # "manager" or "admin"
    add: bool
    members: tuple[str, ...]


@dataclass(frozen=True)
class SetChannel:
    which: str  # "wall" or "gifts"
    channel: str | None = None


@dataclass(frozen=True)
class AddValue:
    name: str
    slug: str | None = None


@dataclass(frozen=True)
class RemoveValue:
    name: str


@dataclass(frozen=True)
class SetBudget:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class SetSla:
    hours: int


@dataclass(frozen=True)
class SetFollowUpAfterGift:
    days: int


@dataclass(frozen=True)
class DefineKpi:
    key: str
    label: str
    unit: str
    target: float | None
    direction: str
    near: float | None = None
    source: str = "manual"
    low: float | None = None  # min=: values below are refused
    high: float | None = None  # max=


@dataclass(frozen=True)
class RemoveKpi:
    key: str


@dataclass(frozen=True)
class SetKpiSource:
    key: str
    kind: str  # "manual", "push" or "http"
    url: str | None = None
    pointer: str = ""
    every_minutes: int = 15
    auth_header: str | None = None


@dataclass(frozen=True)
class EnableKpiPreset:
    name: str


@dataclass(frozen=True)
class CreateApiKey:
    label: str


@dataclass(frozen=True)
class RevokeApiKey:
    label: str


@dataclass(frozen=True)
class ListApiKeys:
    pass


@dataclass(frozen=True)
class KpiStatus:
    pass


@dataclass(frozen=True)
class KpiHistory:
    key: str
    days: int = 30


Command = (
    Help
    | OpenHeroForm
    | RecordHero
    | Leaderboard
    | Stats
    | Values
    | Me
    | OpenGiftForm
    | RecordFeedback
    | ListFeedback
    | CaseStep
    | ResolveCase
    | ListRecoveries
    | SetAgent
    | ForgetAgent
    | ListAgents
    | SetRecoverySla
    | SetFollowUpAfterRecovery
    | SetFeedbackSource
    | RemoveFeedbackSource
    | ListFeedbackSources
    | ProposeGift
    | ConfirmGiftChecks
    | ListGifts
    | AddFollowUp
    | FinishFollowUp
    | CancelFollowUp
    | MoveFollowUp
    | NoteFollowUp
    | ListFollowUps
    | ShowKpis
    | LogKpi
    | DigestSubscribe
    | DigestUnsubscribe
    | DigestSkip
    | DigestPreview
    | DigestNow
    | DigestStatus
    | SetRole
    | ListRoles
    | SetChannel
    | AddValue
    | RemoveValue
    | SetBudget
    | SetSla
    | SetFollowUpAfterGift
    | DefineKpi
    | RemoveKpi
    | SetKpiSource
    | EnableKpiPreset
    | CreateApiKey
    | RevokeApiKey
    | ListApiKeys
    | KpiStatus
    | KpiHistory
)


@dataclass(frozen=True)
class Action:
    """A button press or a form submission."""

    name: str  # e.g. "gift.approve"
    value: str  # e.g. the gift id
    text: str | None = None  # a typed answer (a decline reason)
    fields: tuple[tuple[str, str], ...] = ()  # submitted form values


__all__ = [
    "CaseStep",
    "ForgetAgent",
    "ListAgents",
    "ListFeedback",
    "ListFeedbackSources",
    "ListRecoveries",
    "RecordFeedback",
    "RemoveFeedbackSource",
    "ResolveCase",
    "SetAgent",
    "SetFeedbackSource",
    "SetFollowUpAfterRecovery",
    "SetRecoverySla",
]
