"""The review app: its users, who reviewed a run and when, and the typed views recreated with
`reviewed_by` and `reviewed_at` columns (a review is a new run, so the views, which show the
latest run that did not fail, show the reviewed values).

Revision ID: 0008
Revises: 0007
"""

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

READER_ROLE = "extractor_reader"  # created by 0002; never reads review_users (password hashes)
_initial = importlib.import_module("migrations.versions.0001_initial")
_jobs = importlib.import_module("migrations.versions.0002_jobs")
_clinical = importlib.import_module("migrations.versions.0006_clinical")

# dropped in this order (a view before the views it reads), created in the reverse order
VIEWS = (
    "invoices_with_jobs",
    "invoices",
    "invoice_lines",
    "lab_results",
    "clinical_letters",
    "claims",
    "claim_lines",
)
REVIEW_COLUMNS = ["reviewed_by", "reviewed_at"]
INVOICE_HEADER = [
    *((field, None) for field in _initial.INVOICE_TEXT),
    *((field, "DATE") for field in _initial.INVOICE_DATES),
    *((field, "NUMERIC") for field in _initial.INVOICE_AMOUNTS),
]
INVOICE_LINE = [
    *((f"lines.*.{field}", None) for field in _initial.LINE_TEXT),
    *((f"lines.*.{field}", "NUMERIC") for field in _initial.LINE_NUMBERS),
]


def _per_run(schema: str, columns: list[str]) -> str:
    return f"""
        SELECT r.id AS run_id, d.id AS document_id, d.sha256, d.original_name, r.status,
               r.schema_version, r.created_at AS extracted_at, r.reviewed_by, r.reviewed_at,
               {", ".join(columns)}
        FROM extraction_runs r
        JOIN documents d ON d.id = r.document_id
        LEFT JOIN field_values f ON f.run_id = r.id
        WHERE {_clinical._latest_run(schema)}
        GROUP BY r.id, d.id, d.sha256, d.original_name, r.status, r.schema_version, r.created_at,
                 r.reviewed_by, r.reviewed_at
    """


def _per_item(schema: str, items: str, number: str, columns: list[str]) -> str:
    return f"""
        SELECT r.id AS run_id, r.document_id, f.item_index AS {number}, r.reviewed_by,
               r.reviewed_at, {", ".join(columns)}
        FROM extraction_runs r
        JOIN field_values f ON f.run_id = r.id
        WHERE f.item_index IS NOT NULL AND f.field LIKE '{items}.%'
          AND {_clinical._latest_run(schema)}
        GROUP BY r.id, r.document_id, f.item_index, r.reviewed_by, r.reviewed_at
    """


def _lab_results(date_type: str) -> str:
    picks = _clinical._picks
    reports = _per_run("lab_report", picks(_clinical.LAB_HEADER, date_type))
    results = _per_item(
        "lab_report", "results", "result_number", picks(_clinical.LAB_RESULT, date_type)
    )
    header = [
        *_clinical.RUN_COLUMNS,
        *REVIEW_COLUMNS,
        *(_clinical._column(field) for field, _ in _clinical.LAB_HEADER),
    ]
    result = ["result_number", *(_clinical._column(field) for field, _ in _clinical.LAB_RESULT)]
    columns = [f"h.{name}" for name in header] + [f"i.{name}" for name in result]
    return f"""
        CREATE VIEW lab_results AS
        SELECT {", ".join(columns)}
        FROM ({reports}) h
        LEFT JOIN ({results}) i ON i.run_id = h.run_id
    """


def _views(dialect: str) -> list[str]:
    date_type = "DATE" if dialect == "postgresql" else "TEXT"
    picks = _clinical._picks
    codes = _clinical._diagnosis_codes
    invoice_lines = [
        column.replace("AS lines_*_", "AS ") for column in picks(INVOICE_LINE, date_type)
    ]
    letter = [*picks(_clinical.LETTER_HEADER, date_type), codes("diagnoses.*.icd10", dialect)]
    claim = [*picks(_clinical.CLAIM_HEADER, date_type), codes("diagnosis_codes.*.code", dialect)]
    claim_lines = picks(_clinical.CLAIM_LINE, date_type)
    return [
        f"CREATE VIEW invoices AS {_per_run('invoice', picks(INVOICE_HEADER, date_type))}",
        "CREATE VIEW invoice_lines AS "
        + _per_item("invoice", "lines", "line_number", invoice_lines),
        _jobs._INVOICES_WITH_JOBS,
        _lab_results(date_type),
        f"CREATE VIEW clinical_letters AS {_per_run('clinical_letter', letter)}",
        f"CREATE VIEW claims AS {_per_run('claim_form', claim)}",
        "CREATE VIEW claim_lines AS "
        + _per_item("claim_form", "service_lines", "line_number", claim_lines),
    ]


def _old_views(dialect: str) -> list[str]:
    date_type = "DATE" if dialect == "postgresql" else "TEXT"
    return [*_initial._views(date_type), _jobs._INVOICES_WITH_JOBS, *_clinical._views(dialect)]


def _replace_views(statements: list[str], dialect: str) -> None:
    for view in VIEWS:
        op.execute(f"DROP VIEW {view}")
    for statement in statements:
        op.execute(statement)
    if dialect == "postgresql":
        op.execute(f"GRANT SELECT ON {', '.join(VIEWS)} TO {READER_ROLE}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("extraction_runs", sa.Column("reviewed_by", sa.String(64)))
    op.add_column("extraction_runs", sa.Column("reviewed_at", sa.DateTime(timezone=True)))
    op.add_column("extraction_runs", sa.Column("reviewed_run_id", sa.Integer))
    op.create_table(
        "review_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    _replace_views(_views(dialect), dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _replace_views(_old_views(dialect), dialect)
    op.drop_table("review_users")
    for column in ("reviewed_run_id", "reviewed_at", "reviewed_by"):
        op.drop_column("extraction_runs", column)
