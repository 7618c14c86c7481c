"""Estimators for the twelve standard closed-population models, one registry name each."""

from __future__ import annotations

import math
from typing import ClassVar

from sijill.errors import EstimationError
from sijill.estimation.base import EstimationResult, Estimator
from sijill.estimation.closed_models import (
    LOGLINEAR_STANDARD,
    STANDARD_MODELS,
    ModelFit,
    fit_standard_model,
    model_design,
)
from sijill.estimation.profile import profile_interval
from sijill.estimation.table import CaptureHistory
from sijill.estimation.two_list import lognormal_interval

#: Above this many lists the complete 2^K table is too large for these models.
MAX_STANDARD_LISTS = 15


class StandardModelEstimator(Estimator):
    """One of Rcapture's standard closed-population log-linear models.

    Models (Otis et al. 1978 notation, log-linear form of Rivest & Baillargeon): M0 (same
    capture probability everywhere), Mt (each list its own probability), Mh (individual
    heterogeneity: Chao's lower bound, Poisson2, Darroch, Gamma3.5 forms), Mth (both), Mb
    (behavioural response, lists read in time order) and Mbh. All assume a closed population;
    Mt/M0 assume independent lists. Reference: Baillargeon & Rivest (2007), J. Stat. Software
    19(5); Chao (1987); Darroch et al. (1993).

    The estimate and interval are the multinomial maximum-likelihood N and its profile-likelihood
    interval (Cormack 1992), as Rcapture's ``closedpCI.t``; for Mb/Mbh, which have no profile in
    that form, the Poisson estimate with a log-normal interval (Chao 1987).

    Result diagnostics: ``model``, ``poisson_abundance``, ``stderr``, ``deviance``, ``df``,
    ``aic``, ``bic``, ``converged``, ``chao_terms_fixed_at_zero``, ``interval_method``.
    """

    name: ClassVar[str] = "standard-model"
    model: ClassVar[str] = ""

    def __init__(
        self,
        model: str | None = None,
        level: float = 0.95,
        neg: bool = True,
        max_factor: float = 100.0,
    ) -> None:
        super().__init__(level=level)
        chosen = model if model is not None else type(self).model
        if chosen not in STANDARD_MODELS:
            raise EstimationError(
                f"unknown standard model {chosen!r}", hint=f"choose from {list(STANDARD_MODELS)}"
            )
        self.model_name = chosen
        self.neg = neg
        self.max_factor = max_factor

    def _fit(self, table: CaptureHistory) -> EstimationResult:
        if table.n_lists > MAX_STANDARD_LISTS:
            raise EstimationError(
                f"{self.model_name} works on at most {MAX_STANDARD_LISTS} lists here",
                hint="collapse the table to fewer lists",
            )
        table.require_overlap(self.name)
        fit = fit_standard_model(table, self.model_name, self.neg)
        warnings = fit_warnings(fit)
        n = table.n_observed
        if not math.isfinite(fit.abundance) or fit.abundance < n:
            raise EstimationError(
                f"{self.model_name} gives no valid estimate for this table "
                f"(N = {fit.abundance:.4g}, fewer than the {n:,} observed): the model does not "
                "fit these data",
                hint="try another model (e.g. loglinear)",
            )
        if self.model_name in LOGLINEAR_STANDARD:
            design, zero_row = model_design(table, self.model_name, self.neg)
            profile = profile_interval(
                design,
                zero_row,
                table.full_counts(),
                fit.abundance,
                self.level,
                self.max_factor,
            )
            estimate, lower, upper = profile.estimate, profile.lower, profile.upper
            method = "multinomial profile likelihood (Cormack 1992)"
            if not profile.upper_found:
                warnings.append(
                    f"the upper bound lies beyond {self.max_factor:g} × the estimate: "
                    "the data cannot bound N from above under this model"
                )
        else:
            estimate = fit.abundance
            lower, upper = lognormal_interval(n, estimate, fit.stderr**2, self.level)
            method = "log-normal (Chao 1987) from the Poisson standard error"
        return EstimationResult(
            method=self.name,
            estimate=estimate,
            lower=lower,
            upper=upper,
            level=self.level,
            n_observed=n,
            diagnostics={**fit_diagnostics(fit), "interval_method": method},
            settings=self.settings(),
            input_hash=table.input_hash(),
            warnings=tuple(warnings),
        )


def fit_diagnostics(fit: ModelFit) -> dict[str, object]:
    """The figures of one model fit as stored in a result's diagnostics."""
    return {
        "model": fit.model,
        "poisson_abundance": fit.abundance,
        "stderr": fit.stderr,
        "deviance": fit.deviance,
        "df": fit.df,
        "aic": fit.aic,
        "bic": fit.bic,
        "converged": fit.converged,
        "chao_terms_fixed_at_zero": list(fit.dropped),
    }


def fit_warnings(fit: ModelFit) -> list[str]:
    """Plain-language caveats about one model fit."""
    warnings: list[str] = []
    if not fit.converged:
        warnings.append(
            f"{fit.model}: the fit did not converge (an estimate on the boundary, often from "
            "empty cells); treat the figure with caution"
        )
    if not math.isfinite(fit.abundance) or fit.abundance <= 0:
        warnings.append(f"{fit.model}: the model gives no meaningful estimate for this table")
    return warnings


def _standard(registry_name: str, model_name: str) -> type[StandardModelEstimator]:
    doc = f"Rcapture's standard model {model_name}; see ``StandardModelEstimator``."
    return type(
        f"{model_name.replace(' ', '').replace('(', '').replace(')', '').replace('.', '')}"
        "Estimator",
        (StandardModelEstimator,),
        {"name": registry_name, "model": model_name, "__doc__": doc},
    )


#: Registry names of the standard models, e.g. ``mth-chao`` for "Mth Chao (LB)".
STANDARD_ESTIMATORS: dict[str, type[StandardModelEstimator]] = {
    registry: _standard(registry, model)
    for registry, model in zip(
        (
            "m0",
            "mt",
            "mh-chao",
            "mh-poisson",
            "mh-darroch",
            "mh-gamma",
            "mth-chao",
            "mth-poisson",
            "mth-darroch",
            "mth-gamma",
            "mb",
            "mbh",
        ),
        STANDARD_MODELS,
        strict=True,
    )
}
