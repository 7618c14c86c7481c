"""All-or-nothing checking of a whole list: every row parsed, problems collected, good rows batched.

Rows are handed to a sink in batches only while no problem has been found; after the first
problem every remaining row is still checked (so the report lists the first problems and the
total) but nothing more is handed on, and the file is rejected at the end. The caller runs the
sink inside one database transaction, so a rejection rolls back the batches already written:
nothing of a rejected file is ever kept, and memory stays flat on large files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sijill.domain.lists import ListRecord
from sijill.errors import ImportRejectedError, InputError, RowError
from sijill.importers.mapping import ColumnMapping
from sijill.importers.parse_row import Notice, RowParser
from sijill.importers.table import RawTable

#: How many problems a rejection lists (the total is always given).
SHOWN_PROBLEMS = 20


@dataclass
class ParseSummary:
    """What checking a whole file found: rows accepted and the warnings (never errors)."""

    rows: int
    notices: list[Notice] = field(default_factory=list)


@dataclass
class PreviewRow:
    """One of the first rows of a file: the cells as read and what they parse into."""

    row_number: int
    raw: dict[str, str]
    record: ListRecord | None
    errors: list[RowError]


def check_id_column(table: RawTable, id_column: str | None) -> None:
    """Refuse an id column the file does not have (listing the columns it does)."""
    if id_column is not None and id_column not in table.headers:
        raise InputError(
            f"{table.path.name} has no column {id_column!r} for record ids",
            hint="columns: " + ", ".join(repr(h) for h in table.headers),
        )


def parse_table(
    table: RawTable,
    mapping: ColumnMapping,
    id_column: str | None,
    sink: Callable[[list[ListRecord]], None],
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> ParseSummary:
    """Check every row and pass accepted records to `sink` in batches; reject the file on problems.

    Args:
        table: The opened file.
        mapping: Column mapping (already checked against the headers).
        id_column: Column of record ids; None numbers records by row (1 = first data row).
        sink: Receives batches of records, in file order, only while no problem has been seen.
        batch_size: Records per batch.
        progress: Called with the latest row number every 1,000 rows.

    Raises:
        ImportRejectedError: Any row failed: the first problems by row and column, and the total.
    """
    check_id_column(table, id_column)
    parser = RowParser(table.headers, mapping, id_column)
    seen: dict[str, int] = {}
    problems: list[RowError] = []
    total_problems = 0
    batch: list[ListRecord] = []
    rows = 0
    for number, cells in table.rows():
        rows += 1
        record, errors = parser.parse(number, cells)
        if record is not None:
            first = seen.setdefault(record.record_id, number)
            if first != number:
                errors = [
                    RowError(
                        number,
                        id_column or "(row number)",
                        f"record id {record.record_id!r} already used by row {first}",
                    )
                ]
        if errors:
            total_problems += len(errors)
            room = SHOWN_PROBLEMS - len(problems)
            problems += errors[: max(room, 0)]
            batch = []
        elif not total_problems and record is not None:
            batch.append(record)
            if len(batch) >= batch_size:
                sink(batch)
                batch = []
        if progress is not None and rows % 1000 == 0:
            progress(number)
    if rows == 0:
        problems, total_problems = [RowError(0, None, "no data rows below the header")], 1
    if total_problems:
        raise ImportRejectedError(table.path.name, problems, total=total_problems)
    if batch:
        sink(batch)
    if progress is not None:
        progress(rows)
    return ParseSummary(rows, sorted(parser.notices.values(), key=lambda n: n.first_row))


def preview_table(
    table: RawTable, mapping: ColumnMapping, id_column: str | None, count: int = 10
) -> tuple[list[PreviewRow], list[Notice]]:
    """The first `count` rows parsed (nothing stored), with the warnings they raise."""
    check_id_column(table, id_column)
    parser = RowParser(table.headers, mapping, id_column)
    out: list[PreviewRow] = []
    stream = table.rows()
    try:
        for number, cells in stream:
            record, errors = parser.parse(number, cells)
            out.append(
                PreviewRow(number, record.raw if record else _raw(table, cells), record, errors)
            )
            if len(out) >= count:
                break
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    return out, sorted(parser.notices.values(), key=lambda n: n.first_row)


def _raw(table: RawTable, cells: list[str]) -> dict[str, str]:
    return {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(table.headers)}
