"""Ports: what the handlers need from the outside world, as Protocols.

Storage (`bot.storage`) and the adapters implement them; tests use SQLite-backed
storage and fakes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from bot.core.messages import Message, Outgoing
from bot.core.model import (
    CoreValue,
    DeliveryFailure,
    DigestRun,
    DigestSubscription,
    FollowUp,
    Gift,
    GiftStatus,
    HeroMoment,
    KpiDefinition,
    Member,
    Role,
    Workspace,
)


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware, UTC."""


class Profile(Protocol):
    name: str
    tz: str | None


class Directory(Protocol):
    """Looks up people on the platform (name, time zone) the first time the bot meets them."""

    async def profile(self, workspace: Workspace, user_id: str) -> Profile: ...


MessageRef = dict[str, Any]


class Messenger(Protocol):
    """Delivers neutral messages. Raises `DeliveryError` on failure."""

    async def post(
        self,
        workspace: Workspace,
        *,
        channel: str | None = None,
        thread: MessageRef | None = None,
        member: Member | None = None,
        message: Message,
    ) -> MessageRef: ...

    async def update(self, workspace: Workspace, ref: MessageRef, message: Message) -> None: ...


class WorkspaceRepository(Protocol):
    async def get_or_create(self, platform: str, external_id: str, timezone: str) -> Workspace: ...
    async def get(self, workspace_id: int) -> Workspace: ...
    async def save(self, workspace: Workspace) -> None: ...


class MemberRepository(Protocol):
    async def get(self, member_id: int) -> Member: ...
    async def by_user(self, workspace_id: int, user_id: str) -> Member | None: ...
    async def by_name(self, workspace_id: int, name: str) -> Member | None: ...
    async def add(
        self, workspace_id: int, user_id: str, name: str, tz: str, role: Role
    ) -> Member: ...
    async def save(self, member: Member) -> None: ...
    async def with_roles(self, workspace_id: int, roles: Sequence[Role]) -> list[Member]: ...
    async def by_ids(self, ids: Sequence[int]) -> dict[int, Member]: ...


class ValueRepository(Protocol):
    async def list(self, workspace_id: int) -> list[CoreValue]: ...
    async def add(self, workspace_id: int, name: str, slug: str) -> CoreValue: ...
    async def remove(self, value_id: int) -> None: ...


class HeroRepository(Protocol):
    async def add(self, moment: HeroMoment) -> HeroMoment: ...
    async def get(self, workspace_id: int, moment_id: int) -> HeroMoment | None: ...
    async def add_cheer(self, moment_id: int, member_id: int) -> bool: ...
    async def received_counts(
        self, workspace_id: int, since: dt.datetime | None, value_id: int | None
    ) -> list[tuple[int, int]]: ...
    async def between(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> list[HeroMoment]: ...
    async def involving(self, workspace_id: int, member_id: int) -> list[HeroMoment]: ...


class GiftRepository(Protocol):
    async def add(self, gift: Gift) -> Gift: ...
    async def get(self, workspace_id: int, gift_id: int) -> Gift | None: ...
    async def transition(
        self, gift_id: int, expected: GiftStatus, new: GiftStatus, **changes: Any
    ) -> bool: ...
    async def search(
        self,
        workspace_id: int,
        *,
        statuses: Sequence[GiftStatus] | None = None,
        proposer_id: int | None = None,
        customer: str | None = None,
        since: dt.datetime | None = None,
        limit: int = 50,
    ) -> list[Gift]: ...
    async def spend(self, workspace_id: int, start: dt.datetime, end: dt.datetime) -> Decimal: ...
    async def decided_between(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> list[Gift]: ...
    async def claim_sla_nudges(self, now: dt.datetime, limit: int) -> list[Gift]: ...
    async def next_sla_moment(self) -> dt.datetime | None: ...


class FollowUpRepository(Protocol):
    async def add(self, followup: FollowUp) -> FollowUp: ...
    async def get(self, workspace_id: int, followup_id: int) -> FollowUp | None: ...
    async def update_open(self, followup_id: int, **changes: Any) -> bool: ...
    async def open(
        self,
        workspace_id: int,
        *,
        owner_id: int | None = None,
        due_before: dt.datetime | None = None,
    ) -> list[FollowUp]: ...
    async def done_between(
        self, workspace_id: int, start: dt.datetime, end: dt.datetime
    ) -> list[FollowUp]: ...
    async def claim_due(self, now: dt.datetime, limit: int) -> list[FollowUp]: ...
    async def claim_nudges(
        self, now: dt.datetime, after: dt.timedelta, limit: int
    ) -> list[FollowUp]: ...
    async def next_moment(self, nudge_after: dt.timedelta) -> dt.datetime | None: ...


class KpiRepository(Protocol):
    async def definitions(self, workspace_id: int) -> list[KpiDefinition]: ...
    async def define(self, definition: KpiDefinition) -> None: ...
    async def remove(self, workspace_id: int, key: str) -> bool: ...
    async def record(
        self, workspace_id: int, key: str, day: dt.date, value: float, source: str
    ) -> None: ...
    async def series(
        self, workspace_id: int, key: str, start: dt.date, end: dt.date
    ) -> dict[dt.date, float]: ...


class DigestRepository(Protocol):
    async def subscriptions(self, workspace_id: int | None = None) -> list[DigestSubscription]: ...
    async def by_channel(self, workspace_id: int, channel: str) -> DigestSubscription | None: ...
    async def save(self, subscription: DigestSubscription) -> DigestSubscription: ...
    async def remove(self, subscription_id: int) -> None: ...
    async def claim_run(self, run: DigestRun) -> bool: ...
    async def runs_on(self, days: list[dt.date]) -> set[tuple[int, dt.date]]: ...
    async def runs(self, subscription_id: int, limit: int) -> list[DigestRun]: ...
    async def last_run_date(self, subscription_id: int) -> dt.date | None: ...


class Outbox(Protocol):
    async def add(self, workspace_id: int, outgoing: Outgoing, now: dt.datetime) -> None: ...
    async def failures(self, workspace_id: int, limit: int) -> list[DeliveryFailure]: ...


class UnitOfWork(Protocol):
    workspaces: WorkspaceRepository
    members: MemberRepository
    values: ValueRepository
    heroes: HeroRepository
    gifts: GiftRepository
    followups: FollowUpRepository
    kpis: KpiRepository
    digests: DigestRepository
    outbox: Outbox

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
