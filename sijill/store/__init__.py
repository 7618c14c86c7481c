"""Persistence: SQLAlchemy Core tables, Alembic migrations, SQLite and PostgreSQL engines."""
