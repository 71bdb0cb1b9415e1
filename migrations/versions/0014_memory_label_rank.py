"""Supplier memory: which printing of its label, top to bottom, a remembered field stood
beside (`label_rank`), so that a label printed twice ("TOTAL :" for the receipt and again
in its tax summary) finds the value beside the same one on a receipt of another length
(`extractor.memory.recall`).

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("supplier_memories", sa.Column("label_rank", sa.Integer()))


def downgrade() -> None:
    with op.batch_alter_table("supplier_memories") as table:
        table.drop_column("label_rank")
