"""school sites

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 16:52:20.101441
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schoolsite",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("grade", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("institute", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("cap", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("comune", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("istat_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("geocode_precision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )


def downgrade() -> None:
    op.drop_table("schoolsite")
