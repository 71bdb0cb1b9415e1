"""Where a value came from when it is not page text: the element of an embedded e-invoice.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("field_values", sa.Column("element", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("field_values") as table:
        table.drop_column("element")
