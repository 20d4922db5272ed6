"""customer voice: helpdesks polled for ratings (SPEC §9)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feedback_sources",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("every_minutes", sa.Integer(), nullable=False),
        sa.Column("auth_header", sa.String(length=2000), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("scale", sa.String(length=10), nullable=False),
        sa.Column("cursor", sa.String(length=100), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("next_poll_at", WHEN, nullable=False),
        sa.Column("last_polled_at", WHEN, nullable=True),
        sa.Column("last_ok_at", WHEN, nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("last_taken", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_feedback_sources_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_sources")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_feedback_sources_workspace_id")),
    )
    op.create_index("ix_feedback_sources_next_poll", "feedback_sources", ["next_poll_at"])


def downgrade() -> None:
    op.drop_index("ix_feedback_sources_next_poll", table_name="feedback_sources")
    op.drop_table("feedback_sources")
