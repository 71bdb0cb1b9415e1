"""Supplier memory: for a value printed over several lines (an address), how many lines it
spans (`value_lines`) and how the reviewer's value joins them (`line_separator`, ", " or
" "), so that the next document's value is read over as many lines and written the same way
(`extractor.memory.recall`).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("supplier_memories", sa.Column("value_lines", sa.Integer()))
    op.add_column("supplier_memories", sa.Column("line_separator", sa.String(8)))


def downgrade() -> None:
    with op.batch_alter_table("supplier_memories") as table:
        table.drop_column("line_separator")
        table.drop_column("value_lines")
