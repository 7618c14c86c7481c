"""The latent-class sampler's collapsed moves: their target formulas and their invariance."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from numba import njit
from scipy import stats
from scipy.special import betaln, gammaln

from sijill.estimation import lcmcr_random as rng
from sijill.estimation.lcmcr_moves import (
    reorder_with_alpha,
    stick_log_prior,
    swap_labels,
    swap_log_ratio,
)
from sijill.estimation.lcmcr_sampler import run_chain
from tests.test_estimation_lcmcr_exact import TABLES, Z_LIMIT, all_patterns, z_scores
from tests.test_estimation_lcmcr_exact import reference as exact_reference

A_ALPHA, B_ALPHA = 0.25, 0.25


def stick_reference(counts: np.ndarray, alpha: float) -> float:
    """log prod_c Beta(1 + n_c, alpha + T_{c+1}) / Beta(1, alpha) - sum_c lgamma(1 + n_c)."""
    tails = np.append(np.cumsum(counts[::-1])[::-1], 0.0)
    value = sum(
        betaln(1.0 + counts[c], alpha + tails[c + 1]) - betaln(1.0, alpha)
        for c in range(counts.size - 1)
    )
    return float(value - gammaln(1.0 + counts).sum())


@pytest.mark.parametrize("alpha", [1e-8, 0.03, 0.8, 25.0])
def test_stick_log_prior_is_the_integrated_stick_breaking_prior(alpha: float) -> None:
    generator = np.random.default_rng(1)
    for _ in range(20):
        counts = generator.integers(0, 3000, size=10).astype(np.float64)
        counts[generator.random(10) < 0.3] = 0.0
        assert stick_log_prior(counts, alpha) == pytest.approx(
            stick_reference(counts, alpha), rel=1e-9, abs=1e-7
        )


@pytest.mark.parametrize("alpha", [0.01, 0.8, 20.0])
def test_swap_ratio_is_the_prior_ratio_of_the_swapped_orders(alpha: float) -> None:
    counts = np.array([12.0, 900.0, 0.0, 40.0, 8873.0])
    for k in range(counts.size - 1):
        swapped = counts.copy()
        swapped[k], swapped[k + 1] = counts[k + 1], counts[k]
        expected = stick_log_prior(swapped, alpha) - stick_log_prior(counts, alpha)
        rest = float(counts[k + 2 :].sum())
        last = k + 1 == counts.size - 1
        ratio = swap_log_ratio(counts[k], counts[k + 1], rest, last, alpha)
        assert ratio == pytest.approx(expected, rel=1e-9, abs=1e-9)


@njit(cache=True)
def _run_reorder(
    seed: int, counts: np.ndarray, iterations: int
) -> tuple[np.ndarray, np.ndarray, int]:
    state = rng.seed_state(seed, 0)
    n_classes = counts.size
    n_k = counts.copy()
    n_obs_k = counts.copy()
    z0 = np.zeros(n_classes, dtype=np.int64)
    s = np.zeros((2, n_classes))
    s[0, :] = counts
    order = np.empty(n_classes, dtype=np.int64)
    scratch = np.empty(n_classes)
    alpha = 1.0
    firsts = np.empty((iterations, 2))
    alphas = np.empty(iterations)
    detached = 0
    for i in range(iterations):
        alpha = reorder_with_alpha(
            state, n_k, n_obs_k, z0, s, alpha, 0.25, 0.25, 0.0, 1.5, order, scratch
        )[0]
        # A random walk on log alpha (exact for the same target) keeps the chain from sticking
        # in the far left tail of alpha, where the independence proposal rarely reaches.
        proposal = alpha * math.exp(rng.normal(state))
        log_ratio = stick_log_prior(n_k, proposal) - stick_log_prior(n_k, alpha)
        log_ratio += 0.25 * (math.log(proposal) - math.log(alpha)) - 0.25 * (proposal - alpha)
        if math.log(rng.uniform_positive(state)) < log_ratio:
            alpha = proposal
        swap_labels(state, n_k, n_obs_k, z0, s, alpha)
        firsts[i, 0] = n_k[0]
        firsts[i, 1] = n_k[1]
        alphas[i] = alpha
        for c in range(n_classes):
            # The captures and observed counts travel with their class.
            if s[0, c] != n_k[c] or n_obs_k[c] != n_k[c]:
                detached += 1
    return firsts, alphas, detached


def _exact_order_and_alpha(counts: np.ndarray) -> tuple[dict[tuple[float, ...], float], float]:
    """Posterior of each order (alpha integrated on a fine log grid) and P(alpha < 1)."""
    log_alpha = np.linspace(-60.0, 10.0, 3501)
    alpha = np.exp(log_alpha)
    log_prior = stats.gamma(A_ALPHA, scale=1.0 / B_ALPHA).logpdf(alpha) + log_alpha
    masses: dict[tuple[float, ...], float] = {}
    below_one = 0.0
    for perm in itertools.permutations(range(counts.size)):
        ordered = counts[list(perm)]
        values = np.exp(log_prior + [stick_reference(ordered, a) + 60.0 for a in alpha])
        masses[tuple(ordered[:2])] = float(np.trapezoid(values, log_alpha))
        below_one += float(np.trapezoid(values[log_alpha <= 0.0], log_alpha[log_alpha <= 0.0]))
    total = sum(masses.values())
    return {key: mass / total for key, mass in masses.items()}, below_one / total


def test_reordering_move_samples_the_posterior_of_order_and_alpha() -> None:
    """With neighbour swaps and a random walk on alpha, the visits match the exact posterior."""
    counts = np.array([40.0, 3.0, 0.0])
    firsts, alphas, detached = _run_reorder(11, counts, 200_000)
    assert detached == 0
    exact, below_one = _exact_order_and_alpha(counts)
    # Between-seed SD of these shares at 200,000 iterations, seeds 0-5: at most 0.0065 (0.0003
    # for the rarest order); allow 4 SDs, and 25% of the rarest orders' probability.
    for key, probability in exact.items():
        share = float(np.mean((firsts[:, 0] == key[0]) & (firsts[:, 1] == key[1])))
        assert abs(share - probability) <= min(0.026, 0.25 * probability + 0.002)
    assert abs(float(np.mean(alphas < 1.0)) - below_one) <= 0.026


@pytest.mark.parametrize("collapsed", [False, True])
def test_shift_move_keeps_the_exact_posterior_of_n(collapsed: bool) -> None:
    """Chains using the joint shift of observed and unobserved people (5 attempts per sweep)
    against the importance-sampling reference of tests/test_estimation_lcmcr_exact.py."""
    name, n_classes = "three_lists_n77", 3
    counts = TABLES[name]
    patterns = all_patterns(3).astype(np.int8)
    start = np.full(3, 0.5)
    draws = np.stack(
        [
            run_chain(
                rng.seed_state(5, chain),
                patterns,
                counts.astype(np.int64),
                n_classes,
                A_ALPHA,
                B_ALPHA,
                2000,
                40_000,
                1,
                100_000,
                collapsed,
                start,
                30,
                True,
                5,
            )[0]
            for chain in range(4)
        ]
    )
    scores = z_scores(draws, exact_reference(name, n_classes))
    assert max(abs(z) for z in scores) <= Z_LIMIT, [round(z, 1) for z in scores]
