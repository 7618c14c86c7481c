"""Write a simulation to files: the lists, truth, capture history, persons and config.json."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from sijill.errors import InputError
from sijill.geo import ATTRIBUTION
from sijill.simulate.config import ListConfig
from sijill.simulate.run import SimulationResult

_FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_FIXED_XLSX_TIME = "2000-01-01T00:00:00Z"
FORMAT_VERSION = 1


def list_file_name(lst: ListConfig) -> str:
    """The file name of a list (its name plus the format's extension)."""
    return f"{lst.name}.{lst.file_format}"


def _csv_bytes(table: pd.DataFrame, lst: ListConfig) -> bytes:
    text: str = table.to_csv(index=False, sep=lst.delimiter, lineterminator="\r\n")
    try:
        return text.encode(lst.encoding)
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        raise InputError(
            f"list {lst.name!r}: {bad!r} cannot be written in {lst.encoding}",
            hint="use encoding 'utf-8' for this list",
        ) from None


def _xlsx_bytes(table: pd.DataFrame, lst: ListConfig) -> bytes:
    """The list as an XLSX workbook: openpyxl builds the package, the rows are streamed in.

    openpyxl's write-only sheets store text as inline strings; writing the data rows in that
    same form ourselves is about ten times faster than one openpyxl cell object per value,
    which matters for lists of 100,000 rows. Missing values are empty cells; short digit
    strings (years, ages) are numbers, as spreadsheet exports have them.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "_", lst.name)[:31] or "list")
    sheet.append(list(table.columns))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _deterministic_zip(buffer.getvalue(), _sheet_rows(table))


def _sheet_rows(table: pd.DataFrame) -> bytes:
    letters = [get_column_letter(j + 1) for j in range(table.shape[1])]
    parts: list[str] = []
    for r, row in enumerate(table.itertuples(index=False, name=None), start=2):
        parts.append(f'<row r="{r}">')
        for letter, value in zip(letters, row, strict=True):
            text = str(value)
            if not text:
                continue
            if text.isascii() and text.isdigit() and len(text) < 6:
                parts.append(f'<c r="{letter}{r}" t="n"><v>{int(text)}</v></c>')
            else:
                parts.append(f'<c r="{letter}{r}" t="inlineStr"><is><t>{escape(text)}</t></is></c>')
        parts.append("</row>")
    return "".join(parts).encode("utf-8")


def _deterministic_zip(data: bytes, rows: bytes = b"") -> bytes:
    """Re-pack an XLSX with fixed entry times and document dates, so equal input gives equal bytes.

    `rows` (serialised data rows) are inserted after the sheet's header row.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rf"\g<1>{_FIXED_XLSX_TIME}\2",
                    text,
                )
                content = text.encode("utf-8")
            elif info.filename == "xl/worksheets/sheet1.xml" and rows:
                content = content.replace(b"</sheetData>", rows + b"</sheetData>", 1)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def _description(result: SimulationResult) -> dict[str, Any]:
    config = result.config
    truth = result.truth
    lists = []
    for lst in config.lists:
        mine = truth[truth["list"] == lst.name]
        lists.append(
            {
                "name": lst.name,
                "file": list_file_name(lst),
                "format": lst.file_format,
                "encoding": lst.encoding if lst.file_format == "csv" else None,
                "delimiter": lst.delimiter if lst.file_format == "csv" else None,
                "scheme": lst.scheme,
                "header_language": lst.header_language,
                "id_column": result.columns[lst.name]["id"],
                "columns": result.columns[lst.name],
                "date_format": lst.date_format,
                "sex_coding": lst.sex_coding,
                "records": len(mine),
                "persons": int(mine["person_id"].nunique()),
                "duplicates": int(mine["duplicate"].sum()),
                "copied": int(mine["copied"].sum()),
            }
        )
    return {
        "format_version": FORMAT_VERSION,
        "seed": config.seed,
        "preset": config.preset,
        "true_N": result.true_n,
        "observed_N": result.observed_n,
        "records": len(truth),
        "files": {
            "truth": "truth.csv",
            "capture_history": "capture_history.csv",
            "persons": "persons.csv",
        },
        "lists": lists,
        "config": config.to_dict(),
        "attribution": ATTRIBUTION,
    }


def write_simulation(result: SimulationResult, out_dir: Path | str) -> list[Path]:
    """Write every file of a simulation into `out_dir` (created if needed).

    Files: one file per list (CSV or XLSX, encoded and delimited as configured);
    `truth.csv` (list, record_id, person_id); `capture_history.csv` (one 0/1 column per list and
    `count`, patterns in binary order, list 1 most significant); `persons.csv` (the true
    population); `config.json` (seed, true N, observed N, each list's file, encoding and column
    names, and the full configuration). The same result always gives the same bytes.

    Returns:
        The paths written, lists first.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} exists and is not a directory", hint="choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(name: str, data: bytes) -> None:
        path = out / name
        path.write_bytes(data)
        written.append(path)

    for lst in result.config.lists:
        table = result.lists[lst.name]
        data = _xlsx_bytes(table, lst) if lst.file_format == "xlsx" else _csv_bytes(table, lst)
        put(list_file_name(lst), data)
    truth = result.truth[["list", "record_id", "person_id"]]
    put("truth.csv", truth.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    history = result.capture_history.to_csv(index=False, lineterminator="\n")
    put("capture_history.csv", history.encode("utf-8"))
    put("persons.csv", result.persons.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    description = json.dumps(_description(result), ensure_ascii=False, indent=2) + "\n"
    put("config.json", description.encode("utf-8"))
    return written
