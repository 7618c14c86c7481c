"""Human-readable record codes (W-017, T-004, E-012, EV-003): allocated once, never reused.

A counter per prefix lives in `workspace_meta`, so deleting a record (e.g. a source and its
testimonies) never hands its code to a new record: codes are cited in reports and exports.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Integer, Text, cast, select, update

from sijill.store import meta
from sijill.store.schema import workspace_meta


def allocate_code(conn: Connection, prefix: str, column: Any) -> str:
    """The next free `PREFIX-NNN` for the code column `column`, advancing the prefix's counter.

    The counter is created if missing (without failing when another writer creates it first)
    and advanced by one atomic UPDATE ... RETURNING, which takes the write lock (SQLite) or the
    row lock (PostgreSQL) before reading: two concurrent writers queue for the counter instead
    of both taking the same code and one failing on the unique constraint.
    """
    key = f"last_code_{prefix}"
    _ensure_counter(conn, key, prefix, column)
    while True:  # skip codes given explicitly (e.g. imported) that the counter has not seen
        last = int(
            conn.execute(
                update(workspace_meta)
                .where(workspace_meta.c.key == key)
                .values(value=cast(cast(workspace_meta.c.value, Integer) + 1, Text))
                .returning(workspace_meta.c.value)
            ).scalar_one()
        )
        code = f"{prefix}-{last:03d}"
        if conn.execute(select(column).where(column == code)).first() is None:
            return code


def _ensure_counter(conn: Connection, key: str, prefix: str, column: Any) -> None:
    """Create the prefix's counter on first use, starting after any codes already present."""
    if meta.get_value(conn, key) is not None:
        return
    codes = conn.execute(select(column).where(column.like(f"{prefix}-%"))).scalars()
    numbers = [int(m[1]) for c in codes if (m := re.fullmatch(rf"{re.escape(prefix)}-(\d+)", c))]
    meta.insert_if_missing(conn, key, str(max(numbers, default=0)))
