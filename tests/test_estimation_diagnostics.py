"""Split R-hat and effective sample size checked on chains whose answer is known (AR(1), iid)."""

from __future__ import annotations

import numpy as np
import pytest

from sijill.errors import EstimationError
from sijill.estimation.diagnostics import effective_sample_size, split_chains, split_rhat


def ar1_chains(phi: float, n_chains: int, n_draws: int, seed: int) -> np.ndarray:
    """Stationary AR(1) chains x_t = phi x_{t-1} + e_t with unit marginal variance."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(n_chains, n_draws)) * np.sqrt(1.0 - phi**2)
    chains = np.empty((n_chains, n_draws))
    chains[:, 0] = rng.normal(size=n_chains)
    for t in range(1, n_draws):
        chains[:, t] = phi * chains[:, t - 1] + noise[:, t]
    return chains


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.9, 0.97])
def test_ess_of_ar1_matches_the_closed_form(phi: float) -> None:
    n_chains, n_draws = 4, 20_000
    chains = ar1_chains(phi, n_chains, n_draws, seed=11)
    expected = n_chains * n_draws * (1.0 - phi) / (1.0 + phi)
    # The ESS estimator itself has a sampling error of a few percent at these lengths.
    assert effective_sample_size(chains) == pytest.approx(expected, rel=0.15)


def test_ess_of_antithetic_chain_exceeds_draw_count() -> None:
    chains = ar1_chains(-0.5, 2, 10_000, seed=3)
    assert effective_sample_size(chains) > 20_000


def test_rhat_is_one_for_mixed_chains() -> None:
    chains = ar1_chains(0.5, 4, 5_000, seed=5)
    assert split_rhat(chains) < 1.01


def test_rhat_flags_chains_stuck_in_different_places() -> None:
    chains = ar1_chains(0.5, 4, 5_000, seed=5)
    chains[0] += 1.0
    assert split_rhat(chains) > 1.05


def test_rhat_flags_a_drifting_chain_through_the_split() -> None:
    chains = ar1_chains(0.5, 1, 4_000, seed=8)
    chains[0] += np.linspace(0.0, 3.0, 4_000)
    assert split_rhat(chains) > 1.1


def test_rhat_tail_part_flags_different_spreads() -> None:
    rng = np.random.default_rng(2)
    chains = rng.normal(size=(4, 5_000))
    chains[0] *= 3.0
    assert split_rhat(chains) > 1.01


def test_constant_chains_are_accepted() -> None:
    chains = np.full((3, 100), 7.0)
    assert split_rhat(chains) == 1.0
    assert effective_sample_size(chains) == 300.0


def test_split_chains_halves_each_chain() -> None:
    draws = np.arange(10.0).reshape(2, 5)
    halves = split_chains(draws)
    assert halves.shape == (4, 2)
    assert halves[0].tolist() == [0.0, 1.0]
    assert halves[2].tolist() == [3.0, 4.0]


def test_too_few_draws_is_an_error() -> None:
    with pytest.raises(EstimationError, match="at least 4 draws"):
        split_rhat(np.ones((2, 3)))
    with pytest.raises(EstimationError, match="non-finite"):
        effective_sample_size(np.array([[1.0, np.nan, 2.0, 3.0, 4.0]]))
