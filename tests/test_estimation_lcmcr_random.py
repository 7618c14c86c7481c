"""The sampler's own random numbers: reproducible streams and the right distributions."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit
from scipy import stats

from sijill.estimation import lcmcr_random as rng


@njit(cache=True)
def _draw(kind: int, seed: int, size: int, a: float, b: float) -> np.ndarray:
    state = rng.seed_state(seed, 0)
    out = np.empty(size)
    for i in range(size):
        if kind == 0:
            out[i] = rng.uniform(state)
        elif kind == 1:
            out[i] = rng.normal(state)
        elif kind == 2:
            out[i] = rng.gamma(state, a)
        elif kind == 3:
            out[i] = rng.beta(state, a, b)
        elif kind == 4:
            out[i] = rng.binomial(state, int(a), b)
        elif kind == 5:
            out[i] = rng.poisson(state, a)
        else:
            out[i] = rng.negative_binomial(state, a, b)
    return out


def chi_square_pvalue(draws: np.ndarray, pmf: np.ndarray) -> float:
    """Goodness of fit of integer draws to a pmf, pooling cells expected below 5 into one."""
    observed = np.bincount(draws.astype(np.int64), minlength=pmf.size)[: pmf.size]
    expected = pmf * draws.size
    keep = expected >= 5
    obs = np.append(observed[keep], draws.size - observed[keep].sum())
    exp = np.append(expected[keep], draws.size - expected[keep].sum())
    mask = exp > 0
    return float(stats.chisquare(obs[mask], exp[mask]).pvalue)


def test_streams_are_reproducible_and_distinct() -> None:
    first = _draw(0, 42, 1000, 0.0, 0.0)
    assert np.array_equal(first, _draw(0, 42, 1000, 0.0, 0.0))
    assert not np.array_equal(first, _draw(0, 43, 1000, 0.0, 0.0))
    state_a, state_b = rng.seed_state(1, 0), rng.seed_state(1, 1)
    assert not np.array_equal(state_a, state_b)
    assert first.min() >= 0.0 and first.max() < 1.0


def test_uniform_and_normal() -> None:
    assert stats.kstest(_draw(0, 1, 100_000, 0.0, 0.0), "uniform").pvalue > 1e-3
    normals = _draw(1, 2, 200_000, 0.0, 0.0)
    assert stats.kstest(normals, "norm").pvalue > 1e-3
    # The ziggurat's tail beyond 3.44 is drawn separately: check its share too.
    assert np.mean(np.abs(normals) > 3.5) == pytest.approx(2 * stats.norm.sf(3.5), rel=0.3)


@pytest.mark.parametrize("shape", [0.25, 1.0, 9.25, 2000.0])
def test_gamma(shape: float) -> None:
    draws = _draw(2, 3, 100_000, shape, 0.0)
    assert stats.kstest(draws, stats.gamma(shape).cdf).pvalue > 1e-3


@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (0.3, 2.0), (501.0, 300.0), (1.0, 4000.0)])
def test_beta(a: float, b: float) -> None:
    draws = _draw(3, 4, 100_000, a, b)
    assert stats.kstest(draws, stats.beta(a, b).cdf).pvalue > 1e-3


@pytest.mark.parametrize(
    ("n", "p"), [(5, 0.3), (30, 0.2), (100, 0.5), (1000, 0.3), (4400, 0.02), (4400, 0.7)]
)
def test_binomial(n: int, p: float) -> None:
    draws = _draw(4, 5, 200_000, float(n), p)
    assert chi_square_pvalue(draws, stats.binom.pmf(np.arange(n + 1), n, p)) > 1e-3


@pytest.mark.parametrize("mean", [3.0, 45.0, 5000.0])
def test_poisson(mean: float) -> None:
    draws = _draw(5, 6, 200_000, mean, 0.0)
    support = np.arange(int(mean * 3 + 50))
    assert chi_square_pvalue(draws, stats.poisson.pmf(support, mean)) > 1e-3


@pytest.mark.parametrize(("size", "p_failure"), [(68.0, 0.1), (1896.0, 0.83)])
def test_negative_binomial(size: float, p_failure: float) -> None:
    draws = _draw(6, 7, 200_000, size, p_failure)
    dist = stats.nbinom(size, 1.0 - p_failure)
    support = np.arange(int(dist.ppf(1 - 1e-9)) + 1)
    assert chi_square_pvalue(draws, dist.pmf(support)) > 1e-3


@njit(cache=True)
def _draw_pairs(in_logs: bool, seed: int, size: int, a: float, b: float) -> np.ndarray:
    state = rng.seed_state(seed, 0)
    out = np.empty((size, 2))
    for i in range(size):
        if in_logs:
            out[i, 0], out[i, 1] = rng.log_beta_pair(state, a, b)
        else:
            out[i, 0], out[i, 1] = rng.beta_pair(state, a, b)
    return out


@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (1.0, 37.0), (12.0, 1.0), (3.5, 0.4)])
def test_beta_pair_and_its_shortcuts_for_shapes_of_one(a: float, b: float) -> None:
    pairs = _draw_pairs(False, 8, 100_000, a, b)
    assert stats.kstest(pairs[:, 0], stats.beta(a, b).cdf).pvalue > 1e-3
    # The complement is the same draw: 1 - X ~ Beta(b, a).
    assert np.allclose(pairs[:, 0] + pairs[:, 1], 1.0)
    assert stats.kstest(pairs[:, 1], stats.beta(b, a).cdf).pvalue > 1e-3


def test_log_beta_pair_keeps_the_complement_where_it_rounds_to_zero() -> None:
    """Beta(3, 0.001): 1 - X is below 1e-16 about 96% of the time; its log must stay exact."""
    a, b = 3.0, 0.001
    logs = _draw_pairs(True, 9, 100_000, a, b)
    assert np.all(np.isfinite(logs))
    # P(log(1 - X) <= t) = P(1 - X <= e^t) with 1 - X ~ Beta(b, a), in logs to stay exact.
    points = np.array([-300.0, -36.0, -5.0])
    expected = stats.beta(b, a).cdf(np.exp(points))
    share = np.array([np.mean(logs[:, 1] <= t) for t in points])
    assert np.allclose(share, expected, atol=0.01)
    assert np.all(logs[:, 0] <= 0.0)


@pytest.mark.parametrize(("n", "p"), [(12, 0.8), (16, 0.05), (17, 0.6)])
def test_binomial_by_counting_and_by_flipping(n: int, p: float) -> None:
    draws = _draw(4, 10, 200_000, float(n), p)
    assert chi_square_pvalue(draws, stats.binom.pmf(np.arange(n + 1), n, p)) > 1e-3
