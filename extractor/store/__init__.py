"""Storage: the database models and engine (SQLite or PostgreSQL, Alembic migrations), storing
and loading runs, the job queue, retention, and the batch service that runs the pipeline over
files and commits each result. Another database goes here.

The only package that imports `sqlalchemy`. May import the pipeline and every stage.
"""
