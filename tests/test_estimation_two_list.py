"""Tests of the Lincoln–Petersen and Chapman estimators against hand-computed figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sijill.errors import EstimationError
from sijill.estimation.table import CaptureHistory
from sijill.estimation.two_list import (
    ChapmanEstimator,
    LincolnPetersenEstimator,
    lognormal_interval,
)


def two_lists(n1: int, n2: int, m: int) -> CaptureHistory:
    frame = pd.DataFrame(
        {"A": [0, 1, 1], "B": [1, 0, 1], "count": [n2 - m, n1 - m, m]},
    )
    return CaptureHistory.from_dataframe(frame)


def test_lincoln_petersen_by_hand() -> None:
    result = LincolnPetersenEstimator(interval="wald").fit(two_lists(100, 80, 20))
    assert result.estimate == pytest.approx(400.0)
    assert result.diagnostics["stderr"] == pytest.approx(math.sqrt(4800.0))
    half = 1.959963984540054 * math.sqrt(4800.0)
    assert (result.lower, result.upper) == pytest.approx((400 - half, 400 + half))
    assert result.n_observed == 160


def test_chapman_by_hand_and_lognormal_interval() -> None:
    result = ChapmanEstimator().fit(two_lists(100, 80, 20))
    assert result.estimate == pytest.approx(101 * 81 / 21 - 1)
    variance = 101 * 81 * 80 * 60 / (21**2 * 22)
    assert result.diagnostics["stderr"] == pytest.approx(math.sqrt(variance))
    f0 = result.estimate - 160
    spread = math.exp(1.959963984540054 * math.sqrt(math.log(1 + variance / f0**2)))
    assert result.lower == pytest.approx(160 + f0 / spread)
    assert result.upper == pytest.approx(160 + f0 * spread)
    assert result.lower > 160
    assert result.diagnostics["interval_method"] == "log-normal"


def test_lognormal_interval_never_below_observed() -> None:
    lower, upper = lognormal_interval(1000, 1010, 10_000.0, 0.95)
    assert lower >= 1000
    assert upper > 1010


def test_pick_two_lists_from_a_larger_table() -> None:
    frame = pd.DataFrame(
        {"A": [1, 0, 1, 0], "B": [0, 1, 1, 0], "C": [0, 0, 0, 1], "count": [80, 60, 20, 5]}
    )
    table = CaptureHistory.from_dataframe(frame)
    result = ChapmanEstimator(lists=("A", "B")).fit(table)
    assert result.diagnostics["lists_used"] == ("A", "B")
    assert result.n_observed == 160
    with pytest.raises(EstimationError, match="at most 2 lists"):
        ChapmanEstimator().fit(table)


def test_no_overlap() -> None:
    table = two_lists(10, 10, 0)
    with pytest.raises(EstimationError, match="share nobody"):
        LincolnPetersenEstimator().fit(table)
    result = ChapmanEstimator().fit(table)
    assert result.estimate == pytest.approx(11 * 11 - 1)
    assert any("share nobody" in w for w in result.warnings)


def test_chapman_covers_truth_in_independent_simulation() -> None:
    rng = np.random.default_rng(20261125)
    truth, covered = 2000, 0
    for _ in range(200):
        on_a = rng.random(truth) < 0.3
        on_b = rng.random(truth) < 0.25
        seen = on_a | on_b
        table = CaptureHistory.from_records(
            np.c_[on_a[seen], on_b[seen]].astype(int).tolist(), lists=["A", "B"]
        )
        result = ChapmanEstimator().fit(table)
        covered += result.lower <= truth <= result.upper
    assert covered >= 180
