"""Victim lists and their records: bulk insert, fetch (as records or a DataFrame), replace, delete."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from sijill.domain.dates import DatePrecision, UncertainDate
from sijill.domain.lists import RECORD_FIELDS, ListRecord, VictimList
from sijill.errors import NotFoundError
from sijill.store.rows import insert_id
from sijill.store.schema import list_records, victim_lists

if TYPE_CHECKING:
    import pandas as pd

#: Columns of `records_frame`, in order (what linkage reads).
FRAME_COLUMNS = ["id", "list", "record_id", "row_number", *RECORD_FIELDS, "death_precision"]


def _victim_list(row: Any) -> VictimList:
    imported_at = row.imported_at
    if imported_at is not None and imported_at.tzinfo is None:
        imported_at = imported_at.replace(tzinfo=UTC)  # SQLite drops the zone; we store UTC
    return VictimList(
        row.id,
        row.name,
        row.file_name,
        row.file_sha256,
        imported_at,
        row.row_count,
        row.organisation,
        row.id_column,
        row.encoding,
        dict(row.mapping or {}),
    )


def add_list(conn: Connection, victim_list: VictimList, imported_by: str) -> VictimList:
    """Insert a list's provenance row (its records are added with `add_records`)."""
    lid = insert_id(
        conn,
        insert(victim_lists).values(**_list_values(victim_list), imported_by=imported_by),
    )
    return get_list(conn, lid)


def _list_values(victim_list: VictimList) -> dict[str, Any]:
    return {
        "name": victim_list.name,
        "organisation": victim_list.organisation,
        "file_name": victim_list.file_name,
        "file_sha256": victim_list.file_sha256,
        "encoding": victim_list.encoding,
        "id_column": victim_list.id_column,
        "mapping": dict(victim_list.mapping),
        "row_count": victim_list.row_count,
        "imported_at": victim_list.imported_at or datetime.now(UTC),
    }


def update_list(conn: Connection, list_id: int, victim_list: VictimList, imported_by: str) -> None:
    """Overwrite a list's provenance (same id, so anything keyed by the list id stays valid)."""
    conn.execute(
        update(victim_lists)
        .where(victim_lists.c.id == list_id)
        .values(**_list_values(victim_list), imported_by=imported_by)
    )


def set_row_count(conn: Connection, list_id: int, row_count: int) -> None:
    """Record how many records a list holds once they are all in."""
    conn.execute(
        update(victim_lists).where(victim_lists.c.id == list_id).values(row_count=row_count)
    )


def _record_values(list_id: int, record: ListRecord) -> dict[str, Any]:
    return {
        "list_id": list_id,
        "row_number": record.row_number,
        "record_id": record.record_id,
        "raw": record.raw,
        "given": record.given,
        "father": record.father,
        "grandfather": record.grandfather,
        "family": record.family,
        "mother": record.mother,
        "full_name": record.full_name,
        "sex": record.sex,
        "birth_earliest": record.birth.earliest,
        "birth_latest": record.birth.latest,
        "death_earliest": record.death.earliest,
        "death_latest": record.death.latest,
        "death_precision": record.death.precision.value,
        "governorate_pcode": record.governorate_pcode,
        "place_text": record.place_text,
    }


def add_records(conn: Connection, list_id: int, records: Iterable[ListRecord]) -> int:
    """Insert records in one executemany (fast on SQLite and PostgreSQL); returns how many."""
    values = [_record_values(list_id, r) for r in records]
    if values:
        conn.execute(insert(list_records), values)
    return len(values)


def record_keys(conn: Connection, list_id: int) -> dict[str, int]:
    """Record id → stored key of every record of a list (to update records in place)."""
    query = select(list_records.c.record_id, list_records.c.id).where(
        list_records.c.list_id == list_id
    )
    return {record_id: key for record_id, key in conn.execute(query)}


def update_records(
    conn: Connection, list_id: int, records: Iterable[tuple[int, ListRecord]]
) -> int:
    """Overwrite stored records (by key) with new values; keys, and what refers to them, stay."""
    values = [{**_record_values(list_id, r), "key": key} for key, r in records]
    if values:
        conn.execute(
            update(list_records).where(list_records.c.id == bindparam("key")),
            values,
        )
    return len(values)


def delete_records_by_key(conn: Connection, keys: Iterable[int]) -> int:
    """Remove records by stored key (in chunks, to stay within parameter limits)."""
    chosen = sorted(keys)
    for start in range(0, len(chosen), 1000):
        chunk = chosen[start : start + 1000]
        conn.execute(delete(list_records).where(list_records.c.id.in_(chunk)))
    return len(chosen)


def delete_records(conn: Connection, list_id: int) -> None:
    """Remove every record of a list (before replacing them)."""
    conn.execute(delete(list_records).where(list_records.c.list_id == list_id))


def delete_list(conn: Connection, list_id: int) -> None:
    """Remove a list and its records."""
    delete_records(conn, list_id)
    conn.execute(delete(victim_lists).where(victim_lists.c.id == list_id))


def find_list(conn: Connection, name: str) -> VictimList | None:
    """A list by its name, or None."""
    row = conn.execute(select(victim_lists).where(victim_lists.c.name == name)).first()
    return _victim_list(row) if row is not None else None


def get_list(conn: Connection, victim_list: int | str) -> VictimList:
    """A list by id or name; unknown is a NotFoundError."""
    cond = (
        victim_lists.c.id == victim_list
        if isinstance(victim_list, int)
        else victim_lists.c.name == victim_list
    )
    row = conn.execute(select(victim_lists).where(cond)).first()
    if row is None:
        raise NotFoundError(f"no list {victim_list!r}", hint="`sijill lists list` shows them")
    return _victim_list(row)


def list_lists(conn: Connection) -> list[VictimList]:
    """Every list, by name."""
    return [
        _victim_list(r) for r in conn.execute(select(victim_lists).order_by(victim_lists.c.name))
    ]


def count_records(conn: Connection, list_id: int | None = None) -> int:
    """How many records a list (or all lists) hold."""
    query = select(func.count()).select_from(list_records)
    if list_id is not None:
        query = query.where(list_records.c.list_id == list_id)
    return int(conn.execute(query).scalar_one())


def _date(earliest: Any, latest: Any, precision: str | None) -> UncertainDate:
    """Rebuild an interval; without a stored precision (birth) it is inferred from the ends."""
    if earliest is None and latest is None:
        return UncertainDate.unknown()
    if precision:
        return UncertainDate(earliest, latest, DatePrecision(precision))
    if earliest is None:
        return UncertainDate(earliest, latest, DatePrecision.BEFORE)
    if latest is None:
        return UncertainDate(earliest, latest, DatePrecision.AFTER)
    if earliest == latest:
        return UncertainDate(earliest, latest, DatePrecision.DAY)
    whole_year = (earliest.month, earliest.day, latest.month, latest.day) == (1, 1, 12, 31)
    if whole_year and earliest.year == latest.year:
        return UncertainDate(earliest, latest, DatePrecision.YEAR)
    return UncertainDate(earliest, latest, DatePrecision.RANGE)


def _record(row: Any) -> ListRecord:
    return ListRecord(
        row.id,
        row.list_id,
        row.row_number,
        row.record_id,
        dict(row.raw),
        row.given,
        row.father,
        row.grandfather,
        row.family,
        row.mother,
        row.full_name,
        row.sex,
        _date(row.birth_earliest, row.birth_latest, None),
        _date(row.death_earliest, row.death_latest, row.death_precision),
        row.governorate_pcode,
        row.place_text,
    )


def list_records_of(
    conn: Connection, list_id: int, *, limit: int | None = None, offset: int = 0
) -> list[ListRecord]:
    """A list's records in file order (optionally one page of them)."""
    query = (
        select(list_records)
        .where(list_records.c.list_id == list_id)
        .order_by(list_records.c.row_number)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [_record(r) for r in conn.execute(query)]


def records_frame(conn: Connection, list_ids: list[int] | None = None) -> pd.DataFrame:
    """Records of some (or all) lists as a pandas DataFrame with FRAME_COLUMNS (for linkage).

    `id` is the stored record's key, `list` the list's name; the raw row is left out (it is
    wide and verbatim); dates are Python dates or None.
    """
    import pandas as pd

    cols = [list_records.c.id, victim_lists.c.name.label("list")] + [
        list_records.c[c] for c in FRAME_COLUMNS if c not in ("id", "list")
    ]
    query = (
        select(*cols)
        .join(victim_lists, victim_lists.c.id == list_records.c.list_id)
        .order_by(victim_lists.c.name, list_records.c.row_number)
    )
    if list_ids is not None:
        query = query.where(list_records.c.list_id.in_(list_ids))
    rows = conn.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=FRAME_COLUMNS)
