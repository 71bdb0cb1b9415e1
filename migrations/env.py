"""Alembic environment: runs on the connection handed over by `extractor.store.engine.upgrade`."""

from alembic import context

from extractor.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
