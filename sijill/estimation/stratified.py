"""Stratified estimation: one estimate per stratum, combined into a total with its uncertainty."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from scipy.special import ndtri

from sijill.errors import EstimationError
from sijill.estimation.base import EstimationResult, Estimator
from sijill.estimation.printer import format_number, render_text
from sijill.estimation.table import CaptureHistory

#: Below this many people seen on two or more lists a stratum is too thin to estimate from.
MIN_OVERLAP = 10


@dataclass(frozen=True)
class StratifiedResult(EstimationResult):
    """The combined estimate (fields of ``EstimationResult``) plus every stratum's own result.

    Attributes:
        strata: stratum label → that stratum's result; strata that could not be estimated
            are absent and named in ``warnings`` and ``diagnostics["not_estimated"]``.
    """

    strata: Mapping[str, EstimationResult] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "strata", MappingProxyType(dict(self.strata)))

    def to_dict(self) -> dict[str, Any]:
        """As ``EstimationResult.to_dict`` plus ``strata`` (each stratum's own dict)."""
        data = super().to_dict()
        data["strata"] = {label: result.to_dict() for label, result in self.strata.items()}
        return data

    def summary(self) -> str:
        """Combined figure, then one line per stratum."""
        lines = [render_text(self), "Strata:"]
        lines.extend(
            f"  {label}: {format_number(r.estimate)} "
            f"({format_number(r.lower)} – {format_number(r.upper)}), observed {r.n_observed:,}"
            for label, r in self.strata.items()
        )
        return "\n".join(lines)


class StratifiedEstimator:
    """Estimate each stratum separately and add the estimates up.

    Stratifying (by governorate, period, sex) makes capture probabilities more alike within
    each table, which reduces heterogeneity bias, but every stratum needs enough overlap
    between lists. Strata with fewer than ``min_overlap`` people on two or more lists, or whose
    estimate fails, are not estimated: their observed count enters the total as a lower bound
    and a warning says so.

    Combination: the total is the sum of stratum estimates. Its interval comes from summing
    independent draws, one per stratum, from a log-normal for each stratum's unobserved count
    fitted to that stratum's own interval (so skewed intervals stay skewed). Strata are assumed
    independent (no person in two strata).

    Args:
        estimator: the estimator applied to every stratum (default: ``LogLinearEstimator``).
        min_overlap: least number of people seen on ≥ 2 lists for a stratum to be estimated.
        draws: Monte Carlo draws for the combined interval.
        seed: random seed of those draws.
    """

    name = "stratified"

    def __init__(
        self,
        estimator: Estimator | None = None,
        min_overlap: int = MIN_OVERLAP,
        draws: int = 20_000,
        seed: int = 0,
    ) -> None:
        if estimator is None:
            from sijill.estimation.loglinear import LogLinearEstimator

            estimator = LogLinearEstimator()
        self.estimator = estimator
        self.min_overlap = min_overlap
        self.draws = draws
        self.seed = seed

    def fit(
        self, tables: Mapping[str, CaptureHistory] | Sequence[CaptureHistory]
    ) -> StratifiedResult:
        """Estimate every stratum and combine.

        Args:
            tables: label → table, or tables carrying their ``stratum`` label.

        Raises:
            EstimationError: no strata, duplicate labels, or no stratum could be estimated.
        """
        labelled = _labelled(tables)
        level = self.estimator.level
        results: dict[str, EstimationResult] = {}
        warnings: list[str] = []
        skipped: dict[str, int] = {}
        for label, table in labelled.items():
            overlap = table.n_overlap
            if overlap < self.min_overlap:
                skipped[label] = table.n_observed
                warnings.append(
                    f"stratum {label!r} is too small to estimate ({overlap} people on two or "
                    f"more lists, fewer than {self.min_overlap}): its {table.n_observed:,} "
                    "observed enter the total as a lower bound"
                )
                continue
            try:
                result = self.estimator.fit(table)
            except EstimationError as exc:
                skipped[label] = table.n_observed
                warnings.append(
                    f"stratum {label!r} could not be estimated ({exc.message}); its "
                    f"{table.n_observed:,} observed enter the total as a lower bound"
                )
                continue
            results[label] = result
            warnings.extend(f"stratum {label!r}: {w}" for w in result.warnings)
        if not results:
            raise EstimationError(
                "no stratum could be estimated",
                hint="merge small strata or estimate without stratifying",
            )
        rng = np.random.default_rng(self.seed)
        totals = np.full(self.draws, float(sum(skipped.values())))
        for result in results.values():
            totals += _stratum_draws(result, rng, self.draws)
        tail = (1.0 - level) / 2.0
        lower, upper = (float(q) for q in np.quantile(totals, [tail, 1.0 - tail]))
        estimate = sum(r.estimate for r in results.values()) + sum(skipped.values())
        n_observed = sum(t.n_observed for t in labelled.values())
        return StratifiedResult(
            method=f"stratified:{self.estimator.name}",
            estimate=estimate,
            lower=min(lower, estimate),
            upper=max(upper, estimate),
            level=level,
            n_observed=n_observed,
            diagnostics={
                "n_strata": len(labelled),
                "estimated": sorted(results),
                "not_estimated": skipped,
                "interval_method": "sum of per-stratum log-normal draws fitted to each interval",
            },
            settings={
                "estimator": self.estimator.name,
                "estimator_settings": self.estimator.settings(),
                "min_overlap": self.min_overlap,
                "draws": self.draws,
                "seed": self.seed,
            },
            input_hash=_combined_hash(labelled),
            warnings=tuple(warnings),
            strata=results,
        )


def _labelled(
    tables: Mapping[str, CaptureHistory] | Sequence[CaptureHistory],
) -> dict[str, CaptureHistory]:
    if isinstance(tables, Mapping):
        labelled = {str(k): v for k, v in tables.items()}
    else:
        labelled = {}
        for position, table in enumerate(tables):
            label = table.stratum if table.stratum is not None else f"stratum {position + 1}"
            if label in labelled:
                raise EstimationError(f"two strata are labelled {label!r}")
            labelled[label] = table
    if not labelled:
        raise EstimationError("no strata given")
    return labelled


def _stratum_draws(result: EstimationResult, rng: np.random.Generator, draws: int) -> np.ndarray:
    """Draws of N for one stratum: n + a log-normal unobserved count matching its interval."""
    n = float(result.n_observed)
    z = float(ndtri(0.5 + result.level / 2.0))
    unobserved = result.estimate - n
    upper = result.upper - n
    if not np.isfinite(upper):
        raise EstimationError(
            f"stratum result has no upper bound ({result.method}); cannot combine intervals"
        )
    if unobserved <= 0.5:
        # Nothing (or almost nothing) estimated unseen: spread only upwards, to the upper bound.
        return n + np.abs(rng.normal(0.0, max(upper, 0.0) / z, draws))
    lower = result.lower - n
    if lower > 0:
        sigma = (np.log(upper) - np.log(lower)) / (2.0 * z)
    else:
        sigma = (np.log(upper) - np.log(unobserved)) / z
    return n + unobserved * np.exp(rng.normal(0.0, max(sigma, 0.0), draws))


def _combined_hash(tables: Mapping[str, CaptureHistory]) -> str:
    digest = hashlib.sha256()
    for label in sorted(tables):
        digest.update(label.encode("utf-8") + b"\0" + tables[label].input_hash().encode("ascii"))
    return digest.hexdigest()
