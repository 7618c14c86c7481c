"""dga-style model averaging against R's dga 2.0.2 on every table of the reference data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sijill.errors import EstimationError
from sijill.estimation.dga import DgaEstimator, missing_count_posterior, missing_grid
from sijill.estimation.dga_graphs import decomposable_graphs, subset_coefficients
from sijill.estimation.table import CaptureHistory

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"
REFERENCE = DATA / "reference.json"

pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data missing")


def dga_reference() -> list[dict[str, Any]]:
    if not REFERENCE.exists():
        return []
    estimates = json.loads(REFERENCE.read_text())["estimates"]
    return [
        e
        for e in estimates
        if e["method"] == "dga::bma.cr" and e["variant"] != "documented_example"
    ]


@pytest.mark.parametrize(
    "entry", dga_reference(), ids=lambda e: f"{e['dataset']}-{e['settings']['delta']}"
)
def test_matches_r_dga(entry: dict[str, Any]) -> None:
    table = CaptureHistory.from_csv(DATA / f"{entry['dataset']}.csv")
    result = DgaEstimator(delta=entry["settings"]["delta"], sensitivity_delta=None).fit(table)
    # The grid posterior is deterministic; R cut its grid where the density was ~1e-8..1e-11 of
    # the peak and we go further, which moves the 97.5% quantile by at most one person or 0.2%.
    assert result.estimate == pytest.approx(entry["point_estimate"]["value"], rel=0.01, abs=1)
    assert result.lower == pytest.approx(entry["interval"]["lower"], rel=0.01, abs=1)
    assert result.upper == pytest.approx(entry["interval"]["upper"], rel=0.01, abs=1)
    top = result.diagnostics["top_models"][0]
    assert top["posterior_probability"] == pytest.approx(
        entry["extra"]["top_models"][0]["posterior_prob"], rel=0.01
    )


@pytest.mark.parametrize(("n_lists", "expected"), [(2, 2), (3, 8), (4, 61), (5, 822)])
def test_counts_of_decomposable_graphs(n_lists: int, expected: int) -> None:
    assert len(decomposable_graphs(n_lists)) == expected


def test_four_cycle_is_not_decomposable() -> None:
    cycle = ((0, 1), (0, 2), (1, 3), (2, 3))
    assert all(g.edges != cycle for g in decomposable_graphs(4))


def test_factorisation_of_a_chain_is_cliques_over_separators() -> None:
    graphs = decomposable_graphs(3)
    chain = next(g for g in graphs if g.edges == ((0, 1), (1, 2)))
    row = subset_coefficients((chain,), 3)[0]
    # [A,B][B,C]: +AB +BC -B.
    assert {int(i): float(row[i]) for i in np.flatnonzero(row)} == {3: 1.0, 6: 1.0, 2: -1.0}
    assert chain.label(("A", "B", "C")) == "[A,B][B,C]"


def test_grid_covers_every_integer_once() -> None:
    points, widths = missing_grid(100, 10_000)
    assert points[:100].tolist() == list(range(100))
    assert points[-1] == 10_000
    assert float(widths.sum()) == points[-1] + 1
    assert np.all(np.diff(points) > 0)


def test_posterior_sums_to_one_and_matches_a_brute_force_grid() -> None:
    table = CaptureHistory.from_csv(DATA / "rcapture_rbvole_period4.csv")
    sparse = missing_count_posterior(table, 0.125, 200, 20_000)
    dense = missing_count_posterior(table, 0.125, 20_001, 20_000)
    assert sparse.probabilities.sum() == pytest.approx(1.0)
    for q in (0.025, 0.5, 0.975):
        assert sparse.quantile(q) == dense.quantile(q)


def test_warns_when_the_result_hangs_on_the_prior() -> None:
    table = CaptureHistory.from_csv(DATA / "kosovo_1999.csv")
    result = DgaEstimator().fit(table)
    assert result.diagnostics["sensitivity_median"] == pytest.approx(4616, abs=1)
    assert any("hangs on the prior" in w for w in result.warnings)
    assert result.diagnostics["delta"] == 2.0**-4


def test_no_warning_when_priors_agree() -> None:
    table = CaptureHistory.from_csv(DATA / "dga_example_MY1997_5list.csv")
    result = DgaEstimator().fit(table)
    assert result.warnings == ()
    assert result.lower < result.estimate < result.upper
    assert result.to_dict()["method"] == "dga"


def test_rejects_two_and_six_lists() -> None:
    two = CaptureHistory(("a", "b"), np.array([[1, 0], [0, 1], [1, 1]]), np.array([5, 6, 2]))
    with pytest.raises(EstimationError, match="at least 3 lists"):
        DgaEstimator().fit(two)
    with pytest.raises(EstimationError, match="delta must be positive"):
        DgaEstimator(delta=0.0)
