"""The common shape every list reader produces: headers, streamed rows and the file's provenance."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sijill.errors import ImportRejectedError, InputError, RowError

#: Environment variables that raise or lower the default import limits (bytes, data rows).
MAX_BYTES_ENV = "SIJILL_IMPORT_MAX_BYTES"
MAX_ROWS_ENV = "SIJILL_IMPORT_MAX_ROWS"
_DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB: far above any list seen in practice, far below a crash
_DEFAULT_MAX_ROWS = 5_000_000

#: One data row: its 1-based number (the header is row 0) and its cells as text.
RawRow = tuple[int, list[str]]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{name}={value!r} is not a whole number") from None


@dataclass(frozen=True)
class ReadLimits:
    """How big a list file may be before it is refused (rather than exhausting memory).

    Rows are streamed, so memory does not grow with the file; the limits stop a mistaken
    multi-gigabyte file early with a clear message. Defaults: 1 GiB and 5,000,000 data rows,
    overridable with SIJILL_IMPORT_MAX_BYTES and SIJILL_IMPORT_MAX_ROWS.
    """

    max_bytes: int = _DEFAULT_MAX_BYTES
    max_rows: int = _DEFAULT_MAX_ROWS

    @classmethod
    def from_environment(cls) -> ReadLimits:
        """The defaults, overridden by the environment variables when set."""
        return cls(
            _env_int(MAX_BYTES_ENV, _DEFAULT_MAX_BYTES), _env_int(MAX_ROWS_ENV, _DEFAULT_MAX_ROWS)
        )

    def check_row(self, number: int) -> None:
        """Refuse a file once it goes past the row limit."""
        if number > self.max_rows:
            raise InputError(
                f"the file has more than {self.max_rows:,} data rows",
                hint=f"split the list, or raise the limit with {MAX_ROWS_ENV}",
            )


@dataclass
class RawTable:
    """A list file as read: headers, rows as text (streamed on demand) and provenance.

    Attributes:
        path: The file read.
        headers: Column names, stripped; unique (duplicates are rejected when reading).
        encoding: The text encoding used ("" for XLSX; "utf-8" for JSON).
        sha256: SHA-256 of the file's bytes, so any later copy can be checked against it.
        size: The file's size in bytes.
        file_format: "csv", "xlsx", "json" or "jsonl".
        details: Format facts shown in the preview (delimiter, sheet, how the encoding was chosen).
        open_rows: Starts a fresh pass over the data rows; each call re-reads the file.
        close: Releases what the reader holds open (an XLSX workbook); safe to call twice.
    """

    path: Path
    headers: list[str]
    encoding: str
    sha256: str
    size: int
    file_format: str
    open_rows: Callable[[], Iterator[RawRow]] = field(repr=False)
    details: dict[str, str] = field(default_factory=dict)
    close: Callable[[], None] = field(default=lambda: None, repr=False)

    def rows(self) -> Iterator[RawRow]:
        """Every non-blank data row with its number, read from the file as it is consumed."""
        return self.open_rows()


def file_digest(path: Path, limits: ReadLimits) -> tuple[str, int]:
    """SHA-256 and size of a file, refusing it before reading when it is too big or empty."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a list file")
    if size > limits.max_bytes:
        raise InputError(
            f"{path.name} is {size / 2**20:,.0f} MiB, above the import limit of "
            f"{limits.max_bytes / 2**20:,.0f} MiB",
            hint=f"split the list, or raise the limit with {MAX_BYTES_ENV} (bytes)",
        )
    if size == 0:
        raise ImportRejectedError(path.name, [RowError(0, None, "the file is empty")])
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest(), size


def clean_headers(source: str, cells: list[str]) -> list[str]:
    """Header cells stripped; blank ones named `column_N`; duplicates and no header rejected."""
    headers = [c.strip().lstrip("\ufeff").strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportRejectedError(
            source, [RowError(0, None, "the header row is empty: the first row must name columns")]
        )
    headers = [h or f"column_{i}" for i, h in enumerate(headers, start=1)]
    seen: dict[str, int] = {}
    problems = []
    for i, name in enumerate(headers, start=1):
        key = name.casefold()
        if key in seen:
            problems.append(
                RowError(
                    0,
                    name,
                    f"duplicate header: columns {seen[key]} and {i} are both named {name!r}",
                )
            )
        else:
            seen[key] = i
    if problems:
        raise ImportRejectedError(source, problems)
    return headers


def is_blank(cells: list[str]) -> bool:
    """Whether a row holds nothing but whitespace (such rows are skipped, keeping numbering)."""
    return all(not c.strip() for c in cells)
