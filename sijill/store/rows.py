"""Small conversions between stored columns and domain values shared by the repositories."""

from __future__ import annotations

from datetime import date
from typing import Any

from sijill.domain.dates import DatePrecision, UncertainDate


def date_columns(prefix: str, value: UncertainDate | None) -> dict[str, Any]:
    """The `<prefix>_earliest/_latest/_precision/_text` columns for an uncertain date."""
    value = value or UncertainDate.unknown()
    cols: dict[str, Any] = {f"{prefix}_earliest": value.earliest, f"{prefix}_latest": value.latest}
    cols[f"{prefix}_precision"] = value.precision.value
    cols[f"{prefix}_text"] = value.text
    return cols


def read_date(row: Any, prefix: str) -> UncertainDate:
    """Rebuild an uncertain date from a row's `<prefix>_*` columns."""
    m = row._mapping
    earliest: date | None = m.get(f"{prefix}_earliest")
    latest: date | None = m.get(f"{prefix}_latest")
    precision = m.get(f"{prefix}_precision") or DatePrecision.UNKNOWN.value
    return UncertainDate(earliest, latest, DatePrecision(precision), m.get(f"{prefix}_text") or "")


def insert_id(conn: Any, statement: Any) -> int:
    """Execute an INSERT and return the new row's integer primary key."""
    key = conn.execute(statement).inserted_primary_key
    assert key is not None
    return int(key[0])
