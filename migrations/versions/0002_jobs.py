"""Jobs (the batch queue's source of truth), stored document bytes, job data in the invoice
views, and a read-only role for analysts on PostgreSQL.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

READER_ROLE = "extractor_reader"

_INVOICES_WITH_JOBS = """
    CREATE VIEW invoices_with_jobs AS
    SELECT i.*, j.id AS job_id, j.source AS job_source, j.attempts AS job_attempts,
           j.queued_at, j.started_at, j.finished_at, j.worker_id
    FROM invoices i
    LEFT JOIN jobs j ON j.run_id = i.run_id
"""


def upgrade() -> None:
    op.create_table(
        "document_contents",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("schema_name", sa.String(64), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("original_path", sa.Text, nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enqueued_at", sa.DateTime(timezone=True)),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("worker_id", sa.String(255)),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("extraction_runs.id", ondelete="SET NULL")),
        sa.UniqueConstraint("document_id", "schema_name", "schema_version", name="uq_jobs_doc"),
    )
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.execute(_INVOICES_WITH_JOBS)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
                CREATE ROLE {READER_ROLE} NOLOGIN;
              END IF;
            END $$;
            """
        )
        op.execute(f"GRANT USAGE ON SCHEMA public TO {READER_ROLE}")
        op.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER_ROLE}")
        op.execute(f"REVOKE SELECT ON document_contents FROM {READER_ROLE}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM {READER_ROLE}")
        op.execute(f"REVOKE USAGE ON SCHEMA public FROM {READER_ROLE}")
    op.execute("DROP VIEW invoices_with_jobs")
    op.drop_table("jobs")
    op.drop_table("document_contents")
