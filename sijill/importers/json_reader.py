"""JSON lists: an array of objects, or JSON Lines (one object per line, streamed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sijill.errors import ImportRejectedError, InputError, RowError
from sijill.importers.encoding import first_invalid, line_of
from sijill.importers.table import RawRow, RawTable, ReadLimits, clean_headers, file_digest

# A whole JSON array is parsed in memory; above this size JSON Lines (streamed) is required.
_MAX_ARRAY_BYTES = 256 * 2**20


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKeyError(key)
        seen[key] = value
    return seen


def json_cell(value: Any) -> str:
    """A JSON value as cell text: null is empty, whole numbers without ".0", nested values as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _parse_object(text: str, number: int, source: str) -> dict[str, Any]:
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKeyError as exc:
        raise ImportRejectedError(
            source, [RowError(number, exc.key, "the object names this key twice")]
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportRejectedError(
            source, [RowError(number, None, f"not valid JSON: {exc.msg} (column {exc.colno})")]
        ) from None
    if not isinstance(value, dict):
        raise ImportRejectedError(
            source, [RowError(number, None, "each line must be a JSON object {...}")]
        )
    return value


def _is_jsonl(path: Path) -> bool:
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return True
    with path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return not start.startswith(b"[")


def _keys(objects: Iterator[tuple[int, dict[str, Any]]], source: str) -> list[str]:
    keys: dict[str, None] = {}
    for _, obj in objects:
        keys.update(dict.fromkeys(obj))
    if not keys:
        raise ImportRejectedError(
            source, [RowError(0, None, "no objects with keys: nothing to import")]
        )
    return list(keys)


def read_json(path: Path, *, limits: ReadLimits | None = None) -> RawTable:
    """Open a JSON array of objects or a JSON Lines file; the columns are the keys, in order seen.

    Keys missing from an object are empty cells; a key repeated inside one object is a row error;
    nested arrays or objects are kept as JSON text.
    """
    limits = limits or ReadLimits.from_environment()
    source = path.name
    sha256, size = file_digest(path, limits)
    if _is_jsonl(path):
        fmt = "jsonl"

        def objects() -> Iterator[tuple[int, dict[str, Any]]]:
            number = 0
            with path.open("r", encoding="utf-8-sig") as handle:
                try:
                    for line in handle:
                        if line.strip():
                            number += 1
                            limits.check_row(number)
                            yield number, _parse_object(line, number, source)
                except UnicodeDecodeError:
                    offset = first_invalid(path) or 0
                    raise InputError(
                        f"{source}: line {line_of(path, offset)} (byte {offset}) is not valid "
                        "UTF-8; nothing was imported",
                        hint="JSON files must be UTF-8 (RFC 8259)",
                    ) from None

    else:
        fmt = "json"
        if size > _MAX_ARRAY_BYTES:
            raise InputError(
                f"{source} is a {size / 2**20:,.0f} MiB JSON array, too big to read at once",
                hint="write it as JSON Lines (one object per line, .jsonl), which is streamed",
            )

        def objects() -> Iterator[tuple[int, dict[str, Any]]]:
            try:
                data = json.loads(path.read_text("utf-8-sig"), object_pairs_hook=_no_duplicates)
            except _DuplicateKeyError as exc:
                raise ImportRejectedError(
                    source, [RowError(0, exc.key, "an object names this key twice")]
                ) from None
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ImportRejectedError(
                    source, [RowError(0, None, f"not valid UTF-8 JSON: {exc}")]
                ) from None
            if not isinstance(data, list):
                raise ImportRejectedError(
                    source, [RowError(0, None, "the file must hold an array [ {...}, ... ]")]
                )
            for number, obj in enumerate(data, start=1):
                limits.check_row(number)
                if not isinstance(obj, dict):
                    raise ImportRejectedError(
                        source, [RowError(number, None, "each item must be an object {...}")]
                    )
                yield number, obj

    keys = _keys(objects(), source)
    headers = clean_headers(source, keys)
    keys = keys[: len(headers)]

    def open_rows() -> Iterator[RawRow]:
        for number, obj in objects():
            yield number, [json_cell(obj.get(k)) for k in keys]

    return RawTable(path, headers, "utf-8", sha256, size, fmt, open_rows)
