"""costs and budgets keep three decimals: the minor unit of every ISO 4217 currency (the
Kuwaiti dinar has 1,000 fils), not only the cent

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("gifts", "cost", False), ("workspaces", "budget", True))


def upgrade() -> None:
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                type_=sa.Numeric(15, 3),
                existing_type=sa.Numeric(12, 2),
                existing_nullable=nullable,
            )


def downgrade() -> None:
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                type_=sa.Numeric(12, 2),
                existing_type=sa.Numeric(15, 3),
                existing_nullable=nullable,
            )
