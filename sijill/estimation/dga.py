"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997), as dga."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from scipy.special import gammaln, logsumexp

from sijill.errors import EstimationError
from sijill.estimation.base import EstimationResult, Estimator
from sijill.estimation.dga_graphs import decomposable_graphs, subset_coefficients
from sijill.estimation.table import CaptureHistory

#: A posterior density at the end of the grid above this share of its peak means a cut tail.
GRID_TAIL_TOLERANCE = 1e-10
#: Grid points handled at once: bounds memory to graphs x chunk doubles (822 x 8192 ≈ 54 MB).
_CHUNK = 8192


@dataclass(frozen=True)
class MissingCountPosterior:
    """The posterior of the unobserved count on a grid, averaged over graphs.

    The grid holds every integer up to ``dense_end`` and then geometrically spaced points (1%
    apart) whose probabilities stand for the integers up to the next point, so a long tail costs
    a few hundred points instead of millions; quantiles are read only in the dense part.

    Attributes:
        missing: grid of unobserved counts (integers, increasing).
        probabilities: posterior probability of the integers each grid point stands for.
        dense_end: every integer below this is its own grid point.
        graph_log_weights: normalised log posterior probability of each graph.
        graph_missing_means: posterior mean of the unobserved count under each graph.
        tail_ratio: posterior density at the last grid point relative to the mode.
    """

    missing: np.ndarray
    probabilities: np.ndarray
    dense_end: int
    graph_log_weights: np.ndarray
    graph_missing_means: np.ndarray
    tail_ratio: float

    def quantile(self, q: float) -> int:
        """Smallest unobserved count whose cumulative posterior reaches ``q``."""
        cumulative = np.cumsum(self.probabilities)
        index = min(int(np.searchsorted(cumulative, q)), self.missing.size - 1)
        return int(self.missing[index])


def _subset_log_ml(
    bitmasks: np.ndarray, counts: np.ndarray, n_lists: int, delta: float, missing: np.ndarray
) -> np.ndarray:
    """Log Dirichlet-multinomial marginal likelihood of every marginal table, per grid point.

    The prior is the hyper-Dirichlet consistent with Dirichlet(delta) on the full 2^K table, so
    a marginal over subset S has delta * 2^(K - |S|) per cell.
    """
    n_subsets = 1 << n_lists
    total_alpha = delta * n_subsets
    n_observed = float(counts.sum())
    out = np.empty((n_subsets, missing.size))
    for subset in range(n_subsets):
        size = bin(subset).count("1")
        alpha = delta * (1 << (n_lists - size))
        cells = np.bincount(bitmasks & subset, weights=counts, minlength=n_subsets)
        zero_cell = cells[0]
        cells[0] = 0.0
        constant = float(np.sum(gammaln(alpha + cells) - gammaln(alpha)))
        out[subset] = (
            constant
            + gammaln(alpha + zero_cell + missing)
            - gammaln(alpha)
            + gammaln(total_alpha)
            - gammaln(total_alpha + n_observed + missing)
        )
    out[0] = 0.0
    return out


def missing_grid(dense_end: int, grid_end: int) -> tuple[np.ndarray, np.ndarray]:
    """Integers below ``dense_end``, then points 1% apart up to ``grid_end``, with their widths."""
    dense = np.arange(dense_end, dtype=np.float64)
    if grid_end <= dense_end:
        return dense, np.ones_like(dense)
    steps = int(np.ceil(np.log(grid_end / dense_end) / np.log(1.01))) + 1
    sparse = np.unique(np.round(dense_end * 1.01 ** np.arange(steps)))
    sparse = np.append(sparse[sparse < grid_end], float(grid_end))
    points = np.concatenate([dense, sparse])
    widths = np.diff(np.append(points, points[-1] + 1.0))
    return points, widths


def missing_count_posterior(
    table: CaptureHistory, delta: float, dense_end: int, grid_end: int
) -> MissingCountPosterior:
    """Posterior of the unobserved count, model-averaged over all decomposable graphs.

    For every graph and every N = n + m on the grid: hyper-Dirichlet marginal likelihood of the
    completed 2^K table, times the multinomial coefficient N!/m!, times the prior 1/N; graphs
    equally likely a priori (Madigan & York 1997, section 3).

    Args:
        table: the capture histories (3 to 5 lists).
        delta: Dirichlet prior count per cell of the full table.
        dense_end: every unobserved count below this is on the grid.
        grid_end: last unobserved count of the grid.
    """
    n_lists = table.n_lists
    shifts = np.arange(n_lists)
    bitmasks = (np.asarray(table.patterns, dtype=np.int64) << shifts).sum(axis=1)
    counts = np.asarray(table.counts, dtype=np.float64)
    n_observed = float(counts.sum())
    graphs = decomposable_graphs(n_lists)
    coefficients = subset_coefficients(graphs, n_lists)
    missing, widths = missing_grid(dense_end, grid_end)
    log_widths = np.log(widths)
    log_post = np.empty(missing.size)
    graph_chunks: list[np.ndarray] = []
    graph_mean_chunks: list[np.ndarray] = []
    for start in range(0, missing.size, _CHUNK):
        part = missing[start : start + _CHUNK]
        subset_ml = _subset_log_ml(bitmasks, counts, n_lists, delta, part)
        population = n_observed + part
        extra = gammaln(population + 1.0) - gammaln(part + 1.0) - np.log(population)
        joint = coefficients @ subset_ml + extra  # graphs x grid
        joint += log_widths[start : start + part.size]
        # One shift per chunk: terms more than e^-700 below the chunk's peak are negligible.
        peak = float(joint.max())
        weights = np.exp(joint - peak)
        with np.errstate(divide="ignore"):
            log_post[start : start + part.size] = peak + np.log(weights.sum(axis=0))
            graph_chunks.append(peak + np.log(weights.sum(axis=1)))
            graph_mean_chunks.append(peak + np.log(weights @ part))
    graph_log = logsumexp(np.stack(graph_chunks, axis=1), axis=1)
    graph_mean_log = logsumexp(np.stack(graph_mean_chunks, axis=1), axis=1)
    total = logsumexp(log_post)
    density = log_post - log_widths
    # Graphs whose every term underflowed have probability 0 and no defined mean.
    with np.errstate(invalid="ignore"):
        graph_means = np.where(np.isfinite(graph_log), np.exp(graph_mean_log - graph_log), np.nan)
    return MissingCountPosterior(
        missing=missing.astype(np.int64),
        probabilities=np.exp(log_post - total),
        dense_end=dense_end,
        graph_log_weights=graph_log - logsumexp(graph_log),
        graph_missing_means=graph_means,
        tail_ratio=float(np.exp(density[-1] - density.max())),
    )


def adaptive_posterior(
    table: CaptureHistory, delta: float, grid_end: int, upper_q: float = 0.975
) -> MissingCountPosterior:
    """Widen the dense part of the grid (from 4n, doubling) until ``upper_q`` falls inside it."""
    dense_end = min(max(4 * table.n_observed, 1000), grid_end)
    while True:
        posterior = missing_count_posterior(table, delta, dense_end, grid_end)
        if posterior.quantile(upper_q) < dense_end - 1 or dense_end >= grid_end:
            return posterior
        dense_end = min(2 * dense_end, grid_end)


class DgaEstimator(Estimator):
    """Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

    Model: the completed 2^K table is multinomial; list dependence follows one of the
    decomposable graphs on the K lists (all equally likely a priori), with a hyper-Dirichlet
    prior of ``delta`` per cell of the full table (dga's default delta = 2^-K); the population
    size N has the prior 1/N. The posterior of N is computed exactly at every integer up to an
    end that starts at n + 4n and doubles until the upper quantile lies inside it, then on points
    1% apart up to n + ``max_missing_factor`` x n, so the tail mass is counted (a warning says if
    the posterior is still not negligible at the end of the grid). Assumes a closed population and perfectly linked lists; it cannot represent
    heterogeneity of capture probabilities except through list interactions.

    Reference: Madigan, D. & York, J. C. (1997) Bayesian methods for estimation of the size of
    a closed population. Biometrika 84(1):19-31.

    Result fields: ``estimate`` = posterior median of N; ``lower``/``upper`` = equal-tailed
    quantiles at ``level``; ``diagnostics``: posterior mean, mode and SD, grid end, tail ratio,
    the top graphs with their posterior probabilities, the median under delta = 1 (the
    sensitivity run) and the share of people seen on more than one list.

    Args:
        delta: prior count per cell of the full table; ``None`` means 2^-K.
        level: interval coverage.
        sensitivity_delta: second prior compared against (``None`` to skip).
        sensitivity_threshold: relative difference of medians above which a warning is given.
        max_missing_factor: the grid of unobserved counts never goes beyond this times n.
    """

    name: ClassVar[str] = "dga"
    min_lists: ClassVar[int] = 3
    max_lists: ClassVar[int | None] = 5

    def __init__(
        self,
        delta: float | None = None,
        level: float = 0.95,
        sensitivity_delta: float | None = 1.0,
        sensitivity_threshold: float = 0.10,
        max_missing_factor: int = 1000,
    ) -> None:
        super().__init__(level=level)
        if delta is not None and not delta > 0.0:
            raise EstimationError(f"dga: delta must be positive, got {delta}")
        if sensitivity_delta is not None and not sensitivity_delta > 0.0:
            raise EstimationError(f"dga: sensitivity_delta must be positive, got {delta}")
        if max_missing_factor < 2:
            raise EstimationError("dga: max_missing_factor must be at least 2")
        self.delta = delta
        self.sensitivity_delta = sensitivity_delta
        self.sensitivity_threshold = sensitivity_threshold
        self.max_missing_factor = max_missing_factor

    def _fit(self, table: CaptureHistory) -> EstimationResult:
        n_observed = table.n_observed
        delta = self.delta if self.delta is not None else 2.0 ** (-table.n_lists)
        cap = self.max_missing_factor * max(n_observed, 10)
        tail = (1.0 - self.level) / 2.0
        posterior = adaptive_posterior(table, delta, cap, 1.0 - tail)
        tail = (1.0 - self.level) / 2.0
        warnings: list[str] = []
        if posterior.tail_ratio >= GRID_TAIL_TOLERANCE:
            warnings.append(
                f"the posterior of N was cut at N = {n_observed + int(posterior.missing[-1])} "
                f"({self.max_missing_factor} x n unobserved) where it is still "
                f"{posterior.tail_ratio:.1e} of its peak: the upper bound is too low"
            )
        multiple = _share_on_several_lists(table)
        diagnostics: dict[str, Any] = _posterior_summary(posterior, n_observed)
        diagnostics["delta"] = delta
        diagnostics["share_on_several_lists"] = multiple
        diagnostics["top_models"] = _top_models(posterior, table)
        if self.sensitivity_delta is not None and self.sensitivity_delta != delta:
            other = adaptive_posterior(table, self.sensitivity_delta, cap, 0.5)
            median, other_median = (
                n_observed + posterior.quantile(0.5),
                n_observed + other.quantile(0.5),
            )
            change = abs(other_median - median) / median
            diagnostics["sensitivity_delta"] = self.sensitivity_delta
            diagnostics["sensitivity_median"] = other_median
            diagnostics["sensitivity_relative_change"] = change
            if change > self.sensitivity_threshold:
                warnings.append(
                    f"the result hangs on the prior: with delta = {self.sensitivity_delta:g} "
                    f"the median is {other_median:,} instead of {median:,} "
                    f"({change:.0%} apart); only {multiple:.0%} of people are on more than one "
                    "list, too little overlap for the data to choose between models"
                )
        return EstimationResult(
            method=self.name,
            estimate=n_observed + posterior.quantile(0.5),
            lower=n_observed + posterior.quantile(tail),
            upper=n_observed + posterior.quantile(1.0 - tail),
            level=self.level,
            n_observed=n_observed,
            diagnostics=diagnostics,
            settings=self.settings(),
            input_hash=table.input_hash(),
            warnings=tuple(warnings),
        )


def _share_on_several_lists(table: CaptureHistory) -> float:
    on_several = np.asarray(table.patterns).sum(axis=1) > 1
    return float(np.asarray(table.counts)[on_several].sum() / max(table.n_observed, 1))


def _posterior_summary(posterior: MissingCountPosterior, n_observed: int) -> dict[str, Any]:
    population = n_observed + posterior.missing.astype(np.float64)
    mean = float(np.sum(population * posterior.probabilities))
    variance = float(np.sum((population - mean) ** 2 * posterior.probabilities))
    return {
        "posterior_mean": mean,
        "posterior_sd": variance**0.5,
        "posterior_mode": int(population[np.argmax(posterior.probabilities)]),
        "grid_max_N": int(population[-1]),
        "grid_tail_ratio": posterior.tail_ratio,
    }


def _top_models(
    posterior: MissingCountPosterior, table: CaptureHistory, count: int = 5
) -> list[dict[str, Any]]:
    graphs = decomposable_graphs(table.n_lists)
    order = np.argsort(-posterior.graph_log_weights)[:count]
    return [
        {
            "model": graphs[i].label(tuple(table.lists)),
            "posterior_probability": float(np.exp(posterior.graph_log_weights[i])),
            "posterior_mean_N": table.n_observed + float(posterior.graph_missing_means[i]),
        }
        for i in order
    ]
