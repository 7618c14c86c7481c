"""The twelve standard closed-population log-linear models (M0, Mt, Mh, Mth, Mb, Mbh families).

Design matrices follow Rivest & Baillargeon's log-linear formulation (Baillargeon & Rivest 2007,
J. Stat. Software 19(5)): the expected count of capture pattern ω is exp(x(ω)'β) and the
unobserved count is exp(x(0)'β), so N = n + exp(x(0)'β).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sijill.errors import EstimationError
from sijill.estimation.glm import PoissonFit, fit_poisson
from sijill.estimation.table import CaptureHistory, all_patterns

#: Model names as Rcapture's closedp.t prints them, in its order.
STANDARD_MODELS: tuple[str, ...] = (
    "M0",
    "Mt",
    "Mh Chao (LB)",
    "Mh Poisson2",
    "Mh Darroch",
    "Mh Gamma3.5",
    "Mth Chao (LB)",
    "Mth Poisson2",
    "Mth Darroch",
    "Mth Gamma3.5",
    "Mb",
    "Mbh",
)

#: Models whose N comes from the design's unobserved row (profile intervals apply).
LOGLINEAR_STANDARD = STANDARD_MODELS[:10]


@dataclass(frozen=True)
class ModelFit:
    """One fitted log-linear model, as a row of Rcapture's model tables.

    Attributes:
        model: the model's name (``"Mth Chao (LB)"``, ``"[12,3]"``, ...).
        abundance: Poisson estimate of N.
        stderr: standard error of ``abundance``.
        deviance: Poisson deviance against the saturated model of the observed cells.
        df: observed cells minus parameters.
        aic: R's glm AIC (deviance + 2p + constant of the table).
        bic: as ``aic`` with log(n) instead of 2 per parameter.
        converged: False when the fit hit the iteration cap (a boundary estimate).
        dropped: heterogeneity terms fixed at zero (Chao's lower bound), if any.
    """

    model: str
    abundance: float
    stderr: float
    deviance: float
    df: int
    aic: float
    bic: float
    converged: bool
    dropped: tuple[int, ...] = ()


def heterogeneity_column(kind: str, captures: np.ndarray) -> np.ndarray:
    """The heterogeneity column h(c) of an Mh/Mth model, with h(0) = 0.

    Poisson2: 2^c − 1; Darroch: c²/2; Gamma3.5: −log(1 + c/3.5) (Rivest & Baillargeon).
    """
    c = captures.astype(np.float64)
    if kind == "Poisson2":
        return np.asarray(2.0**c - 1.0)
    if kind == "Darroch":
        return np.asarray(c**2 / 2.0)
    if kind == "Gamma3.5":
        return np.asarray(-np.log1p(c / 3.5))
    raise EstimationError(f"unknown heterogeneity form {kind!r}")


def chao_columns(captures: np.ndarray, n_lists: int, keep: tuple[int, ...]) -> np.ndarray:
    """Chao lower-bound columns (c − k + 1)₊ for k in ``keep`` (a subset of 3..K).

    The coefficient of column k is the second difference of the heterogeneity effect at
    c = k − 1; a mixture of capture probabilities makes it non-negative, which is why negative
    ones are fixed at zero (Rcapture's ``neg=TRUE``).
    """
    c = captures.astype(np.float64)
    if not keep:
        return np.zeros((c.shape[0], 0))
    return np.column_stack([np.maximum(c - k + 1.0, 0.0) for k in keep])


def _base_design(model: str, patterns: np.ndarray) -> np.ndarray:
    ones = np.ones((patterns.shape[0], 1))
    if model.startswith("Mth") or model == "Mt":
        return np.hstack([ones, patterns.astype(np.float64)])
    captures = patterns.sum(axis=1, dtype=np.float64)[:, None]
    return np.hstack([ones, captures])


def standard_design(
    model: str, n_lists: int, chao_keep: tuple[int, ...] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Design rows of the 2^K − 1 observed patterns and of the unobserved pattern.

    Args:
        model: one of ``LOGLINEAR_STANDARD``.
        n_lists: K.
        chao_keep: for Chao models, which (c − k + 1)₊ columns to keep (default all k ≥ 3).

    Returns:
        (design, zero_row) with rows in binary-code order (list 1 most significant).
    """
    if model not in LOGLINEAR_STANDARD:
        raise EstimationError(f"unknown standard model {model!r}; choose from {STANDARD_MODELS}")
    patterns = np.vstack([all_patterns(n_lists), np.zeros((1, n_lists), dtype=np.int8)])
    design = _base_design(model, patterns)
    captures = patterns.sum(axis=1)
    if model.endswith("Chao (LB)"):
        keep = tuple(range(3, n_lists + 1)) if chao_keep is None else chao_keep
        design = np.hstack([design, chao_columns(captures, n_lists, keep)])
    elif " " in model:
        kind = model.split(" ", 1)[1]
        design = np.hstack([design, heterogeneity_column(kind, captures)[:, None]])
    return design[:-1], design[-1]


def _loglinear_fit(
    model: str, counts: np.ndarray, n_lists: int, neg: bool
) -> tuple[PoissonFit, np.ndarray, np.ndarray, tuple[int, ...]]:
    keep: tuple[int, ...] | None = None
    dropped: tuple[int, ...] = ()
    while True:
        design, zero_row = standard_design(model, n_lists, keep)
        fit = fit_poisson(design, counts)
        if not (neg and model.endswith("Chao (LB)")):
            return fit, design, zero_row, dropped
        current = tuple(range(3, n_lists + 1)) if keep is None else keep
        base = design.shape[1] - len(current)
        eta = fit.coefficients[base:]
        negative = tuple(k for k, value in zip(current, eta, strict=True) if value < 0)
        if not negative:
            return fit, design, zero_row, dropped
        dropped = dropped + negative
        keep = tuple(k for k in current if k not in negative)


def poisson_abundance(
    fit: PoissonFit, zero_row: np.ndarray, n_observed: float
) -> tuple[float, float]:
    """N = n + exp(x0'β) and its standard error √(μ0 + μ0² x0' Σ x0) (delta method)."""
    mu0 = math.exp(float(zero_row @ fit.coefficients))
    variance = mu0 + mu0**2 * float(zero_row @ fit.covariance @ zero_row)
    return n_observed + mu0, math.sqrt(max(variance, 0.0))


def _information(fit: PoissonFit, n_observed: float, n_parameters: int) -> tuple[float, float]:
    bic = fit.aic - 2.0 * n_parameters + n_parameters * math.log(n_observed)
    return fit.aic, bic


def _removal_variance(total: float, escape: float, occasions: int) -> float:
    """Variance of a removal estimate (Otis et al. 1978): p = 1 − escape over ``occasions``."""
    p = 1.0 - escape
    missed = escape**occasions
    denominator = (1.0 - missed) ** 2 - occasions**2 * p**2 * escape ** (occasions - 1)
    if denominator <= 0:
        return math.inf
    return total * missed * (1.0 - missed) / denominator


def _behavioural_fit(model: str, table: CaptureHistory) -> ModelFit:
    """Mb (trap response) and Mbh (Mb with a different first occasion), lists in time order.

    Columns: intercept, occasions before the first capture (f − 1), recaptures after it, and
    for Mbh an indicator of a first capture after occasion 1. The first-capture probability p
    and recapture probability c follow from the coefficients; for Mb N = n / (1 − (1 − p)^K),
    for Mbh N = u₁ + (n − u₁) / (1 − (1 − p)^(K − 1)) with u₁ the first-occasion captures.
    """
    n_lists = table.n_lists
    patterns = all_patterns(n_lists)
    counts = table.full_counts().astype(np.float64)
    n = float(counts.sum())
    captures = patterns.sum(axis=1).astype(np.float64)
    first = np.argmax(patterns > 0, axis=1).astype(np.float64)
    columns = [np.ones_like(captures), first, captures - 1.0]
    if model == "Mbh":
        columns.append((first >= 1).astype(np.float64))
    design = np.column_stack(columns)
    fit = fit_poisson(design, counts)
    slope, recapture_logit = fit.coefficients[1], fit.coefficients[2]
    escape = math.exp(slope) / (1.0 + math.exp(recapture_logit))
    if model == "Mb":
        abundance = n / (1.0 - escape**n_lists)
        variance = _removal_variance(abundance, escape, n_lists)
    else:
        first_occasion = float(counts[patterns[:, 0] == 1].sum())
        later = n - first_occasion
        remaining = later / (1.0 - escape ** (n_lists - 1))
        abundance = first_occasion + remaining
        variance = _removal_variance(remaining, escape, n_lists - 1) + first_occasion * (
            1.0 - first_occasion / abundance
        )
    aic, bic = _information(fit, n, design.shape[1])
    return ModelFit(
        model=model,
        abundance=abundance,
        stderr=math.sqrt(variance) if variance >= 0 else math.nan,
        deviance=fit.deviance,
        df=counts.shape[0] - design.shape[1],
        aic=aic,
        bic=bic,
        converged=fit.converged,
    )


def fit_standard_model(table: CaptureHistory, model: str, neg: bool = True) -> ModelFit:
    """Fit one of the twelve standard models to a table.

    Args:
        table: the capture histories; for Mb/Mbh the lists must be in time order.
        model: a name from ``STANDARD_MODELS``.
        neg: fix negative Chao lower-bound terms at zero (Rcapture's default).

    Raises:
        EstimationError: an unknown model name.
    """
    if model in ("Mb", "Mbh"):
        return _behavioural_fit(model, table)
    counts = table.full_counts().astype(np.float64)
    fit, design, zero_row, dropped = _loglinear_fit(model, counts, table.n_lists, neg)
    abundance, stderr = poisson_abundance(fit, zero_row, float(counts.sum()))
    aic, bic = _information(fit, float(counts.sum()), design.shape[1])
    return ModelFit(
        model=model,
        abundance=abundance,
        stderr=stderr,
        deviance=fit.deviance,
        df=counts.shape[0] - design.shape[1],
        aic=aic,
        bic=bic,
        converged=fit.converged,
        dropped=dropped,
    )


def fit_standard_models(table: CaptureHistory, neg: bool = True) -> tuple[ModelFit, ...]:
    """All twelve standard models, in ``STANDARD_MODELS`` order (as Rcapture's closedp.t)."""
    return tuple(fit_standard_model(table, model, neg) for model in STANDARD_MODELS)


def model_design(
    table: CaptureHistory, model: str, neg: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """The design (observed rows, unobserved row) a standard log-linear model ends up with.

    For Chao models this is after negative terms were fixed at zero, as the profile interval
    must use the same model as the point estimate.
    """
    counts = table.full_counts().astype(np.float64)
    _fit, design, zero_row, _dropped = _loglinear_fit(model, counts, table.n_lists, neg)
    return design, zero_row
