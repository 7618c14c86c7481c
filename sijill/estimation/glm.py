"""A small Poisson log-linear model fitter (IRLS), the engine of every log-linear estimator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln, xlogy

#: R's glm defaults, so that fits stopped on a boundary (zero cells) agree with R's.
DEFAULT_TOLERANCE = 1e-8
DEFAULT_MAX_ITERATIONS = 25
_MACHINE_EPSILON = float(np.finfo(np.float64).eps)


@dataclass(frozen=True, eq=False)
class PoissonFit:
    """The maximum-likelihood fit of a Poisson log-linear model log E[y] = X β.

    Attributes:
        coefficients: β, one per design column.
        covariance: inverse Fisher information of β (X' diag(μ) X)^-1.
        fitted: fitted means μ of the observed cells.
        deviance: 2 Σ [y log(y / μ) − (y − μ)].
        aic: -2 × Poisson log-likelihood (with its log y! terms) + 2 × columns, as R's glm.
        converged: whether the relative change of deviance fell under the tolerance.
        iterations: IRLS iterations used.
    """

    coefficients: np.ndarray
    covariance: np.ndarray
    fitted: np.ndarray
    deviance: float
    aic: float
    converged: bool
    iterations: int

    @property
    def n_parameters(self) -> int:
        """Number of design columns (free log-linear parameters)."""
        return int(self.coefficients.shape[0])


def poisson_deviance(counts: np.ndarray, fitted: np.ndarray) -> float:
    """Poisson deviance 2 Σ [y log(y/μ) − (y − μ)], with 0 log 0 = 0."""
    return float(2.0 * np.sum(xlogy(counts, counts) - xlogy(counts, fitted) - (counts - fitted)))


def aic_offset(counts: np.ndarray) -> float:
    """The constant that turns a deviance into R's glm AIC: AIC = deviance + 2p + offset.

    It is -2 times the log-likelihood of the saturated Poisson model (y log y − y − log y!), so
    AIC values here are comparable with R's for the same table.
    """
    return float(-2.0 * np.sum(xlogy(counts, counts) - counts - gammaln(counts + 1.0)))


def fit_poisson(
    design: np.ndarray,
    counts: np.ndarray,
    start: np.ndarray | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> PoissonFit:
    """Fit log E[y] = X β by iteratively reweighted least squares (Newton's method).

    Starts like R's glm (μ = y + 0.1) unless ``start`` gives fitted means to warm-start from,
    and stops when |Δdeviance| / (|deviance| + 0.1) < ``tolerance``. When a cell pattern makes
    the maximum sit at infinity (typical with zero cells) the iteration stops at
    ``max_iterations`` with ``converged=False`` and the fit so far, as R does.

    Args:
        design: X, shape (cells, parameters).
        counts: y, shape (cells,).
        start: optional starting fitted means (e.g. from a nested model).
        tolerance: relative deviance change that counts as converged.
        max_iterations: IRLS iteration cap.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _fit(
            np.asarray(design, dtype=np.float64),
            np.asarray(counts, dtype=np.float64),
            start,
            tolerance,
            max_iterations,
        )


def _fit(
    x: np.ndarray,
    y: np.ndarray,
    start: np.ndarray | None,
    tolerance: float,
    max_iterations: int,
) -> PoissonFit:
    mu = (y + 0.1) if start is None else np.maximum(np.asarray(start, dtype=np.float64), 1e-10)
    eta = np.log(mu)
    deviance_old = poisson_deviance(y, mu)
    beta: np.ndarray = np.zeros(x.shape[1])
    converged = False
    iterations = 0
    for _ in range(max_iterations):
        iterations += 1
        if not np.isfinite(mu).all() or (mu <= 0).any():
            break  # diverged: the maximum is at infinity; report what there is, unconverged
        weights = np.sqrt(mu)
        working = eta + (y - mu) / mu
        beta = np.linalg.lstsq(x * weights[:, None], working * weights, rcond=None)[0]
        eta = x @ beta
        mu = np.maximum(np.exp(np.minimum(eta, 700.0)), _MACHINE_EPSILON)  # as R's poisson()
        deviance = poisson_deviance(y, mu)
        if abs(deviance - deviance_old) / (abs(deviance) + 0.1) < tolerance:
            converged = True
            break
        deviance_old = deviance
    deviance = poisson_deviance(y, mu)
    if not (np.isfinite(beta).all() and np.isfinite(mu).all() and np.isfinite(deviance)):
        converged = False
        mu = np.where(np.isfinite(mu), mu, np.nan)
    information = (x * mu[:, None]).T @ x
    try:
        covariance = np.linalg.pinv(information)
    except np.linalg.LinAlgError:
        covariance = np.full_like(information, np.nan)
    return PoissonFit(
        coefficients=beta,
        covariance=covariance,
        fitted=mu,
        deviance=deviance,
        aic=deviance + 2.0 * x.shape[1] + aic_offset(y),
        converged=converged,
        iterations=iterations,
    )
