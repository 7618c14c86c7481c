"""Hierarchical log-linear estimation (Fienberg 1972): exhaustive search, selection, averaging."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from sijill.errors import EstimationError
from sijill.estimation.base import EstimationResult, Estimator
from sijill.estimation.hierarchical import (
    FAILED,
    FLAG_REASONS,
    LARGE_BIAS,
    ModelTable,
    design_for,
    fit_all_models,
)
from sijill.estimation.profile import profile_interval
from sijill.estimation.table import CaptureHistory
from sijill.estimation.two_list import lognormal_interval

CRITERIA = ("aic", "bic")
TOP_MODELS_SHOWN = 10


class LogLinearEstimator(Estimator):
    """Best (or averaged) hierarchical log-linear model over every model of the lists.

    Model (Fienberg 1972; Bishop, Fienberg & Holland 1975): the 2^K − 1 observed pattern counts
    are Poisson with log-mean a sum of main effects and interaction terms; the K-way term is
    absent, and that untestable assumption is what identifies the unobserved count exp(β0).
    Every hierarchical model with interactions up to ``max_order`` (default K − 1; 8, 113 and
    6,893 models for 3, 4, 5 lists) is fitted, as Rcapture's ``closedpMS.t`` does. Models are
    flagged and left out of selection as Rcapture 1.4-4 ``closedpMS.t`` flags them (``infoFit``
    not 0): the fit failed (no convergence, a mean numerically 0, a singular information
    matrix) or the asymptotic bias of N exceeds 10% of N (see ``ModelTable``). With
    ``include_large_bias=True`` the fits flagged only for their bias compete too (Sijill before
    this rule; not R's pick); they also compete, with a warning, when every fitted model is
    flagged so (lists that barely overlap), where R would have no pick at all. On 6 lists all orders would
    be about 7.8 million models, so the default there is pairwise interactions only
    (``max_order=2``, 32,768 models, a few seconds); the result warns when the search was limited.

    Interactions absorb dependence between lists (one copying another) and some heterogeneity;
    they cannot absorb heterogeneity that acts on all lists at once. With sparse tables the
    selected model is unstable: compare ``average=True`` and the top models in the diagnostics.

    Selection: the model with the smallest AIC (or BIC); its estimate and interval are the
    multinomial maximum likelihood and profile-likelihood interval (as ``closedpCI.t``).
    Averaging (``average=True``): Akaike weights w ∝ exp(−ΔAIC/2); N̄ = Σ w N_i with Buckland et
    al.'s (1997) unconditional standard error Σ w √(se_i² + (N_i − N̄)²), and a log-normal
    interval (Chao 1987) from it.

    Result diagnostics: ``model`` (selected), ``poisson_abundance``, ``stderr``, ``deviance``,
    ``df``, ``aic``, ``bic``, ``bias`` (asymptotic bias of N), ``n_models``,
    ``n_models_usable`` (competing), ``large_bias_models_compete``, ``n_models_flagged`` (count per reason), ``top_models``
    (name, abundance, stderr, deviance, df, aic, bic, bias, weight), ``excluded_models`` (the
    flagged models that score better than the selected one, each with its ``reasons``; also
    named in the warnings), ``averaged`` (estimate, stderr, interval, effective number of
    models) and ``interval_method``.
    """

    name: ClassVar[str] = "loglinear"
    min_lists: ClassVar[int] = 3
    max_lists: ClassVar[int | None] = 6

    def __init__(
        self,
        criterion: str = "aic",
        average: bool = False,
        max_order: int | None = None,
        level: float = 0.95,
        max_factor: float = 100.0,
        include_large_bias: bool = False,
    ) -> None:
        super().__init__(level=level)
        if criterion not in CRITERIA:
            raise EstimationError(f"unknown criterion {criterion!r}; choose one of {CRITERIA}")
        self.criterion = criterion
        self.average = average
        self.max_order = max_order
        self.max_factor = max_factor
        self.include_large_bias = include_large_bias

    def _fit(self, table: CaptureHistory) -> EstimationResult:
        table.require_overlap(self.name)
        max_order = self.max_order
        if max_order is None and table.n_lists == 6:
            max_order = 2  # all orders on 6 lists would be ~7.8 million models
        models = fit_all_models(table, max_order)
        include = self.include_large_bias
        warnings: list[str] = []
        if (
            not include
            and not models.usable().any()
            and models.usable(include_large_bias=True).any()
        ):
            # Rcapture would flag every model; an estimate with that warning beats none.
            include = True
            warnings.append(
                "every model that could be fitted has an asymptotic bias of N over 10% of N "
                "(Rcapture flags them all): the lists overlap too little and this estimate is "
                "unreliable"
            )
        best = models.best(self.criterion, include)
        weights = models.weights(self.criterion, include)
        averaged = _average(models, weights, table.n_observed, self.level)
        excluded = _excluded(models, best, self.criterion, include)
        warnings += _search_warnings(models, weights, best, excluded, include)
        if max_order is not None and max_order < table.n_lists - 1:
            warnings.append(f"only interactions up to order {max_order} were searched")
        if self.average:
            estimate = averaged["estimate"]
            lower, upper = averaged["interval"]
            method = "model-averaged (Akaike weights), log-normal from unconditional stderr"
        else:
            design, zero_row = design_for(models.terms[best], table.n_lists)
            profile = profile_interval(
                design,
                zero_row,
                table.full_counts(),
                float(models.abundance[best]),
                self.level,
                self.max_factor,
            )
            estimate, lower, upper = profile.estimate, profile.lower, profile.upper
            method = "multinomial profile likelihood (Cormack 1992) of the selected model"
            if not profile.upper_found:
                warnings.append("the selected model cannot bound N from above")
        return EstimationResult(
            method=self.name,
            estimate=estimate,
            lower=lower,
            upper=upper,
            level=self.level,
            n_observed=table.n_observed,
            diagnostics={
                **_row(models, best, weights),
                "n_models": len(models.terms),
                "n_models_usable": int(models.usable(include).sum()),
                "large_bias_models_compete": include,
                "n_models_flagged": _flag_counts(models),
                "max_order_searched": (max_order if max_order is not None else table.n_lists - 1),
                "criterion": self.criterion,
                "top_models": _top(models, weights, self.criterion, include),
                "excluded_models": excluded,
                "averaged": averaged,
                "interval_method": method,
            },
            settings=self.settings(),
            input_hash=table.input_hash(),
            warnings=tuple(warnings),
        )


class LogLinearAveragedEstimator(LogLinearEstimator):
    """``LogLinearEstimator`` with AIC model averaging on by default (``average=True``)."""

    name: ClassVar[str] = "loglinear-averaged"

    def __init__(
        self,
        criterion: str = "aic",
        average: bool = True,
        max_order: int | None = None,
        level: float = 0.95,
        max_factor: float = 100.0,
        include_large_bias: bool = False,
    ) -> None:
        super().__init__(criterion, average, max_order, level, max_factor, include_large_bias)


def _row(models: ModelTable, index: int, weights: np.ndarray) -> dict[str, Any]:
    return {
        "model": models.name(index),
        "poisson_abundance": float(models.abundance[index]),
        "stderr": float(models.stderr[index]),
        "deviance": float(models.deviance[index]),
        "df": int(models.df[index]),
        "aic": float(models.aic[index]),
        "bic": float(models.bic[index]),
        "bias": float(models.bias[index]),
        "weight": float(weights[index]),
    }


def _top(
    models: ModelTable, weights: np.ndarray, criterion: str, include_large_bias: bool
) -> list[dict[str, Any]]:
    scores = models.scores(criterion, include_large_bias)
    order = np.argsort(scores, kind="stable")[:TOP_MODELS_SHOWN]
    return [_row(models, int(i), weights) for i in order if np.isfinite(scores[i])]


def _average(
    models: ModelTable, weights: np.ndarray, n_observed: int, level: float
) -> dict[str, Any]:
    usable = weights > 0
    w = weights[usable]
    abundance = models.abundance[usable]
    stderr = models.stderr[usable]
    estimate = float(np.sum(w * abundance))
    unconditional = float(np.sum(w * np.sqrt(stderr**2 + (abundance - estimate) ** 2)))
    return {
        "estimate": estimate,
        "stderr": unconditional,
        "effective_models": float(1.0 / np.sum(w**2)),
        "interval": list(lognormal_interval(n_observed, estimate, unconditional**2, level)),
    }


def _flag_counts(models: ModelTable) -> dict[str, int]:
    """How many models carry each flag (a model can carry several)."""
    return {
        text: int(np.count_nonzero(models.flags & flag))
        for flag, text in FLAG_REASONS.items()
        if np.any(models.flags & flag)
    }


def _excluded(
    models: ModelTable, best: int, criterion: str, include_large_bias: bool
) -> list[dict[str, Any]]:
    """Flagged models that would have beaten the selected one, best first, with their reasons."""
    raw = models.aic if criterion == "aic" else models.bic
    beaten = ~models.usable(include_large_bias) & np.isfinite(raw) & (raw < raw[best])
    order = np.flatnonzero(beaten)
    order = order[np.argsort(raw[order], kind="stable")][:TOP_MODELS_SHOWN]
    return [
        {
            "model": models.name(int(i)),
            criterion: float(raw[i]),
            "abundance": float(models.abundance[i]),
            "bias": float(models.bias[i]),
            "reasons": list(models.reasons(int(i))),
        }
        for i in order
    ]


def _search_warnings(
    models: ModelTable,
    weights: np.ndarray,
    best: int,
    excluded: list[dict[str, Any]],
    include_large_bias: bool,
) -> list[str]:
    warnings: list[str] = []
    if weights[best] < 0.3:
        warnings.append(
            f"model selection is uncertain: the selected model has only {weights[best]:.0%} of "
            "the Akaike weight; consider the model-averaged estimate"
        )
    failed = int(np.count_nonzero(models.flags & FAILED))
    if failed:
        warnings.append(
            f"{failed} of {len(models.terms)} models could not be fitted (sparse cells) "
            "and were left out"
        )
    biased = int(np.count_nonzero(models.flags == LARGE_BIAS))
    if biased and not include_large_bias:
        warnings.append(
            f"{biased} of {len(models.terms)} models were left out because the asymptotic "
            "bias of their N exceeds 10% of N (as Rcapture's closedpMS.t)"
        )
    for row in excluded[:3]:
        score = next(key for key in ("aic", "bic") if key in row)
        warnings.append(
            f"model {row['model']} ({score.upper()} {row[score]:.2f}, N {row['abundance']:.1f}) "
            f"excluded: {'; '.join(row['reasons'])}"
        )
    return warnings
