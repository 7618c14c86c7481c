"""Choose the reader for a list file from its extension (or, failing that, its first bytes)."""

from __future__ import annotations

from pathlib import Path

from sijill.errors import InputError
from sijill.importers.csv_reader import read_csv
from sijill.importers.json_reader import read_json
from sijill.importers.table import RawTable, ReadLimits
from sijill.importers.xlsx_reader import read_xlsx

_CSV = {".csv", ".tsv", ".txt", ".tab"}
_XLSX = {".xlsx", ".xlsm"}
_JSON = {".json", ".jsonl", ".ndjson"}


def _sniff_format(path: Path) -> str:
    with path.open("rb") as handle:
        start = handle.read(8)
    if start.startswith(b"PK\x03\x04"):
        return "xlsx"
    if start.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def open_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    limits: ReadLimits | None = None,
) -> RawTable:
    """Open a victim-list file (CSV and other delimited text, XLSX, JSON, JSON Lines).

    Args:
        path: The file.
        encoding: Text encoding of a CSV file; detected when None. JSON is always UTF-8.
        sheet: Worksheet of an XLSX file; the first when None.
        limits: Size and row limits; `ReadLimits.from_environment()` when None.

    Returns:
        The headers and provenance now; rows are read as `RawTable.rows()` is consumed.
    """
    file = Path(path)
    if not file.exists():
        raise InputError(f"no such file: {file}")
    suffix = file.suffix.lower()
    if suffix == ".xls":
        raise InputError(
            f"{file.name} is an old-style .xls workbook",
            hint="save it as .xlsx (or export CSV UTF-8) from the spreadsheet program",
        )
    kind = (
        "csv"
        if suffix in _CSV
        else "xlsx"
        if suffix in _XLSX
        else "json"
        if suffix in _JSON
        else _sniff_format(file)
        if file.is_file()
        else "csv"
    )
    if kind != "csv" and encoding:
        raise InputError(
            f"--encoding applies to CSV files only; {file.name} is {kind.upper()}",
            hint="drop --encoding (XLSX stores its own text; JSON is UTF-8)",
        )
    if kind != "xlsx" and sheet:
        raise InputError(f"--sheet applies to XLSX workbooks only; {file.name} is not one")
    if kind == "xlsx":
        return read_xlsx(file, sheet=sheet, limits=limits)
    if kind == "json":
        return read_json(file, limits=limits)
    return read_csv(file, encoding=encoding, limits=limits)
