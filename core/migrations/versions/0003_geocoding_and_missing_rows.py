"""geocode source and cache, missing since

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:28:44.774870
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "geocodecache",
        sa.Column("query", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("query"),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "geocode_source",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="fonte",  # every point imported so far came from its source
            )
        )

    with op.batch_alter_table("provenance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("missing_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("provenance", schema=None) as batch_op:
        batch_op.drop_column("missing_since")

    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_column("geocode_source")

    op.drop_table("geocodecache")
