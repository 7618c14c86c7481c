"""Use cases for victim lists: import (all or nothing, with provenance), preview, browse records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sijill.domain.lists import ListRecord, VictimList
from sijill.errors import InputError
from sijill.importers.encoding import garbled_hint, looks_garbled
from sijill.importers.mapping import ColumnMapping, guess_mapping, read_mapping_file
from sijill.importers.parse_row import Notice
from sijill.importers.readers import open_table
from sijill.importers.table import RawTable, ReadLimits
from sijill.importers.validate import PreviewRow, parse_table, preview_table
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import lists as store

if TYPE_CHECKING:
    import pandas as pd

_MAX_NAME = 100


@dataclass
class ImportReport:
    """What an import (or a preview) read, mapped, stored and noticed.

    Attributes:
        list_name: The name the list is (or would be) stored under.
        file_name, sha256, size, file_format, encoding: The file as read.
        details: Format facts: delimiter, sheet, how the encoding was chosen.
        headers: The file's columns.
        mapping: Which column holds which field (what --save-mapping writes).
        id_column: Column of record ids; None when records are numbered by row.
        rows: Records imported (0 for a preview).
        notices: Warnings (unrecognised labels, formula-like cells, ages without dates …).
        preview: The first rows parsed, with their errors.
        garbled: A hint when the decoded text looks like the wrong encoding, else None.
        victim_list: The stored list (None for a preview).
        replaced: Whether an existing list of that name was replaced.
        name_taken: A list of this name already exists (importing needs `replace`).
        changes: Records added, updated in place and removed (a replacement keeps the stored
            key of every record whose id is in both files).
    """

    list_name: str
    file_name: str
    sha256: str
    size: int
    file_format: str
    encoding: str
    details: dict[str, str]
    headers: list[str]
    mapping: ColumnMapping
    id_column: str | None
    rows: int = 0
    notices: list[Notice] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    garbled: str | None = None
    victim_list: VictimList | None = None
    replaced: bool = False
    changes: dict[str, int] = field(default_factory=dict)
    name_taken: bool = False


def _check_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InputError("a list needs a name", hint="give --list NAME, e.g. --list VDC-2016")
    if len(clean) > _MAX_NAME:
        raise InputError(f"the list name is {len(clean)} characters (at most {_MAX_NAME})")
    return clean


def _resolve_mapping(
    table: RawTable, mapping: ColumnMapping | str | Path | None, id_column: str | None
) -> tuple[ColumnMapping, str | None]:
    """The guessed mapping overridden by a mapping (file) and --id-column; checked on the file."""
    chosen = guess_mapping(table.headers)
    if isinstance(mapping, ColumnMapping):
        chosen = mapping
    elif mapping is not None:
        chosen = chosen.overridden_by(read_mapping_file(mapping))
    if id_column is not None:
        if id_column not in table.headers:
            raise InputError(
                f"{table.path.name} has no column {id_column!r} for record ids",
                hint="columns: " + ", ".join(repr(h) for h in table.headers),
            )
        chosen = chosen.overridden_by({"record_id": id_column})
    chosen.check_headers(table.headers, table.path.name)
    return chosen, chosen.column("record_id")


def _garbled(table: RawTable, rows: list[PreviewRow]) -> str | None:
    if table.file_format != "csv":
        return None
    text = " ".join([*table.headers, *(cell for r in rows for cell in r.raw.values())])
    return garbled_hint(table.encoding) if looks_garbled(text) else None


def import_list(
    s: Session,
    path: str | Path,
    list_name: str,
    id_column: str | None = None,
    mapping: ColumnMapping | str | Path | None = None,
    encoding: str | None = None,
    replace: bool = False,
    preview: bool = False,
    *,
    sheet: str | None = None,
    organisation: str = "",
    limits: ReadLimits | None = None,
    preview_rows: int = 10,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a victim list whole, or reject it whole; or only preview it.

    Columns are mapped from the headers (Arabic or English), then overridden by `mapping` (a
    ColumnMapping, or a mapping file whose entries replace the guesses) and `id_column`. Record
    ids come from the id column (given, or recognised from a header such as "ID"/"الرقم");
    with none, records are numbered by data row (1 = the first row under the header). Every row
    is checked; any problem rejects the file (ImportRejectedError lists the first ones by row
    and column) and the session's transaction keeps nothing. A list name already taken is an
    error unless `replace`: the list keeps its id; records whose record id is in the new file are
    updated in place (keeping their stored keys, so review decisions and clusters that refer to
    them survive), new ones are added and missing ones removed. Ids from an id column are stable
    across re-imports; row-number ids are stable only if the file's row order is.

    Args:
        s: The session (needs WORK_LISTS).
        path: CSV/TSV, XLSX or JSON/JSONL file.
        list_name: The list's name in Sijill (unique).
        id_column: Column holding each record's id in the source list.
        mapping: Column mapping or mapping file.
        encoding: Text encoding of a CSV file (detected when None).
        replace: Replace an existing list of this name.
        preview: Only read and parse the first `preview_rows` rows; store nothing.
        sheet: Worksheet of an XLSX workbook (the first when None).
        organisation: Who compiled the list.
        limits: Size and row limits (see ReadLimits).
        preview_rows: How many rows the preview parses.
        progress: Called with the latest row number as rows are checked.
    """
    s.require(Permission.WORK_LISTS, target=f"list:{list_name}")
    name = _check_name(list_name)
    table = open_table(path, encoding=encoding, sheet=sheet, limits=limits)
    try:
        return _import_table(
            s,
            table,
            name,
            id_column,
            mapping,
            replace,
            preview,
            organisation,
            preview_rows,
            progress,
        )
    finally:
        table.close()


def _import_table(
    s: Session,
    table: RawTable,
    name: str,
    id_column: str | None,
    mapping: ColumnMapping | str | Path | None,
    replace: bool,
    preview: bool,
    organisation: str,
    preview_rows: int,
    progress: Callable[[int], None] | None,
) -> ImportReport:
    chosen, id_col = _resolve_mapping(table, mapping, id_column)
    rows, notices = preview_table(table, chosen, id_col, preview_rows)
    report = ImportReport(
        name,
        table.path.name,
        table.sha256,
        table.size,
        table.file_format,
        table.encoding,
        dict(table.details),
        list(table.headers),
        chosen,
        id_col,
        notices=notices,
        preview=rows,
        garbled=_garbled(table, rows),
    )
    existing = store.find_list(s.conn, name)
    report.name_taken = existing is not None
    if preview:
        return report
    if existing is not None and not replace:
        raise InputError(
            f"a list named {name!r} already exists ({existing.row_count} records from "
            f"{existing.file_name})",
            hint="give --replace to replace its records, or another --list name",
        )
    provenance = VictimList(
        0,
        name,
        table.path.name,
        table.sha256,
        datetime.now(UTC),
        0,
        organisation,
        id_col,
        table.encoding or table.file_format,
        dict(chosen.fields),
    )
    if existing is not None:
        list_id = existing.id
        store.update_list(s.conn, list_id, provenance, s.actor.username)
    else:
        list_id = store.add_list(s.conn, provenance, s.actor.username).id
    writer = _RecordWriter(s, list_id, store.record_keys(s.conn, list_id) if existing else {})
    summary = parse_table(table, chosen, id_col, writer.write, progress=progress)
    removed = writer.remove_stale()
    store.set_row_count(s.conn, list_id, summary.rows)
    counts = {"added": writer.added, "updated": writer.updated, "removed": removed}
    s.audit(
        "list.replace" if existing is not None else "list.import",
        f"list:{name}",
        rows=summary.rows,
        file_sha256=table.sha256,
        file_format=table.file_format,
        encoding=table.encoding,
        **(counts if existing is not None else {}),
    )
    report.changes = counts
    report.rows = summary.rows
    report.notices = summary.notices
    report.victim_list = store.get_list(s.conn, list_id)
    report.replaced = existing is not None
    return report


@dataclass
class _RecordWriter:
    """Stores batches of records; on a replacement, records whose id is already stored are
    updated in place so their keys (and review decisions and clusters that refer to them) stay."""

    s: Session
    list_id: int
    stored: dict[str, int]
    added: int = 0
    updated: int = 0
    _kept: set[int] = field(default_factory=set)

    def write(self, batch: list[ListRecord]) -> None:
        fresh: list[ListRecord] = []
        same: list[tuple[int, ListRecord]] = []
        for record in batch:
            key = self.stored.get(record.record_id)
            if key is None:
                fresh.append(record)
            else:
                same.append((key, record))
                self._kept.add(key)
        self.updated += store.update_records(self.s.conn, self.list_id, same)
        self.added += store.add_records(self.s.conn, self.list_id, fresh)

    def remove_stale(self) -> int:
        """Delete stored records the new file no longer has; returns how many."""
        stale = set(self.stored.values()) - self._kept
        return store.delete_records_by_key(self.s.conn, stale)


def list_lists(s: Session) -> list[VictimList]:
    """Every imported list with its provenance."""
    s.require(Permission.READ_LISTS)
    return store.list_lists(s.conn)


def get_list(s: Session, name: str) -> VictimList:
    """One list by name."""
    s.require(Permission.READ_LISTS, target=f"list:{name}")
    return store.get_list(s.conn, name)


def list_records(
    s: Session, name: str, *, limit: int | None = None, offset: int = 0
) -> list[ListRecord]:
    """A list's records in file order, each with its raw row and parsed fields."""
    s.require(Permission.READ_LISTS, target=f"list:{name}")
    found = store.get_list(s.conn, name)
    return store.list_records_of(s.conn, found.id, limit=limit, offset=offset)


def records_frame(s: Session, names: list[str] | None = None) -> pd.DataFrame:
    """Records of the named lists (all when None) as a DataFrame for linkage (see FRAME_COLUMNS)."""
    s.require(Permission.READ_LISTS)
    ids = None if names is None else [store.get_list(s.conn, n).id for n in names]
    return store.records_frame(s.conn, ids)
