"""The customer voice's tables (SPEC §9): feedback, the helpdesks polled for it, the names
helpdesks give agents, and service-recovery cases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.limits import LIMITS
from bot.storage.tables import Base, Id, UTCDateTime


class FeedbackRow(Base):
    """One customer's rating of one contact. A helpdesk's ticket is rated once per source:
    a repeat replaces the rating (typed feedback has no ticket)."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("workspace_id", "source", "ticket"),
        Index("ix_feedback_ws_given", "workspace_id", "given_at"),
        Index("ix_feedback_ws_customer", "workspace_id", "customer"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    customer: Mapped[str] = mapped_column(String(LIMITS["customer"]))
    scale: Mapped[str] = mapped_column(String(10))
    score: Mapped[float]
    comment: Mapped[str | None] = mapped_column(Text)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # How the helpdesk named the agent, kept while no member matches it
    agent_ref: Mapped[str | None] = mapped_column(String(LIMITS["agent"]))
    source: Mapped[str] = mapped_column(String(40))
    ticket: Mapped[str | None] = mapped_column(String(LIMITS["ticket"]))
    url: Mapped[str | None] = mapped_column(String(LIMITS["URL"]))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # The earlier recovery case of the same customer this rating follows
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("recovery_cases.id", ondelete="SET NULL", use_alter=True)
    )
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AgentAliasRow(Base):
    """`admin agent @bob bob@acme.com`: a name a helpdesk uses for a member, lowercased."""

    __tablename__ = "agent_aliases"
    __table_args__ = (UniqueConstraint("workspace_id", "alias"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(LIMITS["agent"]))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))


class RecoveryCaseRow(Base):
    """A poor rating's service recovery: open → taken → contacted → resolved. Each step is
    a conditional UPDATE on the status, so two clicks at once make one owner."""

    __tablename__ = "recovery_cases"
    __table_args__ = (
        Index("ix_recovery_cases_status_escalated_due", "status", "escalated_at", "due_at"),
        Index("ix_recovery_cases_ws_customer", "workspace_id", "customer"),
        Index("ix_recovery_cases_ws_status", "workspace_id", "status"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), unique=True
    )
    customer: Mapped[str] = mapped_column(String(LIMITS["customer"]))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    status: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(LIMITS["channel"]))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    gift_id: Mapped[int | None] = mapped_column(ForeignKey("gifts.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(LIMITS["outcome note"]))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    taken_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    contacted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class FeedbackSourceRow(Base):
    """A helpdesk polled for ratings: Zendesk's satisfaction ratings, or JSON mapped by
    pointers. Claimed for polling like every scheduled thing."""

    __tablename__ = "feedback_sources"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name"),
        Index("ix_feedback_sources_next_poll", "next_poll_at"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(LIMITS["URL"]))
    every_minutes: Mapped[int] = mapped_column(Integer)
    auth_header: Mapped[str | None] = mapped_column(String(LIMITS["auth header"]))  # a secret
    fields: Mapped[dict[str, str]] = mapped_column(JSON)
    scale: Mapped[str] = mapped_column(String(10))
    cursor: Mapped[str | None] = mapped_column(String(100))  # where the next poll starts
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    next_poll_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_polled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    last_taken: Mapped[int] = mapped_column(Integer, default=0)
