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


def set_value(conn: Connection, key: str, value: str) -> None:
    """Store `value` under `key`, replacing any earlier value."""
    changed = conn.execute(
        update(workspace_meta).where(workspace_meta.c.key == key).values(value=value)
    ).rowcount
    if not changed:
        conn.execute(workspace_meta.insert().values(key=key, value=value))
