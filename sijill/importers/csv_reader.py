"""Delimited text lists (CSV, semicolon, tab, pipe): encoding and delimiter found, rows streamed."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Generator, Iterator
from pathlib import Path

from sijill.errors import ImportRejectedError, InputError, RowError
from sijill.importers.encoding import (
    detect_file_encoding,
    first_invalid,
    line_of,
    normalise_encoding_name,
)
from sijill.importers.table import (
    RawRow,
    RawTable,
    ReadLimits,
    clean_headers,
    file_digest,
    is_blank,
)

_SAMPLE_BYTES = 1 << 16
_DELIMITERS = ",;\t|"
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _decode_sample(raw: bytes, encoding: str, source: str) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(raw, final=False)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: the start of the file is not valid {encoding} (byte {exc.start})",
            hint="give the right --encoding (utf-8, utf-16, windows-1256, iso-8859-6)",
        ) from None


def _choose_delimiter(sample: str) -> str:
    """The delimiter: csv.Sniffer when its answer splits the header, else the most even count."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-row
    if not lines:
        return ","
    try:
        found = csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
        if len(next(csv.reader([lines[0]], delimiter=found))) > 1:
            return found
    except csv.Error:
        pass
    # Fallback: the candidate that splits the header most and the other lines consistently.
    best, best_score = ",", (0, 0)
    for candidate in _DELIMITERS:
        width = lines[0].count(candidate)
        consistent = sum(1 for line in lines[1:] if line.count(candidate) == width)
        score = (width and consistent, width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _decode_error(path: Path, codec: str) -> InputError:
    """Where a file stops being valid `codec`: the exact byte and its line (not a parsed row,
    since text is decoded ahead of the rows in chunks)."""
    offset = first_invalid(path, codec)
    where = f"line {line_of(path, offset)} (byte {offset})" if offset is not None else "a line"
    return InputError(
        f"{path.name}: {where} holds bytes that are not valid {codec}; nothing was imported",
        hint="give the right --encoding (utf-8, utf-16, windows-1256, iso-8859-6)",
    )


def read_csv(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    limits: ReadLimits | None = None,
) -> RawTable:
    """Open a delimited text list: headers now, rows streamed by `RawTable.rows()`.

    Args:
        path: The file.
        encoding: A codec name; detected from the bytes when None (see `detect_encoding`).
        delimiter: One character; found with csv.Sniffer (falling back on counts) when None.
        limits: Size and row limits (ReadLimits.from_environment() by default).
    """
    limits = limits or ReadLimits.from_environment()
    source = path.name
    sha256, size = file_digest(path, limits)
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
    if encoding:
        codec, how = normalise_encoding_name(encoding), "given (--encoding)"
    else:
        codec, how = detect_file_encoding(path, head)
    sample = _decode_sample(head, codec, source)
    if not sample.lstrip("\ufeff").strip():
        raise ImportRejectedError(source, [RowError(0, None, "the file holds no text")])
    sep = delimiter or _choose_delimiter(sample.lstrip("\ufeff"))

    def rows_with_header() -> Generator[tuple[int, list[str]]]:
        number = 0
        with path.open("r", encoding=codec, errors="strict", newline="") as text:
            reader = csv.reader(text, delimiter=sep)
            try:
                for cells in reader:
                    yield number, cells
                    number += 1
            except UnicodeDecodeError:
                raise _decode_error(path, codec) from None
            except csv.Error as exc:
                raise ImportRejectedError(
                    source, [RowError(number, None, f"unreadable CSV: {exc}")]
                ) from None

    stream = rows_with_header()
    first = next(stream, None)
    stream.close()
    if first is None or is_blank(first[1]):
        raise ImportRejectedError(source, [RowError(0, None, "no header row: the file is empty")])
    headers = clean_headers(source, first[1])

    def open_rows() -> Iterator[RawRow]:
        stream = rows_with_header()
        next(stream)
        for number, cells in stream:
            limits.check_row(number)
            if not is_blank(cells):
                yield number, cells

    details = {
        "delimiter": _DELIMITER_NAMES.get(sep, repr(sep)),
        "encoding_source": how,
    }
    return RawTable(path, headers, codec, sha256, size, "csv", open_rows, details)
