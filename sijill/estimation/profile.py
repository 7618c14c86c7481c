"""Multinomial profile-likelihood intervals for N under a log-linear model (Cormack 1992)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import chdtri, gammaln, xlogy

from sijill.errors import EstimationError
from sijill.estimation.glm import fit_poisson


@dataclass(frozen=True)
class ProfileInterval:
    """The multinomial maximum-likelihood N and its profile-likelihood interval.

    Attributes:
        estimate: N maximising the multinomial profile likelihood (can differ slightly from
            the Poisson estimate n + μ̂0).
        lower: lower bound (never below the number observed).
        upper: upper bound; ``inf`` when the likelihood does not fall far enough within
            ``max_factor`` × the estimate.
        level: coverage.
        upper_found: False when the upper bound could not be found in the search range.
    """

    estimate: float
    lower: float
    upper: float
    level: float
    upper_found: bool


class _Profile:
    """log L(N) of the complete 2^K table with the unobserved cell set to N − n."""

    def __init__(self, design: np.ndarray, zero_row: np.ndarray, counts: np.ndarray) -> None:
        self.design = np.vstack([design, zero_row[None, :]])
        self.counts = np.asarray(counts, dtype=np.float64)
        self.n = float(self.counts.sum())
        self._start: np.ndarray | None = None

    def __call__(self, total: float) -> float:
        unobserved = max(total - self.n, 0.0)
        complete = np.append(self.counts, unobserved)
        fit = fit_poisson(self.design, complete, start=self._start, max_iterations=50)
        if not fit.converged and self._start is not None:
            fit = fit_poisson(self.design, complete, max_iterations=100)
        # A warm start near the boundary (nobody unobserved) slows the next fit down badly.
        self._start = fit.fitted if fit.converged and unobserved >= 0.5 else None
        probabilities = fit.fitted / fit.fitted.sum()
        return float(
            gammaln(total + 1.0)
            - gammaln(unobserved + 1.0)
            + np.sum(xlogy(complete, probabilities))
        )


def profile_interval(
    design: np.ndarray,
    zero_row: np.ndarray,
    counts: np.ndarray,
    poisson_estimate: float,
    level: float = 0.95,
    max_factor: float = 100.0,
) -> ProfileInterval:
    """Profile-likelihood estimate and interval of N for a log-linear model.

    For each candidate N the model is refitted to the complete table whose unobserved cell
    holds N − n; the interval is every N whose log-likelihood is within χ²₁(level)/2 of the
    maximum. The upper bound is searched up to ``max_factor`` times the estimate; beyond that
    it is reported as infinite.

    Args:
        design: design rows of the observed cells.
        zero_row: design row of the unobserved (all-zero) cell.
        counts: observed cell counts, in ``design`` row order.
        poisson_estimate: the Poisson-model estimate, used to bracket the search.
        level: interval coverage.
        max_factor: the upper end of the search as a multiple of the estimate.
    """
    from scipy.optimize import brentq, minimize_scalar  # heavy import, only needed here

    profile = _Profile(design, zero_row, counts)
    n = profile.n
    top = max(poisson_estimate, n + 1.0) * 4.0
    center = max(poisson_estimate, n + 1e-6)
    best = minimize_scalar(
        lambda total: -profile(total),
        bounds=(n, top),
        method="bounded",
        options={"xatol": 1e-6 * max(center, 1.0)},
    )
    estimate = float(best.x)
    peak = -float(best.fun)
    if not np.isfinite(peak):
        raise EstimationError(
            "the profile likelihood of N could not be computed for this model and table",
            hint="the lists may barely overlap; try a simpler model or another method",
        )
    cut = peak - float(chdtri(1, 1.0 - level)) / 2.0

    def excess(total: float) -> float:
        return profile(total) - cut

    lower = n
    if excess(estimate) < 0:
        raise EstimationError("the profile likelihood of N has no clear maximum for this table")
    if excess(n) < 0:
        lower = float(brentq(excess, n, estimate, xtol=1e-8 * estimate))
    # Rcapture's search can reach far beyond fmaxSupCL × N̂ (up to 11× on its own examples), so
    # widen the bracket by doubling, up to ``max_factor`` times the estimate.
    top = max(estimate, n + 1.0) * 2.0
    while excess(top) >= 0 and top < max_factor * max(estimate, n + 1.0):
        top *= 2.0
    upper_found = excess(top) < 0
    upper = float(brentq(excess, estimate, top, xtol=1e-8 * estimate)) if upper_found else np.inf
    return ProfileInterval(estimate, lower, upper, level, upper_found)
