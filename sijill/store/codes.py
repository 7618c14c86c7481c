"""Human-readable record codes (W-017, T-004, E-012, EV-003): allocated once, never reused.

A counter per prefix lives in `workspace_meta`, so deleting a record (e.g. a source and its
testimonies) never hands its code to a new record: codes are cited in reports and exports.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sijill.store.schema import workspace_meta


def allocate_code(conn: Connection, prefix: str, column: Any) -> str:
    """The next free `PREFIX-NNN` for the code column `column`, advancing the prefix's counter."""
    key = f"last_code_{prefix}"
    stored = conn.execute(
        select(workspace_meta.c.value).where(workspace_meta.c.key == key)
    ).scalar()
    if stored is None:  # first use: start after any codes already present
        codes = conn.execute(select(column).where(column.like(f"{prefix}-%"))).scalars()
        numbers = [
            int(m[1]) for c in codes if (m := re.fullmatch(rf"{re.escape(prefix)}-(\d+)", c))
        ]
        last = max(numbers, default=0)
    else:
        last = int(stored)
    while True:  # skip codes given explicitly (e.g. imported) that the counter has not seen
        last += 1
        code = f"{prefix}-{last:03d}"
        if conn.execute(select(column).where(column == code)).first() is None:
            break
    if stored is None:
        conn.execute(insert(workspace_meta).values(key=key, value=str(last)))
    else:
        conn.execute(
            update(workspace_meta).where(workspace_meta.c.key == key).values(value=str(last))
        )
    return code
