"""Supplier memory at extraction: each memory's record, how many reviewed documents took a
value from it (`uses`) and how many of those the reviewer kept (`hits`), which its confidence
comes from; and the confirmed page's size (`page_size`, points), so that a scan of another
size scales offsets alike across and down (`extractor.memory`).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("uses", "hits"):
        op.add_column(
            "supplier_memories",
            sa.Column(column, sa.Integer, nullable=False, server_default="0"),
        )
    op.add_column("supplier_memories", sa.Column("page_size", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("supplier_memories") as table:
        table.drop_column("page_size")
        table.drop_column("hits")
        table.drop_column("uses")
