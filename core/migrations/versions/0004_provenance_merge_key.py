"""provenance merge key

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:39:59.951367
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("provenance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("merge_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_provenance_merge_key"), ["merge_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("provenance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provenance_merge_key"))
        batch_op.drop_column("merge_key")
