"""Clinical documents: typed views for lab reports, clinical letters and claims; how a schema
was chosen automatically (routing); and the raw text of each page, kept for a retention
period (`extractor.store.retention`).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

READER_ROLE = "extractor_reader"  # created by 0002; page_texts is kept from it, like the bytes
VIEWS = ("lab_results", "clinical_letters", "claims", "claim_lines")

PATIENT = [("patient.name", None), ("patient.birth_date", "DATE"), ("patient.sex", None)]
LAB_HEADER = [
    *PATIENT,
    ("patient.identifier", None),
    ("ordering_provider", None),
    ("lab_name", None),
    ("collected_at", "DATE"),
    ("reported_at", "DATE"),
]
LAB_RESULT = [
    ("results.*.test_name", None),
    ("results.*.code", None),
    ("results.*.value", None),
    ("results.*.unit", None),
    ("results.*.reference_range", None),
    ("results.*.flag", None),
]
LETTER_HEADER = [
    ("kind", None),
    *PATIENT,
    ("patient.identifier", None),
    ("author", None),
    ("date", "DATE"),
    ("admission_date", "DATE"),
    ("discharge_date", "DATE"),
    ("follow_up", None),
]
CLAIM_HEADER = [
    *PATIENT,
    ("insured.name", None),
    ("insured.id", None),
    ("total_charge", "NUMERIC"),
    ("billing_provider.name", None),
    ("billing_provider.npi", None),
    ("billing_provider.tax_id", None),
]
CLAIM_LINE = [
    ("service_lines.*.date_from", "DATE"),
    ("service_lines.*.date_to", "DATE"),
    ("service_lines.*.place_of_service", None),
    ("service_lines.*.cpt", None),
    ("service_lines.*.modifiers", None),
    ("service_lines.*.diagnosis_pointer", None),
    ("service_lines.*.charge", "NUMERIC"),
    ("service_lines.*.units", "NUMERIC"),
    ("service_lines.*.rendering_npi", None),
]
RENAMED = {"date": "letter_date"}  # a column named `date` would need quoting everywhere
RUN_COLUMNS = [
    "run_id",
    "document_id",
    "sha256",
    "original_name",
    "status",
    "schema_version",
    "extracted_at",
]


def _latest_run(schema: str) -> str:
    """The latest run of a document for a schema that did not fail."""
    return f"""
        r.schema_name = '{schema}' AND r.status <> 'failed' AND r.id = (
            SELECT MAX(r2.id) FROM extraction_runs r2
            WHERE r2.document_id = r.document_id AND r2.schema_name = '{schema}'
              AND r2.status <> 'failed')
    """


def _column(field: str) -> str:
    leaf = field.rsplit(".*.", 1)[-1]
    return RENAMED.get(leaf, leaf.replace(".", "_"))


def _picks(fields: list[tuple[str, str | None]], date_type: str) -> list[str]:
    """One column per field, typed, from the field values of the group (a run, or a run's
    list item)."""
    columns = []
    for field, sql_type in fields:
        value = f"MAX(CASE WHEN f.field = '{field}' THEN f.value END)"
        cast = date_type if sql_type == "DATE" else sql_type
        typed = f"CAST({value} AS {cast})" if cast else value
        columns.append(f"{typed} AS {_column(field)}")
    return columns


def _diagnosis_codes(field: str, dialect: str) -> str:
    """The non-null values of a list field of the run, in document order, joined by ', '."""
    if dialect == "postgresql":
        return f"""(SELECT string_agg(c.value, ', ' ORDER BY c.item_index) FROM field_values c
                    WHERE c.run_id = r.id AND c.field = '{field}') AS diagnosis_codes"""
    return f"""(SELECT group_concat(c.value, ', ') FROM (
                    SELECT value FROM field_values
                    WHERE run_id = r.id AND field = '{field}' AND value IS NOT NULL
                    ORDER BY item_index) c) AS diagnosis_codes"""


def _per_run(schema: str, columns: list[str]) -> str:
    return f"""
        SELECT r.id AS run_id, d.id AS document_id, d.sha256, d.original_name, r.status,
               r.schema_version, r.created_at AS extracted_at, {", ".join(columns)}
        FROM extraction_runs r
        JOIN documents d ON d.id = r.document_id
        LEFT JOIN field_values f ON f.run_id = r.id
        WHERE {_latest_run(schema)}
        GROUP BY r.id, d.id, d.sha256, d.original_name, r.status, r.schema_version, r.created_at
    """


def _per_item(schema: str, items: str, number: str, columns: list[str]) -> str:
    return f"""
        SELECT r.id AS run_id, r.document_id, f.item_index AS {number}, {", ".join(columns)}
        FROM extraction_runs r
        JOIN field_values f ON f.run_id = r.id
        WHERE f.item_index IS NOT NULL AND f.field LIKE '{items}.%' AND {_latest_run(schema)}
        GROUP BY r.id, r.document_id, f.item_index
    """


def _lab_results(date_type: str) -> str:
    """One row per result; a report where no result was read still has one row (its
    result columns null), so that no lab report is missing from the view."""
    reports = _per_run("lab_report", _picks(LAB_HEADER, date_type))
    results = _per_item("lab_report", "results", "result_number", _picks(LAB_RESULT, date_type))
    header = RUN_COLUMNS + [_column(field) for field, _ in LAB_HEADER]
    result = ["result_number", *(_column(field) for field, _ in LAB_RESULT)]
    columns = [f"h.{name}" for name in header] + [f"i.{name}" for name in result]
    return f"""
        CREATE VIEW lab_results AS
        SELECT {", ".join(columns)}
        FROM ({reports}) h
        LEFT JOIN ({results}) i ON i.run_id = h.run_id
    """


def _views(dialect: str) -> list[str]:
    date_type = "DATE" if dialect == "postgresql" else "TEXT"
    letter = [*_picks(LETTER_HEADER, date_type), _diagnosis_codes("diagnoses.*.icd10", dialect)]
    claim = [*_picks(CLAIM_HEADER, date_type), _diagnosis_codes("diagnosis_codes.*.code", dialect)]
    lines = _picks(CLAIM_LINE, date_type)
    return [
        _lab_results(date_type),
        f"CREATE VIEW clinical_letters AS {_per_run('clinical_letter', letter)}",
        f"CREATE VIEW claims AS {_per_run('claim_form', claim)}",
        "CREATE VIEW claim_lines AS "
        + _per_item("claim_form", "service_lines", "line_number", lines),
    ]


def upgrade() -> None:
    op.add_column("extraction_runs", sa.Column("routed_schema_confidence", sa.Float()))
    op.add_column("extraction_runs", sa.Column("routing_method", sa.String(16)))
    op.create_table(
        "page_texts",
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("extraction_runs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("page", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_page_texts_stored_at", "page_texts", ["stored_at"])
    dialect = op.get_bind().dialect.name
    for statement in _views(dialect):
        op.execute(statement)
    if dialect == "postgresql":
        op.execute(f"GRANT SELECT ON {', '.join(VIEWS)} TO {READER_ROLE}")


def downgrade() -> None:
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW {view}")
    op.drop_table("page_texts")
    # Not a batch: rebuilding extraction_runs on SQLite breaks the views that read it (and
    # would cascade to its field values); SQLite >= 3.35 drops a column in place.
    op.drop_column("extraction_runs", "routing_method")
    op.drop_column("extraction_runs", "routed_schema_confidence")
