"""Excel workbooks (XLSX): the first sheet or a named one, read-only and streamed, cells as text."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sijill.errors import ImportRejectedError, InputError, RowError
from sijill.importers.table import (
    RawRow,
    RawTable,
    ReadLimits,
    clean_headers,
    file_digest,
    is_blank,
)


def cell_text(value: Any) -> str:
    """A cell as the text a person would read: whole numbers without ".0", dates as ISO days."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        # data_only: a formula's cached value, as the spreadsheet shows it; text cells that merely
        # start with "=" stay verbatim (and are flagged for exports by the row checks).
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"{path.name} is not a readable XLSX workbook ({exc.__class__.__name__})",
            hint="save it as .xlsx from the spreadsheet program, or export CSV",
        ) from None


def read_xlsx(
    path: Path, *, sheet: str | None = None, limits: ReadLimits | None = None
) -> RawTable:
    """Open an XLSX list: the first worksheet (or `sheet`); the first row names the columns."""
    limits = limits or ReadLimits.from_environment()
    source = path.name
    sha256, size = file_digest(path, limits)
    # One workbook per table: opening a read-only workbook measures every sheet, which means
    # reading it whole when the file (e.g. one written by openpyxl itself) stores no dimension.
    workbook = _open_workbook(path)
    try:
        names = list(workbook.sheetnames)
        chosen = sheet if sheet is not None else (names[0] if names else None)
        if chosen is None or chosen not in names:
            raise InputError(
                f"{source} has no sheet {sheet!r}",
                hint="sheets: " + ", ".join(repr(n) for n in names),
            )
        worksheet = workbook[chosen]
        header = next(worksheet.iter_rows(max_row=1, values_only=True), None)
        if header is None or is_blank([cell_text(v) for v in header]):
            raise ImportRejectedError(
                source, [RowError(0, None, f"sheet {chosen!r} is empty: no header row")]
            )
        headers = clean_headers(source, [cell_text(v) for v in header])
    except BaseException:
        workbook.close()
        raise

    def open_rows() -> Iterator[RawRow]:
        rows = worksheet.iter_rows(min_row=2, values_only=True)
        for number, values in enumerate(rows, start=1):
            limits.check_row(number)
            cells = [cell_text(v) for v in values]
            if not is_blank(cells):
                yield number, cells

    return RawTable(
        path, headers, "", sha256, size, "xlsx", open_rows, {"sheet": chosen}, workbook.close
    )
