"""gazetteer: cadastral code, region, population, postal codes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:23:56.596114
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "postalcode",
        sa.Column("cap", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("istat_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["istat_code"],
            ["comune.istat_code"],
        ),
        sa.PrimaryKeyConstraint("cap", "istat_code"),
    )
    with op.batch_alter_table("comune", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cadastral_code", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True)
        )
        batch_op.add_column(
            sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True)
        )
        batch_op.add_column(sa.Column("population", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_comune_cadastral_code"), ["cadastral_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("comune", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comune_cadastral_code"))
        batch_op.drop_column("population")
        batch_op.drop_column("region")
        batch_op.drop_column("cadastral_code")

    op.drop_table("postalcode")
