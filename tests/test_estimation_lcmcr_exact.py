"""The LCMCR sampler against the model's exact posterior of N, computed without MCMC.

With the prior p(N) ∝ 1/N, summing the complete-data likelihood over N gives, for parameters
theta = (alpha, V, lambda) with class weights pi(V) and q_p(theta) = sum_k pi_k prod_j
lambda_jk^x_pj (1 - lambda_jk)^(1 - x_pj) (q_0 for the all-zero pattern):

    sum_N (1/N) N! / (n0! prod_p n_p!) q_0^n0 prod_p q_p^n_p
        = (n - 1)! / prod_p n_p! * prod_p (q_p / (1 - q_0))^n_p,

because sum_n0 C(n0 + n - 1, n0) q_0^n0 = (1 - q_0)^-n. So p(theta | data) ∝ p(theta) prod_p
(q_p / (1 - q_0))^n_p, and N | theta, data = n + NegBin(n, 1 - q_0): the posterior of N is a
mixture of negative binomials over p(theta | data). Drawing theta from its prior and weighting
each draw by that product (importance sampling) gives the posterior CDF of N at any point as a
weighted average of negative-binomial CDFs, with a Monte-Carlo error from the weights. For
small tables (n ~ 50-100, 3-4 lists, K = 2-3) a few 10^5-10^6 prior draws give thousands of
effective draws. ``bench/lcmcr_validation.py`` uses the same reference with more draws.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pytest
from numba import njit
from scipy import stats
from scipy.special import betaln, gammaln

from sijill.estimation.diagnostics import effective_sample_size
from sijill.estimation.lcmcr import LcmcrEstimator
from sijill.estimation.table import CaptureHistory

#: Largest |sampler CDF - exact CDF| / (combined Monte-Carlo SD) accepted at any checked point.
#: Both SDs are estimated (sampler: ESS of the indicator N <= x over the chains; reference:
#: delta-method SD of the self-normalised importance weights), so the difference of a correct
#: sampler is ~N(0, 1) at each point; 4 SDs over the 7 x 3 checked points gives a false alarm
#: with probability ~0.2% (the seeds are fixed, so the outcome is deterministic).
Z_LIMIT = 4.0
#: Posterior probabilities at which the CDFs are compared.
PROBABILITIES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


def all_patterns(n_lists: int) -> np.ndarray:
    """Every non-empty capture pattern, list 1 as the most significant bit (the CSV order)."""
    return np.array(
        [[(code >> (n_lists - 1 - j)) & 1 for j in range(n_lists)] for code in range(1, 2**n_lists)]
    )


#: Small synthetic tables (counts per pattern in ``all_patterns`` order), each drawn once from a
#: two-class population (half or more of it captured by each list with probability ~0.5, the
#: rest ~0.15; numpy default_rng(0)): N = 80 and N = 150 people, so the posterior of N is
#: heterogeneous but finite. (4-list tables need 10^7 prior draws for a usable reference, which
#: is too slow here; ``bench/lcmcr_validation.py`` runs them.)
TABLES: dict[str, np.ndarray] = {
    "three_lists_n49": np.array([9, 11, 3, 16, 4, 3, 3]),
    "three_lists_n77": np.array([13, 12, 7, 18, 7, 11, 9]),
}


@njit(cache=True)
def _log_weights(
    patterns: np.ndarray,
    counts: np.ndarray,
    log_pi: np.ndarray,
    lam: np.ndarray,
    out_log_weight: np.ndarray,
    out_log_q0: np.ndarray,
) -> None:
    """log prod_p (q_p / (1 - q_0))^n_p and log q_0 for each prior draw (pi, lambda)."""
    draws, n_lists, n_classes = lam.shape
    n_patterns = patterns.shape[0]
    n_observed = 0.0
    for p in range(n_patterns):
        n_observed += counts[p]
    base = np.empty(n_classes)
    odds = np.empty((n_lists, n_classes))
    for i in range(draws):
        top = -np.inf
        for k in range(n_classes):
            term = log_pi[i, k]
            for j in range(n_lists):
                term += math.log1p(-lam[i, j, k])
                odds[j, k] = lam[i, j, k] / (1.0 - lam[i, j, k])
            base[k] = term
            top = max(top, term)
        q0 = 0.0
        for k in range(n_classes):
            base[k] = math.exp(base[k] - top)
            q0 += base[k]
        log_weight = 0.0
        for p in range(n_patterns):
            if counts[p] == 0:
                continue
            q = 0.0
            for k in range(n_classes):
                term = base[k]
                for j in range(n_lists):
                    if patterns[p, j]:
                        term *= odds[j, k]
                q += term
            log_weight += counts[p] * (top + math.log(q))
        log_q0 = top + math.log(q0)
        out_log_q0[i] = log_q0
        out_log_weight[i] = log_weight - n_observed * math.log(-math.expm1(log_q0))


@dataclass(frozen=True)
class ExactPosterior:
    """Importance-sampling representation of p(N | data): weights and q_0 of each prior draw."""

    n_observed: int
    weights: np.ndarray
    q0: np.ndarray
    log_alpha: np.ndarray

    @property
    def ess(self) -> float:
        """Effective number of prior draws (Kish): the reference's own Monte-Carlo size."""
        return float(self.weights.sum() ** 2 / np.sum(self.weights**2))

    def cdf(self, x: int, flat_prior: bool = False) -> tuple[float, float]:
        """P(N <= x | data) and its Monte-Carlo SD.

        ``flat_prior`` gives the posterior under p(N) ∝ 1 instead (n0 ~ NegBin(n + 1, .), draws
        reweighted by 1 / (1 - q_0)): a different model, used to show the comparison has power.
        """
        size = self.n_observed
        weights = self.weights
        if flat_prior:
            size += 1
            weights = weights / (1.0 - self.q0)
        values = stats.nbinom.cdf(x - self.n_observed, size, 1.0 - self.q0)
        total = weights.sum()
        mean = float(np.sum(weights * values) / total)
        sd = float(np.sqrt(np.sum(weights**2 * (values - mean) ** 2)) / total)
        return mean, sd

    def quantile(self, probability: float, seed: int = 0) -> int:
        """Approximate quantile of N from one negative-binomial draw per weighted prior draw."""
        rng = np.random.default_rng(seed)
        population = self.n_observed + rng.negative_binomial(self.n_observed, 1.0 - self.q0)
        order = np.argsort(population)
        cumulative = np.cumsum(self.weights[order]) / self.weights.sum()
        return int(population[order][np.searchsorted(cumulative, probability)])


def exact_posterior(
    patterns: np.ndarray,
    counts: np.ndarray,
    n_classes: int,
    draws: int,
    seed: int,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    chunk: int = 250_000,
) -> ExactPosterior:
    """Draw (alpha, V, lambda) from the LCMCR prior and weight them by the marginal likelihood.

    alpha ~ Gamma(a_alpha, rate b_alpha); V_k ~ Beta(1, alpha) for k < K, drawn as
    1 - V = U^(1/alpha) so that log(1 - V) is exact even when V rounds to 1 (small alpha);
    pi_k = V_k prod_{m<k} (1 - V_m), pi_K = prod_{m<K} (1 - V_m); lambda_jk ~ Uniform(0, 1).
    The smallest weights, together carrying 1e-6 of the total, are dropped (speed only).
    """
    rng = np.random.default_rng(seed)
    pats = np.ascontiguousarray(patterns, dtype=np.int8)
    cts = np.asarray(counts, dtype=np.float64)
    n_lists = pats.shape[1]
    log_w, log_q0, log_alpha = [], [], []
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        alpha = rng.gamma(a_alpha, 1.0 / b_alpha, size=size)
        log_1m_v = np.log(rng.random((size, n_classes - 1))) / alpha[:, None]
        log_pi = np.zeros((size, n_classes))
        log_pi[:, :-1] = np.log(-np.expm1(log_1m_v))
        log_pi[:, 1:] += np.cumsum(log_1m_v, axis=1)
        lam = rng.random((size, n_lists, n_classes))
        out_w, out_q0 = np.empty(size), np.empty(size)
        _log_weights(pats, cts, log_pi, lam, out_w, out_q0)
        log_w.append(out_w)
        log_q0.append(out_q0)
        log_alpha.append(np.log(alpha))
    lw = np.concatenate(log_w)
    weights = np.exp(lw - lw.max())
    ascending = np.sort(weights)
    cut = ascending[np.searchsorted(np.cumsum(ascending), 1e-6 * ascending.sum())]
    keep = weights >= cut
    return ExactPosterior(
        n_observed=int(cts.sum()),
        weights=weights[keep],
        q0=np.exp(np.concatenate(log_q0)[keep]),
        log_alpha=np.concatenate(log_alpha)[keep],
    )


def z_scores(draws: np.ndarray, exact: ExactPosterior, flat_prior: bool = False) -> list[float]:
    """Standardised differences between the sampler's and the exact CDF of N at 7 points."""
    scores = []
    for probability in PROBABILITIES:
        point = exact.quantile(probability)
        reference, reference_sd = exact.cdf(point, flat_prior=flat_prior)
        below = (draws <= point).astype(np.float64)
        share = float(below.mean())
        sampler_sd = math.sqrt(max(share * (1.0 - share), 1e-12) / effective_sample_size(below))
        scores.append((share - reference) / math.hypot(reference_sd, sampler_sd))
    return scores


@functools.cache
def sampler_draws(name: str, n_classes: int, seed: int) -> np.ndarray:
    counts = TABLES[name]
    patterns = all_patterns(round(math.log2(counts.size + 1)))
    table = CaptureHistory(tuple(f"l{j}" for j in range(patterns.shape[1])), patterns, counts)
    estimator = LcmcrEstimator(
        n_classes=n_classes, burn_in=2000, samples=40_000, thin=1, chains=4, seed=seed
    )
    draws, _ = estimator.sample_population(table)
    return draws


@functools.cache
def reference(name: str, n_classes: int) -> ExactPosterior:
    counts = TABLES[name]
    patterns = all_patterns(round(math.log2(counts.size + 1)))
    return exact_posterior(patterns, counts, n_classes, draws=1_000_000, seed=11)


def test_importance_reference_matches_the_closed_form_with_one_class() -> None:
    """K = 1: p(N | data) ∝ (1/N) N!/(N - n)! prod_j B(1 + n_j, 1 + N - n_j), exactly."""
    counts = TABLES["three_lists_n49"]
    patterns = all_patterns(3)
    n = int(counts.sum())
    exact = exact_posterior(patterns, counts, 1, draws=300_000, seed=3)
    assert exact.ess > 2_000
    population = np.arange(n, 50 * n, dtype=np.float64)
    log_post = -np.log(population) + gammaln(population + 1) - gammaln(population - n + 1)
    log_post += sum(betaln(1 + x, 1 + population - x) for x in patterns.T @ counts)
    closed = np.cumsum(np.exp(log_post - log_post.max()))
    closed /= closed[-1]
    for point in (60, 65, 70, 76, 85, 97, 107):
        value, sd = exact.cdf(point)
        assert abs(value - closed[point - n]) <= 4 * sd + 1e-4


@pytest.mark.parametrize(
    ("name", "n_classes"),
    [("three_lists_n49", 2), ("three_lists_n49", 3), ("three_lists_n77", 3)],
)
def test_sampler_draws_from_the_exact_posterior_of_n(name: str, n_classes: int) -> None:
    exact = reference(name, n_classes)
    assert exact.ess > 3_000, "the reference itself is too noisy to judge the sampler"
    draws = sampler_draws(name, n_classes, seed=3)
    scores = z_scores(draws, exact)
    assert max(abs(z) for z in scores) <= Z_LIMIT, [round(z, 1) for z in scores]


def test_the_comparison_detects_a_different_prior_on_n() -> None:
    """Power: the same draws against the flat-prior posterior (n0 ~ NegBin(n + 1, .)) fail."""
    exact = reference("three_lists_n49", 2)
    draws = sampler_draws("three_lists_n49", 2, seed=3)
    assert max(abs(z) for z in z_scores(draws, exact, flat_prior=True)) > 2 * Z_LIMIT
