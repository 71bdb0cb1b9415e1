"""The kind of document a run found (invoice, receipt, or a clinical schema's kind): what
decided its required fields, for review queues and SQL filters.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("extraction_runs", sa.Column("document_kind", sa.String(32)))


def downgrade() -> None:
    op.drop_column("extraction_runs", "document_kind")  # SQLite >= 3.35 drops it in place
