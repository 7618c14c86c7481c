"""Capture-history tables: which lists recorded how many people, the input of every estimator."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sijill.errors import EstimationError

if TYPE_CHECKING:
    import pandas as pd

#: Beyond this many lists a complete 2^K table is too big to build (2^20 cells ≈ 8 MiB of counts).
MAX_FULL_TABLE_LISTS = 20


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def pattern_codes(patterns: np.ndarray) -> np.ndarray:
    """Binary code of each pattern row, list 1 being the most significant bit.

    Args:
        patterns: 0/1 array of shape (m, K).

    Returns:
        int64 array of shape (m,); the code of pattern (1, 0, 1) is 5.
    """
    n_lists = patterns.shape[1]
    weights = (1 << np.arange(n_lists - 1, -1, -1)).astype(np.int64)
    return np.asarray(patterns, dtype=np.int64) @ weights


def all_patterns(n_lists: int) -> np.ndarray:
    """All 2^K - 1 non-empty patterns of K lists, sorted by binary code (list 1 most significant).

    Args:
        n_lists: the number of lists K.

    Returns:
        int8 array of shape (2^K - 1, K).
    """
    codes = np.arange(1, 1 << n_lists, dtype=np.int64)
    shifts = np.arange(n_lists - 1, -1, -1, dtype=np.int64)
    return ((codes[:, None] >> shifts[None, :]) & 1).astype(np.int8)


@dataclass(frozen=True, eq=False)
class CaptureHistory:
    """How many people each combination of lists recorded (an incomplete 2^K contingency table).

    Rows are aggregated capture patterns. On construction duplicate patterns are **summed** (two
    rows for the same pattern usually come from concatenating exports, and summing is what the
    analyst means), rows are sorted by binary code with list 1 as the most significant bit, and
    the arrays are made read-only, so a table never changes once built. Patterns with a zero count
    are kept: a zero cell is information.

    Attributes:
        lists: the list (system) names, in column order.
        patterns: int8 array of shape (m, K), 0/1, no all-zero row.
        counts: int64 array of shape (m,), people observed with each pattern.
        stratum: optional label of the stratum this table belongs to (e.g. a governorate).
    """

    lists: tuple[str, ...]
    patterns: np.ndarray
    counts: np.ndarray
    stratum: str | None = field(default=None)

    def __post_init__(self) -> None:
        lists = tuple(str(name) for name in self.lists)
        where = f" (stratum {self.stratum!r})" if self.stratum is not None else ""
        if len(lists) < 2:
            raise EstimationError(
                f"a capture-history table needs at least 2 lists, got {len(lists)}{where}",
                hint="estimation uses the overlap between lists; add another list",
            )
        if len(set(lists)) != len(lists):
            raise EstimationError(f"list names must be unique, got {list(lists)}{where}")
        patterns = np.asarray(self.patterns)
        counts_raw = np.asarray(self.counts)
        if patterns.ndim != 2 or patterns.shape[1] != len(lists):
            raise EstimationError(
                f"patterns must have shape (rows, {len(lists)}), got {patterns.shape}{where}"
            )
        if counts_raw.shape != (patterns.shape[0],):
            raise EstimationError(
                f"need one count per pattern: {patterns.shape[0]} patterns, "
                f"counts of shape {counts_raw.shape}{where}"
            )
        if patterns.size and not np.isin(patterns, (0, 1)).all():
            found = sorted(set(np.unique(patterns).tolist()) - {0, 1})
            raise EstimationError(
                f"capture patterns must be 0/1, found values {found}{where}",
                hint="mark each list as 1 (recorded) or 0 (not recorded)",
            )
        patterns = patterns.astype(np.int8)
        empty = ~patterns.any(axis=1)
        if empty.any():
            raise EstimationError(
                f"row {int(np.flatnonzero(empty)[0]) + 1} has the all-zero pattern{where}: "
                "people on no list cannot be observed",
                hint="drop that row; the number on no list is what estimation infers",
            )
        counts = _validated_counts(counts_raw, where)
        codes = pattern_codes(patterns)
        unique_codes, first_row, inverse = np.unique(codes, return_index=True, return_inverse=True)
        summed = np.zeros(unique_codes.shape[0], dtype=np.int64)
        np.add.at(summed, inverse.reshape(-1), counts)
        patterns = patterns[first_row]
        totals = (patterns.astype(np.int64) * summed[:, None]).sum(axis=0)
        empty_lists = [lists[k] for k in np.flatnonzero(totals == 0)]
        if empty_lists:
            raise EstimationError(
                f"list(s) {empty_lists} captured nobody{where}",
                hint="drop empty lists (CaptureHistory.collapse) before estimating",
            )
        object.__setattr__(self, "lists", lists)
        object.__setattr__(self, "patterns", _readonly(np.ascontiguousarray(patterns)))
        object.__setattr__(self, "counts", _readonly(summed))

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_dataframe(
        cls,
        frame: pd.DataFrame,
        lists: Sequence[str] | None = None,
        count_column: str | None = "count",
        stratum: str | None = None,
    ) -> CaptureHistory:
        """Build a table from aggregated rows: one 0/1 column per list and a count column.

        Args:
            frame: the table; extra columns are ignored when ``lists`` is given.
            lists: the list columns, in order; default every column but ``count_column``.
            count_column: the count column; ``None`` means one row per person (count 1 each).
            stratum: optional stratum label.

        Raises:
            EstimationError: a missing column, non-0/1 values, bad counts, or a table too small.
        """
        if count_column is not None and count_column not in frame.columns:
            raise EstimationError(
                f"no count column {count_column!r}; columns are {list(frame.columns)}",
                hint="name the count column, or use from_records for one row per person",
            )
        names = (
            list(lists)
            if lists is not None
            else [str(c) for c in frame.columns if c != count_column]
        )
        missing = [name for name in names if name not in frame.columns]
        if missing:
            raise EstimationError(
                f"list column(s) {missing} not found; columns are {list(frame.columns)}"
            )
        patterns = _zero_one(frame[names])
        if count_column is None:
            counts = np.ones(len(frame), dtype=np.int64)
        else:
            counts = frame[count_column].to_numpy()
        return cls(tuple(names), patterns, counts, stratum)

    @classmethod
    def from_csv(
        cls, path: str | Path, count_column: str = "count", stratum: str | None = None
    ) -> CaptureHistory:
        """Read a CSV with one 0/1 column per list and a ``count`` column.

        Args:
            path: the file, in the layout of the shared ``mse/*.csv`` tables.
            count_column: name of the count column.
            stratum: optional stratum label.

        Raises:
            EstimationError: the file cannot be read or its content is not a valid table.
        """
        import pandas as pd

        try:
            frame = pd.read_csv(path)
        except (OSError, ValueError) as exc:
            raise EstimationError(f"cannot read capture-history CSV {str(path)!r}: {exc}") from exc
        return cls.from_dataframe(frame, count_column=count_column, stratum=stratum)

    @classmethod
    def from_records(
        cls,
        records: pd.DataFrame | Iterable[Mapping[str, Any]] | Iterable[Sequence[Any]],
        lists: Sequence[str] | None = None,
        stratum: str | None = None,
    ) -> CaptureHistory:
        """Aggregate one membership row per person (0/1 or bool per list) into a table.

        Args:
            records: a DataFrame, mappings list name -> 0/1, or sequences in ``lists`` order.
            lists: list names; required for plain sequences, else taken from the first record.
            stratum: optional stratum label.

        Raises:
            EstimationError: inconsistent records or a table too small to estimate from.
        """
        import pandas as pd

        if isinstance(records, pd.DataFrame):
            return cls.from_dataframe(records, lists=lists, count_column=None, stratum=stratum)
        rows = list(records)
        if rows and isinstance(rows[0], Mapping):
            names = list(lists) if lists is not None else [str(k) for k in rows[0]]
            try:
                values = [[row[name] for name in names] for row in rows]
            except KeyError as exc:
                raise EstimationError(f"a membership record has no value for list {exc}") from exc
        else:
            if lists is None:
                raise EstimationError("give the list names for membership rows given as sequences")
            names = list(lists)
            values = [list(row) for row in rows]
            if any(len(row) != len(names) for row in values):
                raise EstimationError(f"every membership row needs {len(names)} values")
        frame = pd.DataFrame(values, columns=names)
        return cls.from_dataframe(frame, count_column=None, stratum=stratum)

    # ------------------------------------------------------------------- properties
    @property
    def n_lists(self) -> int:
        """The number of lists K."""
        return len(self.lists)

    @property
    def n_observed(self) -> int:
        """The number of distinct people observed on at least one list."""
        return int(self.counts.sum())

    @property
    def list_totals(self) -> dict[str, int]:
        """People recorded by each list."""
        totals = (self.patterns.astype(np.int64) * self.counts[:, None]).sum(axis=0)
        return {name: int(total) for name, total in zip(self.lists, totals, strict=True)}

    @property
    def n_overlap(self) -> int:
        """People recorded on two or more lists: the overlap every estimate rests on."""
        return int(self.counts[self.patterns.sum(axis=1) >= 2].sum())

    def require_overlap(self, method: str) -> None:
        """Raise a clear error when no one is on two lists (no estimate can exist).

        Raises:
            EstimationError: the lists share nobody.
        """
        if self.n_overlap == 0:
            raise EstimationError(
                f"{method}: the lists share nobody, so the data say nothing about how many "
                "people no list recorded",
                hint="check the record linkage (missed links?) or report the observed count "
                "as a lower bound",
            )

    @property
    def codes(self) -> np.ndarray:
        """Binary code of each row's pattern (list 1 most significant)."""
        return pattern_codes(self.patterns)

    def full_counts(self) -> np.ndarray:
        """Counts of all 2^K - 1 patterns in binary-code order (index i is code i + 1).

        Raises:
            EstimationError: more than ``MAX_FULL_TABLE_LISTS`` lists.
        """
        if self.n_lists > MAX_FULL_TABLE_LISTS:
            raise EstimationError(
                f"{self.n_lists} lists make a 2^{self.n_lists} table, too big to build",
                hint=f"collapse to at most {MAX_FULL_TABLE_LISTS} lists",
            )
        full = np.zeros((1 << self.n_lists) - 1, dtype=np.int64)
        full[self.codes - 1] = self.counts
        return full

    def full_table(self) -> CaptureHistory:
        """The same table with every one of the 2^K - 1 patterns present, zeros kept."""
        return CaptureHistory(
            self.lists, all_patterns(self.n_lists), self.full_counts(), self.stratum
        )

    def collapse(self, keep_lists: Sequence[str | int]) -> CaptureHistory:
        """Keep only some lists; people seen only on dropped lists leave the table.

        Args:
            keep_lists: names or 0-based indices of the lists to keep, in the order wanted.

        Raises:
            EstimationError: unknown lists, fewer than 2 kept, or a kept list left empty.
        """
        indices: list[int] = []
        for item in keep_lists:
            if isinstance(item, str):
                if item not in self.lists:
                    raise EstimationError(f"no list {item!r}; lists are {list(self.lists)}")
                indices.append(self.lists.index(item))
            else:
                if not 0 <= int(item) < self.n_lists:
                    raise EstimationError(f"list index {item} out of range 0..{self.n_lists - 1}")
                indices.append(int(item))
        patterns = self.patterns[:, indices]
        seen = patterns.any(axis=1)
        return CaptureHistory(
            tuple(self.lists[i] for i in indices), patterns[seen], self.counts[seen], self.stratum
        )

    def to_dataframe(self) -> pd.DataFrame:
        """The table as a DataFrame: one 0/1 column per list, then ``count``."""
        import pandas as pd

        frame = pd.DataFrame(self.patterns.astype(np.int64), columns=list(self.lists))
        frame["count"] = self.counts
        return frame

    def input_hash(self) -> str:
        """SHA-256 of a canonical form: list names and the non-zero (pattern, count) cells.

        Zero cells, row order and the stratum label do not change the hash, so the same data
        read from a CSV, a DataFrame or person rows hashes alike.
        """
        keep = self.counts > 0
        cells = [
            ["".join(str(int(v)) for v in row), int(count)]
            for row, count in zip(self.patterns[keep], self.counts[keep], strict=True)
        ]
        canonical = json.dumps({"lists": list(self.lists), "cells": cells}, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CaptureHistory):
            return NotImplemented
        return (
            self.lists == other.lists
            and self.stratum == other.stratum
            and np.array_equal(self.patterns, other.patterns)
            and np.array_equal(self.counts, other.counts)
        )

    def __hash__(self) -> int:
        return hash((self.input_hash(), self.stratum))

    def __repr__(self) -> str:
        label = f", stratum={self.stratum!r}" if self.stratum is not None else ""
        return (
            f"CaptureHistory(lists={list(self.lists)}, patterns={self.patterns.shape[0]}, "
            f"n_observed={self.n_observed}{label})"
        )


def _zero_one(frame: pd.DataFrame) -> np.ndarray:
    values: np.ndarray = np.asarray(frame.to_numpy())
    if values.dtype == bool:
        return values.astype(np.int8)
    try:
        numeric: np.ndarray = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EstimationError(
            f"list columns must hold 0/1 values: {exc}",
            hint="mark each list as 1 (recorded) or 0 (not recorded)",
        ) from exc
    if np.isnan(numeric).any():
        row = int(np.flatnonzero(np.isnan(numeric).any(axis=1))[0]) + 1
        raise EstimationError(f"row {row}: a list column is empty; use 0 or 1")
    bad = ~np.isin(numeric, (0.0, 1.0))
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise EstimationError(
            f"row {row + 1}, list {frame.columns[col]!r}: value {values[row, col]!r} is not 0/1",
            hint="mark each list as 1 (recorded) or 0 (not recorded)",
        )
    return numeric.astype(np.int8)


def _validated_counts(counts: np.ndarray, where: str) -> np.ndarray:
    if counts.dtype == bool:
        counts = counts.astype(np.int64)
    try:
        numeric = counts.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise EstimationError(f"counts must be whole numbers{where}: {exc}") from exc
    if np.isnan(numeric).any():
        raise EstimationError(
            f"row {int(np.flatnonzero(np.isnan(numeric))[0]) + 1} has no count{where}"
        )
    if (numeric < 0).any():
        row = int(np.flatnonzero(numeric < 0)[0])
        raise EstimationError(f"row {row + 1} has a negative count {counts[row]}{where}")
    fractional = numeric != np.round(numeric)
    if fractional.any():
        row = int(np.flatnonzero(fractional)[0])
        raise EstimationError(
            f"row {row + 1} has a non-integer count {counts[row]}{where}",
            hint="counts are numbers of people: whole numbers",
        )
    return numeric.astype(np.int64)
