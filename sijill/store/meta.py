"""Workspace-wide settings kept in the database (`workspace_meta`: one text value per key)."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from sijill.store.schema import workspace_meta


def get_value(conn: Connection, key: str) -> str | None:
    """The value stored under `key`, or None."""
    value: str | None = conn.execute(
        select(workspace_meta.c.value).where(workspace_meta.c.key == key)
    ).scalar()
    return value


def insert_if_missing(conn: Connection, key: str, value: str) -> None:
    """Store `value` under `key` unless a value is there, also when another writer races us."""
    values = {"key": key, "value": value}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        conn.execute(postgresql.insert(workspace_meta).values(**values).on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects import sqlite

        conn.execute(sqlite.insert(workspace_meta).values(**values).on_conflict_do_nothing())


def set_value(conn: Connection, key: str, value: str) -> None:
    """Store `value` under `key`, replacing any earlier value."""
    insert_if_missing(conn, key, value)
    conn.execute(update(workspace_meta).where(workspace_meta.c.key == key).values(value=value))
