"""service languages disability area

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 18:54:34.987693
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "languages",
                sqlmodel.sql.sqltypes.AutoString(length=120),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("disability_support", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "service_area",
                sqlmodel.sql.sqltypes.AutoString(length=2000),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("service_area")
        batch_op.drop_column("disability_support")
        batch_op.drop_column("languages")
