"""Tests of stratified estimation: sums, combined intervals, warnings on thin strata."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sijill.errors import EstimationError
from sijill.estimation.stratified import StratifiedEstimator
from sijill.estimation.table import CaptureHistory
from sijill.estimation.two_list import ChapmanEstimator


def simulated(
    truth: int, probabilities: tuple[float, ...], seed: int, label: str
) -> CaptureHistory:
    rng = np.random.default_rng(seed)
    captured = rng.random((truth, len(probabilities))) < np.array(probabilities)
    seen = captured.any(axis=1)
    frame = pd.DataFrame(
        captured[seen].astype(int), columns=[f"L{i}" for i in range(len(probabilities))]
    )
    return CaptureHistory.from_dataframe(frame, count_column=None, stratum=label)


def test_sum_of_strata_and_combined_interval() -> None:
    north = simulated(3000, (0.3, 0.4), 1, "north")
    south = simulated(1000, (0.5, 0.2), 2, "south")
    result = StratifiedEstimator(ChapmanEstimator(), seed=5).fit([north, south])
    each = {label: ChapmanEstimator().fit(t) for label, t in (("north", north), ("south", south))}
    assert result.estimate == pytest.approx(sum(r.estimate for r in each.values()))
    assert result.lower < result.estimate < result.upper
    width = result.upper - result.lower
    widest = max(r.upper - r.lower for r in each.values())
    assert widest < width < sum(r.upper - r.lower for r in each.values())
    assert result.n_observed == north.n_observed + south.n_observed
    assert set(result.strata) == {"north", "south"}
    assert result.method == "stratified:chapman"
    assert "strata" in result.to_dict()


def test_thin_stratum_warns_and_counts_as_lower_bound() -> None:
    big = simulated(2000, (0.4, 0.4), 3, "city")
    thin = CaptureHistory.from_dataframe(
        pd.DataFrame({"L0": [1, 0, 1], "L1": [0, 1, 1], "count": [6, 4, 2]}), stratum="village"
    )
    result = StratifiedEstimator(ChapmanEstimator()).fit([big, thin])
    assert any("village" in w and "too small" in w for w in result.warnings)
    assert result.diagnostics["not_estimated"] == {"village": 12}
    city = ChapmanEstimator().fit(big)
    assert result.estimate == pytest.approx(city.estimate + 12)


def test_no_estimable_stratum_is_an_error() -> None:
    thin = CaptureHistory.from_dataframe(
        pd.DataFrame({"L0": [1, 0, 1], "L1": [0, 1, 1], "count": [6, 4, 2]})
    )
    with pytest.raises(EstimationError, match="no stratum"):
        StratifiedEstimator(ChapmanEstimator()).fit({"a": thin})


def test_stratified_interval_covers_truth() -> None:
    covered = 0
    for seed in range(40):
        strata = [
            simulated(1500, (0.3, 0.35), 100 + seed, "a"),
            simulated(800, (0.45, 0.25), 200 + seed, "b"),
        ]
        result = StratifiedEstimator(ChapmanEstimator(), draws=4000, seed=seed).fit(strata)
        covered += result.lower <= 2300 <= result.upper
    assert covered >= 34
