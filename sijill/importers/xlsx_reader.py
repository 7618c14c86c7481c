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
from sijill.importers.xlsx_stream import UnsupportedWorkbook, WorksheetStream


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
    """Open an XLSX list: the first worksheet (or `sheet`); the first row names the columns.

    Cells are read by the fast streaming reader (`xlsx_stream`), or by openpyxl when the
    workbook uses something that reader does not handle; both give the same text.
    """
    limits = limits or ReadLimits.from_environment()
    sha256, size = file_digest(path, limits)
    try:
        return _read_streaming(path, sheet, limits, sha256, size)
    except UnsupportedWorkbook:
        return _read_openpyxl(path, sheet, limits, sha256, size)


def _no_sheet(source: str, sheet: str | None, names: list[str]) -> InputError:
    return InputError(
        f"{source} has no sheet {sheet!r}", hint="sheets: " + ", ".join(repr(n) for n in names)
    )


def _header(source: str, chosen: str, cells: list[str] | None) -> list[str]:
    if cells is None or is_blank(cells):
        raise ImportRejectedError(
            source, [RowError(0, None, f"sheet {chosen!r} is empty: no header row")]
        )
    return clean_headers(source, cells)


def _read_streaming(
    path: Path, sheet: str | None, limits: ReadLimits, sha256: str, size: int
) -> RawTable:
    source = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            f"{path.name} is not a readable XLSX workbook ({exc.__class__.__name__})",
            hint="save it as .xlsx from the spreadsheet program, or export CSV",
        ) from None
    try:
        stream = WorksheetStream(archive, sheet)
        if stream.chosen is None or stream.chosen not in stream.sheet_names:
            raise _no_sheet(source, sheet, stream.sheet_names)
        chosen = stream.chosen
        rows = stream.rows()
        first = next(rows, None)
        if hasattr(rows, "close"):
            rows.close()
        headers = _header(source, chosen, first[1] if first and first[0] == 1 else None)
    except BaseException:
        archive.close()
        raise

    def open_rows() -> Iterator[RawRow]:
        for number, cells in stream.rows():
            if number <= 1:
                continue
            limits.check_row(number - 1)
            if not is_blank(cells):
                # Empty trailing cells are not stored in the XML; pad like openpyxl does.
                yield number - 1, cells + [""] * (len(headers) - len(cells))

    details = {"sheet": chosen}
    return RawTable(path, headers, "", sha256, size, "xlsx", open_rows, details, archive.close)


def _read_openpyxl(
    path: Path, sheet: str | None, limits: ReadLimits, sha256: str, size: int
) -> RawTable:
    source = path.name
    # One workbook per table: opening a read-only workbook measures every sheet, which means
    # reading it whole when the file (e.g. one written by openpyxl itself) stores no dimension.
    workbook = _open_workbook(path)
    try:
        names = list(workbook.sheetnames)
        chosen = sheet if sheet is not None else (names[0] if names else None)
        if chosen is None or chosen not in names:
            raise _no_sheet(source, sheet, names)
        worksheet = workbook[chosen]
        header = next(worksheet.iter_rows(max_row=1, values_only=True), None)
        headers = _header(
            source, chosen, None if header is None else [cell_text(v) for v in header]
        )
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

    details = {"sheet": chosen, "reader": "openpyxl"}
    return RawTable(path, headers, "", sha256, size, "xlsx", open_rows, details, workbook.close)
