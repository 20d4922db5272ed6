"""Typed declarative tables. Every timestamp is stored and returned as aware UTC."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.core.limits import LIMITS

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC in, aware UTC out, on SQLite (naive storage) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def aware_utc(value: dt.datetime | str | None) -> dt.datetime | None:
    """Aggregates (min, max) bypass UTCDateTime, so SQLite hands back naive or text UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class WorkspaceRow(Base):
    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(LIMITS["workspace id"]))
    wall_channel: Mapped[str | None] = mapped_column(String(LIMITS["channel"]))
    gifts_channel: Mapped[str | None] = mapped_column(String(LIMITS["channel"]))
    budget: Mapped[Decimal | None] = mapped_column(Numeric(15, 3))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    sla_hours: Mapped[int] = mapped_column(Integer, default=24)
    followup_days: Mapped[int] = mapped_column(Integer, default=14)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    recovery_channel: Mapped[str | None] = mapped_column(String(LIMITS["channel"]))
    recovery_sla_minutes: Mapped[int] = mapped_column(Integer, default=240)
    recovery_followup_days: Mapped[int] = mapped_column(Integer, default=7)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class MemberRow(Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id"),
        Index("ix_members_ws_email", "workspace_id", "email"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(LIMITS["user id"]))
    name: Mapped[str] = mapped_column(String(LIMITS["name"]))
    tz: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="member")
    # As the platform's profile gave it (lowercased), to match a helpdesk's agent by email
    email: Mapped[str | None] = mapped_column(String(LIMITS["email"]))


class CoreValueRow(Base):
    __tablename__ = "core_values"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(LIMITS["value name"]))
    slug: Mapped[str] = mapped_column(String(LIMITS["slug"]))


class HeroMomentRow(Base):
    __tablename__ = "hero_moments"
    __table_args__ = (Index("ix_hero_moments_ws_created", "workspace_id", "created_at"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    nominator_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    story: Mapped[str] = mapped_column(Text)
    customer: Mapped[str | None] = mapped_column(String(LIMITS["customer"]))
    value_id: Mapped[int | None] = mapped_column(ForeignKey("core_values.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class NomineeRow(Base):
    __tablename__ = "hero_nominees"
    moment_id: Mapped[int] = mapped_column(
        ForeignKey("hero_moments.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True, index=True)


class CheerRow(Base):
    __tablename__ = "cheers"
    moment_id: Mapped[int] = mapped_column(
        ForeignKey("hero_moments.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)


class GiftRow(Base):
    __tablename__ = "gifts"
    __table_args__ = (
        Index("ix_gifts_ws_status_created", "workspace_id", "status", "created_at"),
        Index("ix_gifts_status_nudged_due", "status", "nudged_at", "nudge_due_at"),
        Index("ix_gifts_ws_decided", "workspace_id", "decided_at"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    proposer_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    customer: Mapped[str] = mapped_column(String(LIMITS["customer"]))
    gift: Mapped[str] = mapped_column(String(LIMITS["gift"]))
    why: Mapped[str | None] = mapped_column(String(LIMITS["why"]))
    cost: Mapped[Decimal] = mapped_column(Numeric(15, 3))
    currency: Mapped[str] = mapped_column(String(3))
    checks: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(LIMITS["channel"]))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(String(LIMITS["reason"]))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    nudge_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    nudged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class FollowUpRow(Base):
    __tablename__ = "followups"
    __table_args__ = (
        Index("ix_followups_status_reminded_due", "status", "reminded_at", "due_at"),
        Index("ix_followups_ws_status_due", "workspace_id", "status", "due_at"),
        Index("ix_followups_ws_status_done", "workspace_id", "status", "done_at"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    customer: Mapped[str] = mapped_column(String(LIMITS["customer"]))
    note: Mapped[str | None] = mapped_column(String(LIMITS["note"]))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    gift_id: Mapped[int | None] = mapped_column(ForeignKey("gifts.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("recovery_cases.id", ondelete="SET NULL", use_alter=True)
    )
    snoozes: Mapped[int] = mapped_column(Integer, default=0)
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    nudged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The outbox key of the message that carries this follow-up's Done / Snooze buttons now
    # (a reminder of its own, or one listing what fell due together).
    reminder_key: Mapped[str | None] = mapped_column(String(120))


class KpiDefinitionRow(Base):
    __tablename__ = "kpi_definitions"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(LIMITS["label"]))
    unit: Mapped[str] = mapped_column(String(LIMITS["unit"]))
    target: Mapped[float | None]
    direction: Mapped[str] = mapped_column(String(8))
    near: Mapped[float | None]
    source: Mapped[str] = mapped_column(String(16), default="manual")
    low: Mapped[float | None]
    high: Mapped[float | None]


class KpiValueRow(Base):
    __tablename__ = "kpi_values"
    __table_args__ = (UniqueConstraint("workspace_id", "key", "day"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float]
    source: Mapped[str] = mapped_column(String(16))


class DigestSubscriptionRow(Base):
    __tablename__ = "digest_subscriptions"
    __table_args__ = (UniqueConstraint("workspace_id", "channel"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(LIMITS["channel"]))
    local_time: Mapped[dt.time] = mapped_column(Time)
    tz: Mapped[str] = mapped_column(String(64))
    days: Mapped[list[int]] = mapped_column(JSON)
    skip_dates: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class DigestRunRow(Base):
    """One row per subscription per local date: the unique key makes each digest go out once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("subscription_id", "local_date"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("digest_subscriptions.id", ondelete="CASCADE")
    )
    local_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    ran_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str | None] = mapped_column(String(120), unique=True)
    update_key: Mapped[str | None] = mapped_column(String(120), index=True)
    destination: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    owner: Mapped[str | None] = mapped_column(String(32))  # the process holding the lease
    platform_ref: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class InboxRow(Base):
    """A request a platform sent and the bot acknowledged, saved before the acknowledgement.

    `key` makes a replayed or retried request one row; the worker that processes the row
    marks it done in the same transaction as the request's effects (see `SqlInbox.finish`).
    A row is held by one process (`owner`) while its lease lasts; the holder renews the
    lease, so a crashed process's rows are taken up by the next start or another replica."""

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_status_lease", "status", "lease_until"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    platform: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    owner: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class KpiSourceRow(Base):
    """An HTTP JSON source the bot polls for one KPI."""

    __tablename__ = "kpi_sources"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index("ix_kpi_sources_next_poll", "next_poll_at"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(LIMITS["URL"]))
    pointer: Mapped[str] = mapped_column(String(LIMITS["pointer"]))
    every_minutes: Mapped[int] = mapped_column(Integer)
    auth_header: Mapped[str | None] = mapped_column(
        String(LIMITS["auth header"])
    )  # a secret: never shown
    next_poll_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_polled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))


class ApiKeyRow(Base):
    """A workspace's key for pushing KPI values. Only its SHA-256 is kept."""

    __tablename__ = "api_keys"
    __table_args__ = (UniqueConstraint("workspace_id", "label"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(40))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ConversationRow(Base):
    """Where the bot can post unprompted: a platform's conversation reference (Teams)."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("workspace_id", "conversation_id"),
        Index("ix_conversations_personal", "workspace_id", "user_id"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(String(LIMITS["conversation id"]))
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# The customer voice's tables live in their own module; importing this one brings them into
# `Base.metadata`, which the migrations are compared against.
from bot.storage import voice_tables  # noqa: E402, F401
