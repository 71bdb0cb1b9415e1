"""How the prompt was rendered for a run: the model's own chat template, or plain completion.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("extraction_runs", sa.Column("prompt_format", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("extraction_runs") as table:
        table.drop_column("prompt_format")
