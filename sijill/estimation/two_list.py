"""Two-list estimators: Lincoln–Petersen and Chapman, with Wald and log-normal intervals."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import ClassVar

from scipy.special import ndtri

from sijill.errors import EstimationError
from sijill.estimation.base import EstimationResult, Estimator
from sijill.estimation.table import CaptureHistory

INTERVALS = ("log-normal", "wald")


def lognormal_interval(
    n_observed: float, estimate: float, variance: float, level: float
) -> tuple[float, float]:
    """Chao's (1987) log-transformed interval: the unobserved count is taken as log-normal.

    Unlike estimate ± z·se it never goes below the number observed and is skewed upwards, as the
    uncertainty about people nobody recorded is. Bounds: ``n + f0 / C`` and ``n + f0 · C`` with
    ``f0 = N - n`` and ``C = exp(z · sqrt(log(1 + var / f0²)))``.
    """
    unobserved = estimate - n_observed
    if unobserved <= 0 or variance <= 0:
        return float(n_observed), float(max(estimate, n_observed))
    z = float(ndtri(0.5 + level / 2))
    spread = math.exp(z * math.sqrt(math.log1p(variance / unobserved**2)))
    return n_observed + unobserved / spread, n_observed + unobserved * spread


def wald_interval(estimate: float, variance: float, level: float) -> tuple[float, float]:
    """The symmetric interval estimate ± z · standard error."""
    z = float(ndtri(0.5 + level / 2))
    half = z * math.sqrt(max(variance, 0.0))
    return estimate - half, estimate + half


class _TwoListEstimator(Estimator):
    min_lists: ClassVar[int] = 2
    max_lists: ClassVar[int | None] = 2

    def __init__(
        self,
        lists: Sequence[str] | None = None,
        interval: str = "log-normal",
        level: float = 0.95,
    ) -> None:
        super().__init__(level=level)
        if interval not in INTERVALS:
            raise EstimationError(f"unknown interval {interval!r}; choose one of {INTERVALS}")
        if lists is not None and len(lists) != 2:
            raise EstimationError(f"name exactly two lists, got {list(lists)}")
        self.lists = tuple(lists) if lists is not None else None
        self.interval = interval

    def fit(self, table: CaptureHistory) -> EstimationResult:
        """Estimate from two lists: the table's, or the two named in ``lists``.

        The result's ``input_hash`` is that of the table given, even when two of its lists
        were picked, so the figure traces back to the full input.

        Raises:
            EstimationError: more than two lists and none named, or a bad table.
        """
        if isinstance(table, CaptureHistory) and table.n_lists > 2 and self.lists is not None:
            result = super().fit(table.collapse(list(self.lists)))
            return dataclasses.replace(result, input_hash=table.input_hash())
        return super().fit(table)

    def _pick(self, table: CaptureHistory) -> CaptureHistory:
        if self.lists is not None and table.lists != self.lists:
            return table.collapse(list(self.lists))
        return table

    @staticmethod
    def _margins(table: CaptureHistory) -> tuple[int, int, int]:
        totals = list(table.list_totals.values())
        both = int(table.counts[table.patterns.all(axis=1)].sum())
        return totals[0], totals[1], both

    def _result(
        self,
        table: CaptureHistory,
        used: CaptureHistory,
        estimate: float,
        variance: float,
        warnings: list[str],
    ) -> EstimationResult:
        n = used.n_observed
        lognormal = lognormal_interval(n, estimate, variance, self.level)
        wald = wald_interval(estimate, variance, self.level)
        lower, upper = lognormal if self.interval == "log-normal" else wald
        n1, n2, m = self._margins(used)
        return EstimationResult(
            method=self.name,
            estimate=estimate,
            lower=min(lower, estimate),
            upper=max(upper, estimate),
            level=self.level,
            n_observed=n,
            diagnostics={
                "stderr": math.sqrt(max(variance, 0.0)),
                "list_sizes": [n1, n2],
                "overlap": m,
                "lists_used": list(used.lists),
                "interval_method": self.interval,
                "wald_interval": list(wald),
                "lognormal_interval": list(lognormal),
            },
            settings=self.settings(),
            input_hash=table.input_hash(),
            warnings=tuple(warnings),
        )


class LincolnPetersenEstimator(_TwoListEstimator):
    """Lincoln–Petersen: N = n1 · n2 / m for two independent lists with overlap m.

    Assumes a closed population, lists independent of each other and every person equally
    likely to be on each list. Biased upwards for small overlaps and undefined when m = 0;
    prefer Chapman. Variance: n1·n2·(n1 − m)·(n2 − m) / m³ (Seber 1982).

    Result diagnostics: ``stderr``, ``list_sizes``, ``overlap``, ``lists_used``,
    ``interval_method``, ``wald_interval``, ``lognormal_interval``. The reported interval is the
    log-normal one (Chao 1987) unless ``interval="wald"``.
    """

    name: ClassVar[str] = "lincoln-petersen"

    def _fit(self, table: CaptureHistory) -> EstimationResult:
        used = self._pick(table)
        n1, n2, m = self._margins(used)
        if m == 0:  # Lincoln–Petersen divides by the overlap
            raise EstimationError(
                "Lincoln–Petersen is undefined when the two lists share nobody",
                hint="use method 'chapman', which stays finite, and read it as very uncertain",
            )
        estimate = n1 * n2 / m
        variance = n1 * n2 * (n1 - m) * (n2 - m) / m**3
        warnings = _overlap_warnings(m)
        return self._result(table, used, estimate, variance, warnings)


class ChapmanEstimator(_TwoListEstimator):
    """Chapman's nearly unbiased two-list estimator: N = (n1 + 1)(n2 + 1) / (m + 1) − 1.

    Same assumptions as Lincoln–Petersen (closed population, independent lists, homogeneous
    capture); nearly unbiased when n1 + n2 ≥ N. Variance (Seber 1970):
    (n1 + 1)(n2 + 1)(n1 − m)(n2 − m) / ((m + 1)²(m + 2)).

    Result diagnostics: as for ``LincolnPetersenEstimator``. Positive dependence between the
    lists (one copying the other) biases both estimators down; negative dependence biases them up.
    """

    name: ClassVar[str] = "chapman"

    def _fit(self, table: CaptureHistory) -> EstimationResult:
        used = self._pick(table)
        n1, n2, m = self._margins(used)
        estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
        variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
        return self._result(table, used, estimate, variance, _overlap_warnings(m))


def _overlap_warnings(overlap: int) -> list[str]:
    if overlap == 0:
        return ["the two lists share nobody: the estimate is driven by the formula, not the data"]
    if overlap < 7:
        return [
            f"only {overlap} people are on both lists: the estimate is unstable "
            "(fewer than 7 in the overlap)"
        ]
    return []
