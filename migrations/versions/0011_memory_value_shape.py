"""Supplier memory: the shape of the confirmed value as printed (`value_shape`, digits as 9
and letters as a: "99-99-99"), so that a value whose label and place moved is still found
where the page prints exactly one value of that shape (`extractor.memory.recall`).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("supplier_memories", sa.Column("value_shape", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("supplier_memories") as table:
        table.drop_column("value_shape")
