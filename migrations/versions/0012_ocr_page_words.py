"""An OCR'd page's words with their boxes, kept with its text (`page_texts.words`) under the
same retention, so that the review app can offer a scanned page's words to click; the review
role may read this column, never the text (docs/review-role.sql).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("page_texts", sa.Column("words", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("page_texts") as table:
        table.drop_column("words")
