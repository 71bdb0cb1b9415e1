"""Storage: SQLAlchemy models, engine creation and migrations."""
