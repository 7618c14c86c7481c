"""Known truth at work: the capture table feeds estimation; heterogeneity shows where it should."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sijill.estimation.standard import StandardModelEstimator
from sijill.estimation.table import CaptureHistory
from sijill.simulate import preset_config, simulate, write_simulation
from sijill.simulate.capture import capture_history, draw_captures
from sijill.simulate.population import simulate_population


def test_capture_history_file_reads_as_an_estimation_table(tmp_path: Path) -> None:
    result = simulate(preset_config("realistic", people=1500, lists=4, seed=8))
    write_simulation(result, tmp_path)
    table = CaptureHistory.from_csv(tmp_path / "capture_history.csv")
    assert table.lists == ("A", "B", "C", "D")
    assert table.n_observed == result.observed_n


def _true_table(preset: str, n: int, seed: int) -> CaptureHistory:
    config = preset_config(preset, people=n, lists=4, seed=seed)
    rng = np.random.default_rng(seed)
    persons = simulate_population(config.population, rng)
    captured = draw_captures(persons, config, rng).captured
    return CaptureHistory.from_dataframe(capture_history(captured, config.list_names))


@pytest.mark.parametrize("seed", [1, 2])
def test_independent_homogeneous_lists_give_back_n_and_heterogeneity_biases_mt_down(
    seed: int,
) -> None:
    n = 5000
    # Mt's standard error here is about 17 (0.35%): 2% is a wide margin for a correct model.
    fit = StandardModelEstimator("Mt").fit(_true_table("easy", n, seed))
    assert abs(fit.estimate - n) < 0.02 * n
    biased = StandardModelEstimator("Mt").fit(_true_table("realistic", n, seed))
    # A less visible latent class is missed by every list at once: Mt cannot see it.
    assert biased.upper < 0.95 * n
