"""
Alembic's environment for the store, run by `store.migrate` with a connection already open (there
is no alembic.ini: the configuration is built in code). On PostgreSQL an advisory lock held for
the migration's transaction lets several replicas start at once: one migrates, the others wait
and then find the schema at head.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from store.schema import Base

MIGRATION_LOCK = 1_901_190_019
"""The advisory lock's number (any constant that no other code of this database uses)."""

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
    context.run_migrations()
