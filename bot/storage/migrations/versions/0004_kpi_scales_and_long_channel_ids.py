"""KPI scales (min/max) and channel columns as long as conversation ids

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Teams conversation ids (the "channel" of a personal chat) run past 128 characters.
CHANNELS = {
    "workspaces": ("wall_channel", "gifts_channel"),
    "gifts": ("channel",),
    "digest_subscriptions": ("channel",),
}


def _resize(old: int, new: int) -> None:
    for table, columns in CHANNELS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(
                    column, existing_type=sa.String(length=old), type_=sa.String(length=new)
                )


def upgrade() -> None:
    with op.batch_alter_table("kpi_definitions") as batch:
        batch.add_column(sa.Column("low", sa.Double(), nullable=True))
        batch.add_column(sa.Column("high", sa.Double(), nullable=True))
    _resize(128, 300)


def downgrade() -> None:
    _resize(300, 128)
    with op.batch_alter_table("kpi_definitions") as batch:
        batch.drop_column("high")
        batch.drop_column("low")
