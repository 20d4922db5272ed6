"""follow-ups by when they were done: the on-time KPI counts a week of them, not all

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_followups_ws_status_done", "followups", ["workspace_id", "status", "done_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_followups_ws_status_done", table_name="followups")
