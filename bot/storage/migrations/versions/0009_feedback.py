"""customer feedback: one customer's rating of one contact (SPEC §9)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("scale", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("agent_id", ID, nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("ticket", sa.String(length=100), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("by_id", ID, nullable=True),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_feedback_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["members.id"], name=op.f("fk_feedback_agent_id_members")
        ),
        sa.ForeignKeyConstraint(["by_id"], ["members.id"], name=op.f("fk_feedback_by_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint(
            "workspace_id", "source", "ticket", name=op.f("uq_feedback_workspace_id")
        ),
    )
    op.create_index("ix_feedback_ws_given", "feedback", ["workspace_id", "given_at"])
    op.create_index("ix_feedback_ws_customer", "feedback", ["workspace_id", "customer"])


def downgrade() -> None:
    op.drop_index("ix_feedback_ws_customer", table_name="feedback")
    op.drop_index("ix_feedback_ws_given", table_name="feedback")
    op.drop_table("feedback")
