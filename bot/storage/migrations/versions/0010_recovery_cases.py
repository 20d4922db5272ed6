"""customer voice: agents matched to members, service-recovery cases (SPEC §9)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("members", sa.Column("email", sa.String(length=254), nullable=True))
    op.create_index("ix_members_ws_email", "members", ["workspace_id", "email"])
    op.add_column("workspaces", sa.Column("recovery_channel", sa.String(300), nullable=True))
    op.add_column(
        "workspaces",
        sa.Column("recovery_sla_minutes", sa.Integer(), nullable=False, server_default="240"),
    )
    op.add_column(
        "workspaces",
        sa.Column("recovery_followup_days", sa.Integer(), nullable=False, server_default="7"),
    )
    op.create_table(
        "agent_aliases",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("alias", sa.String(length=254), nullable=False),
        sa.Column("member_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_agent_aliases_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_agent_aliases_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_aliases")),
        sa.UniqueConstraint("workspace_id", "alias", name=op.f("uq_agent_aliases_workspace_id")),
    )
    op.create_table(
        "recovery_cases",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("feedback_id", ID, nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("agent_id", ID, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=300), nullable=False),
        sa.Column("owner_id", ID, nullable=True),
        sa.Column("gift_id", ID, nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("due_at", WHEN, nullable=False),
        sa.Column("escalated_at", WHEN, nullable=True),
        sa.Column("taken_at", WHEN, nullable=True),
        sa.Column("contacted_at", WHEN, nullable=True),
        sa.Column("resolved_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_recovery_cases_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_recovery_cases_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["members.id"], name=op.f("fk_recovery_cases_agent_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name=op.f("fk_recovery_cases_owner_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["gift_id"],
            ["gifts.id"],
            name=op.f("fk_recovery_cases_gift_id_gifts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_cases")),
        sa.UniqueConstraint("feedback_id", name=op.f("uq_recovery_cases_feedback_id")),
    )
    op.create_index(
        "ix_recovery_cases_status_escalated_due",
        "recovery_cases",
        ["status", "escalated_at", "due_at"],
    )
    op.create_index("ix_recovery_cases_ws_customer", "recovery_cases", ["workspace_id", "customer"])
    op.create_index("ix_recovery_cases_ws_status", "recovery_cases", ["workspace_id", "status"])
    with op.batch_alter_table("followups") as batch:
        batch.add_column(sa.Column("case_id", ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_followups_case_id_recovery_cases"),
            "recovery_cases",
            ["case_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("agent_ref", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("case_id", ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_feedback_case_id_recovery_cases"),
            "recovery_cases",
            ["case_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_constraint(op.f("fk_feedback_case_id_recovery_cases"), type_="foreignkey")
        batch.drop_column("case_id")
        batch.drop_column("agent_ref")
    with op.batch_alter_table("followups") as batch:
        batch.drop_constraint(op.f("fk_followups_case_id_recovery_cases"), type_="foreignkey")
        batch.drop_column("case_id")
    op.drop_index("ix_recovery_cases_ws_status", table_name="recovery_cases")
    op.drop_index("ix_recovery_cases_ws_customer", table_name="recovery_cases")
    op.drop_index("ix_recovery_cases_status_escalated_due", table_name="recovery_cases")
    op.drop_table("recovery_cases")
    op.drop_table("agent_aliases")
    op.drop_column("workspaces", "recovery_followup_days")
    op.drop_column("workspaces", "recovery_sla_minutes")
    op.drop_column("workspaces", "recovery_channel")
    op.drop_index("ix_members_ws_email", table_name="members")
    op.drop_column("members", "email")
