"""OCR provenance: the pages of a run that were read by OCR, and each OCR'd field's box on
its page (points from the top-left corner).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("extraction_runs", sa.Column("ocr_pages", sa.JSON(), nullable=True))
    op.add_column("field_values", sa.Column("box", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("field_values") as table:
        table.drop_column("box")
    with op.batch_alter_table("extraction_runs") as table:
        table.drop_column("ocr_pages")
