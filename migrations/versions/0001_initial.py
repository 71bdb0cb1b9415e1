"""Documents, extraction runs, field values, and the invoice views.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

INVOICE_TEXT = [
    "invoice_number",
    "currency",
    "purchase_order",
    "seller.name",
    "seller.vat_id",
    "seller.address",
    "buyer.name",
    "buyer.vat_id",
    "buyer.address",
    "iban",
]
INVOICE_DATES = ["issue_date", "due_date"]
INVOICE_AMOUNTS = ["total_net", "total_tax", "total_gross", "amount_due"]
LINE_TEXT = ["description"]
LINE_NUMBERS = ["quantity", "unit_price", "net_amount"]

# The latest run of a document for a schema that did not fail: one row per invoice.
_LATEST_RUN = """
    r.schema_name = 'invoice' AND r.status <> 'failed' AND r.id = (
        SELECT MAX(r2.id) FROM extraction_runs r2
        WHERE r2.document_id = r.document_id AND r2.schema_name = 'invoice'
          AND r2.status <> 'failed')
"""


def _pick(field: str, sql_type: str | None) -> str:
    value = f"MAX(CASE WHEN f.field = '{field}' THEN f.value END)"
    column = field.replace(".", "_")
    return f"CAST({value} AS {sql_type}) AS {column}" if sql_type else f"{value} AS {column}"


def _views(date_type: str) -> list[str]:
    header = [_pick(f, None) for f in INVOICE_TEXT]
    header += [_pick(f, date_type) for f in INVOICE_DATES]
    header += [_pick(f, "NUMERIC") for f in INVOICE_AMOUNTS]
    line = [_pick(f"lines.*.{f}", None) for f in LINE_TEXT]
    line += [_pick(f"lines.*.{f}", "NUMERIC") for f in LINE_NUMBERS]
    line = [column.replace("AS lines_*_", "AS ") for column in line]
    invoices = f"""
        CREATE VIEW invoices AS
        SELECT r.id AS run_id, d.id AS document_id, d.sha256, d.original_name, r.status,
               r.schema_version, r.created_at AS extracted_at, {", ".join(header)}
        FROM extraction_runs r
        JOIN documents d ON d.id = r.document_id
        LEFT JOIN field_values f ON f.run_id = r.id
        WHERE {_LATEST_RUN}
        GROUP BY r.id, d.id, d.sha256, d.original_name, r.status, r.schema_version, r.created_at
    """
    lines = f"""
        CREATE VIEW invoice_lines AS
        SELECT r.id AS run_id, r.document_id, f.item_index AS line_number, {", ".join(line)}
        FROM extraction_runs r
        JOIN field_values f ON f.run_id = r.id
        WHERE f.item_index IS NOT NULL AND f.field LIKE 'lines.%' AND {_LATEST_RUN}
        GROUP BY r.id, r.document_id, f.item_index
    """
    return [invoices, lines]


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("pages", sa.Integer),
        sa.Column("original_name", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "extraction_runs",
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
        sa.Column("model_sha256", sa.String(64)),
        sa.Column("grammar_sha256", sa.String(64)),
        sa.Column("prompt_sha256", sa.String(64)),
        sa.Column("prompt_tokens", sa.Integer, nullable=False),
        sa.Column("completion_tokens", sa.Integer, nullable=False),
        sa.Column("seconds_total", sa.Float),
        sa.Column("seconds_generate", sa.Float),
        sa.Column("error_code", sa.String(64)),
        sa.Column("error_message", sa.Text),
        sa.Column("errors", sa.JSON, nullable=False),
        sa.Column("review_fields", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_runs_document_schema", "extraction_runs", ["document_id", "schema_name"])
    op.create_table(
        "field_values",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("extraction_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("path", sa.String(255), nullable=False),
        sa.Column("field", sa.String(255), nullable=False),
        sa.Column("item_index", sa.Integer),
        sa.Column("value", sa.Text),
        sa.Column("raw", sa.Text),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("span_start", sa.Integer),
        sa.Column("span_end", sa.Integer),
    )
    op.create_index("ix_field_values_run_id", "field_values", ["run_id"])
    date_type = "DATE" if op.get_bind().dialect.name == "postgresql" else "TEXT"
    for statement in _views(date_type):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP VIEW invoice_lines")
    op.execute("DROP VIEW invoices")
    op.drop_table("field_values")
    op.drop_table("extraction_runs")
    op.drop_table("documents")
