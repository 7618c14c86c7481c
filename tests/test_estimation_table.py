"""Tests of CaptureHistory: construction, validation, canonical hashing and collapsing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sijill.errors import EstimationError
from sijill.estimation.table import CaptureHistory, all_patterns, pattern_codes

MSE = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"
KOSOVO = MSE / "kosovo_1999.csv"


def small_table() -> CaptureHistory:
    frame = pd.DataFrame(
        {"A": [1, 0, 1], "B": [0, 1, 1], "C": [1, 1, 0], "count": [5, 7, 3]},
    )
    return CaptureHistory.from_dataframe(frame)


def test_from_csv_reads_kosovo() -> None:
    table = CaptureHistory.from_csv(KOSOVO)
    assert table.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert table.n_lists == 4
    assert table.n_observed == 4400
    assert table.patterns.shape == (15, 4)
    assert table.patterns.dtype == np.int8
    assert table.counts.dtype == np.int64
    frame = pd.read_csv(KOSOVO)
    assert table.list_totals["EXH"] == int(frame.loc[frame["EXH"] == 1, "count"].sum())


def test_arrays_are_read_only_and_object_frozen() -> None:
    table = small_table()
    with pytest.raises(ValueError):
        table.counts[0] = 99
    with pytest.raises(ValueError):
        table.patterns[0, 0] = 0
    with pytest.raises(AttributeError):
        table.lists = ("x", "y")  # type: ignore[misc]


def test_rows_sorted_by_code_with_first_list_most_significant() -> None:
    table = small_table()
    assert table.codes.tolist() == [3, 5, 6]
    assert pattern_codes(np.array([[1, 0, 1]])).tolist() == [5]
    assert all_patterns(3)[0].tolist() == [0, 0, 1]
    assert all_patterns(3)[-1].tolist() == [1, 1, 1]


def test_full_table_keeps_zero_cells() -> None:
    full = small_table().full_table()
    assert full.patterns.shape == (7, 3)
    assert full.full_counts().tolist() == [0, 0, 7, 0, 5, 3, 0]
    assert full.n_observed == 15


def test_duplicate_patterns_are_summed() -> None:
    frame = pd.DataFrame({"A": [1, 1, 0], "B": [0, 0, 1], "count": [2, 3, 4]})
    table = CaptureHistory.from_dataframe(frame)
    assert table.counts.tolist() == [4, 5]


def test_from_records_aggregates_people() -> None:
    people = [{"A": 1, "B": 0}, {"A": 1, "B": 1}, {"A": 1, "B": 0}, {"A": 0, "B": True}]
    table = CaptureHistory.from_records(people)
    assert dict(zip(table.codes.tolist(), table.counts.tolist(), strict=True)) == {
        1: 1,
        2: 2,
        3: 1,
    }
    same = CaptureHistory.from_records([[1, 0], [1, 1], [1, 0], [0, 1]], lists=["A", "B"])
    assert same == table


def test_input_hash_is_canonical() -> None:
    table = small_table()
    shuffled = CaptureHistory.from_dataframe(
        pd.DataFrame(
            {"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "C": [0, 1, 1, 1], "count": [3, 5, 7, 0]}
        )
    )
    assert table.input_hash() == shuffled.input_hash()
    assert table.input_hash() == table.full_table().input_hash()
    changed = CaptureHistory.from_dataframe(
        pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "C": [1, 1, 0], "count": [5, 7, 4]})
    )
    assert changed.input_hash() != table.input_hash()
    assert len(table.input_hash()) == 64


def test_collapse_drops_people_seen_only_on_dropped_lists() -> None:
    table = small_table().collapse(["A", "B"])
    assert table.lists == ("A", "B")
    assert table.n_observed == 15
    only_c = CaptureHistory.from_dataframe(
        pd.DataFrame({"A": [1, 0, 0], "B": [0, 1, 0], "C": [0, 0, 1], "count": [1, 2, 9]})
    )
    collapsed = only_c.collapse([0, 1])
    assert collapsed.n_observed == 3
    assert collapsed.to_dataframe()["count"].tolist() == [2, 1]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"A": [1], "count": [3]}), "at least 2 lists"),
        (pd.DataFrame({"A": [0, 1], "B": [0, 1], "count": [1, 3]}), "all-zero"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [-1, 3]}), "negative"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1.5, 3]}), "non-integer"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 2], "count": [1, 3]}), "not 0/1"),
        (pd.DataFrame({"A": [1, 1], "B": [0, 0], "count": [1, 3]}), "captured nobody"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "n": [1, 3]}), "no count column"),
        (pd.DataFrame({"A": [1, None], "B": [0, 1], "count": [1, 3]}), "empty"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1, None]}), "no count"),
    ],
)
def test_bad_tables_are_rejected_with_clear_errors(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(EstimationError, match=message):
        CaptureHistory.from_dataframe(frame)


def test_unknown_list_in_collapse_and_missing_file() -> None:
    with pytest.raises(EstimationError, match="no list"):
        small_table().collapse(["A", "Z"])
    with pytest.raises(EstimationError, match="cannot read"):
        CaptureHistory.from_csv(MSE / "does_not_exist.csv")


def test_round_trip_through_dataframe() -> None:
    table = CaptureHistory.from_csv(KOSOVO)
    again = CaptureHistory.from_dataframe(table.to_dataframe())
    assert again == table
    assert hash(again) == hash(table)


def test_overlap_and_its_absence() -> None:
    assert small_table().n_overlap == 15
    apart = CaptureHistory.from_dataframe(pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [4, 5]}))
    assert apart.n_overlap == 0
    with pytest.raises(EstimationError, match="share nobody"):
        apart.require_overlap("loglinear")
