"""Supplier memory: where a reviewer confirmed each field of a supplier's documents, by the
label words beside it and its position on the page (`extractor.store.supplier_memory`).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

READER_ROLE = "extractor_reader"  # created by 0002: analysts may read the memory


def upgrade() -> None:
    op.create_table(
        "supplier_memories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("supplier_key", sa.String(255), nullable=False),
        sa.Column("supplier_name", sa.Text),
        sa.Column("schema_name", sa.String(64), nullable=False),
        sa.Column("field", sa.String(255), nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("value_box", sa.JSON, nullable=False),
        sa.Column("label_words", sa.JSON, nullable=False),
        sa.Column("label_box", sa.JSON),
        sa.Column("label_offset", sa.JSON),
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("extraction_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("supplier_key", "schema_name", "field", name="uq_supplier_field"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"GRANT SELECT ON supplier_memories TO {READER_ROLE}")


def downgrade() -> None:
    op.drop_table("supplier_memories")
