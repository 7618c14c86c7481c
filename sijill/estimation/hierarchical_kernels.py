"""Compiled IRLS kernels fitting many Poisson log-linear models in one call (numba)."""

from __future__ import annotations

import math

import numba
import numpy as np

#: Number of per-model figures ``fit_batch`` returns (see its docstring).
FIGURES = 6


@numba.njit(cache=True)
def _cholesky(matrix: np.ndarray, lower: np.ndarray) -> bool:
    """Factor a symmetric positive-definite matrix as L Lᵀ into ``lower``; False if singular."""
    p = matrix.shape[0]
    for j in range(p):
        total = matrix[j, j]
        for k in range(j):
            total -= lower[j, k] * lower[j, k]
        if not total > 1e-300:
            return False
        lower[j, j] = math.sqrt(total)
        for i in range(j + 1, p):
            acc = matrix[i, j]
            for k in range(j):
                acc -= lower[i, k] * lower[j, k]
            lower[i, j] = acc / lower[j, j]
    return True


@numba.njit(cache=True)
def _forward(lower: np.ndarray, rhs: np.ndarray, out: np.ndarray) -> None:
    """Solve L z = rhs."""
    for i in range(rhs.shape[0]):
        acc = rhs[i]
        for k in range(i):
            acc -= lower[i, k] * out[k]
        out[i] = acc / lower[i, i]


@numba.njit(cache=True)
def _backward(lower: np.ndarray, rhs: np.ndarray, out: np.ndarray) -> None:
    """Solve Lᵀ z = rhs."""
    for i in range(rhs.shape[0] - 1, -1, -1):
        acc = rhs[i]
        for k in range(i + 1, rhs.shape[0]):
            acc -= lower[k, i] * out[k]
        out[i] = acc / lower[i, i]


@numba.njit(cache=True)
def _asymptotic_bias(
    x: np.ndarray, mu: np.ndarray, lower: np.ndarray, intercept: float
) -> tuple[float, float]:
    """Variance of β0 and the O(1/n) bias of exp(β0), from the Cholesky factor of X'WX.

    With V = (X'WX)⁻¹, hᵢ = xᵢ'V xᵢ and v = V e₀, the bias of the estimated unobserved count is
    ½ exp(β0) (v₀ − Σᵢ μᵢ hᵢ xᵢ·v) (the first-order bias of a Poisson log-linear MLE, Cox &
    Snell 1968, carried to exp(β0) as Rcapture 1.4-4 does).
    """
    m, p = x.shape
    unit = np.zeros(p)
    unit[0] = 1.0
    half = np.empty(p)
    v = np.empty(p)
    _forward(lower, unit, half)
    _backward(lower, half, v)
    row = np.empty(p)
    solved = np.empty(p)
    correction = 0.0
    for i in range(m):
        for a in range(p):
            row[a] = x[i, a]
        _forward(lower, row, solved)
        leverage = 0.0
        along = 0.0
        for a in range(p):
            leverage += solved[a] * solved[a]
            along += row[a] * v[a]
        correction += mu[i] * leverage * along
    return v[0], 0.5 * math.exp(min(intercept, 700.0)) * (v[0] - correction)


@numba.njit(cache=True)
def _fit_one(
    matrix: np.ndarray,
    columns: np.ndarray,
    y: np.ndarray,
    tolerance: float,
    max_iterations: int,
    out: np.ndarray,
) -> None:
    """Fit one model as R's glm.fit does; write the ``FIGURES`` figures into ``out``."""
    m = y.shape[0]
    p = columns.shape[0]
    x = np.empty((m, p))
    for i in range(m):
        for j in range(p):
            x[i, j] = matrix[i, columns[j]]
    mu = y + 0.1
    eta = np.log(mu)
    deviance_old = 0.0
    for i in range(m):
        if y[i] > 0:
            deviance_old += y[i] * math.log(y[i] / mu[i])
        deviance_old -= y[i] - mu[i]
    deviance_old *= 2.0
    converged = False
    information = np.empty((p, p))
    lower = np.empty((p, p))
    rhs = np.empty(p)
    half = np.empty(p)
    beta = np.zeros(p)
    deviance = deviance_old
    for _ in range(max_iterations):
        rhs[:] = 0.0
        information[:, :] = 0.0
        for i in range(m):
            z = eta[i] + (y[i] - mu[i]) / mu[i]
            w = mu[i]
            for a in range(p):
                wa = w * x[i, a]
                rhs[a] += wa * z
                for b in range(a + 1):
                    information[a, b] += wa * x[i, b]
        for a in range(p):
            for b in range(a):
                information[b, a] = information[a, b]
        if not _cholesky(information, lower):
            out[0], out[1], out[2], out[3], out[4], out[5] = beta[0], np.inf, deviance_old, 0, 0, 0
            return
        _forward(lower, rhs, half)
        _backward(lower, half, beta)
        deviance = 0.0
        for i in range(m):
            e = 0.0
            for a in range(p):
                e += x[i, a] * beta[a]
            eta[i] = min(e, 700.0)
            mu[i] = max(math.exp(eta[i]), 2.220446049250313e-16)  # R's poisson() floor
            if y[i] > 0:
                deviance += y[i] * math.log(y[i] / mu[i])
            deviance -= y[i] - mu[i]
        deviance *= 2.0
        if abs(deviance - deviance_old) / (abs(deviance) + 0.1) < tolerance:
            converged = True
            break
        deviance_old = deviance
    smallest = np.inf
    for i in range(m):
        smallest = min(smallest, mu[i])
    # As glm's vcov, the covariance uses the weights of the last iteration (``lower`` holds
    # their factor), while the bias uses the final fitted means, as Rcapture does.
    variance, bias = _asymptotic_bias(x, mu, lower, beta[0])
    out[0], out[1], out[2] = beta[0], variance, deviance
    out[3], out[4], out[5] = 1.0 if converged else 0.0, smallest, bias


@numba.njit(cache=True, parallel=True)
def fit_batch(
    matrix: np.ndarray,
    flat_columns: np.ndarray,
    offsets: np.ndarray,
    y: np.ndarray,
    tolerance: float,
    max_iterations: int,
) -> np.ndarray:
    """Fit every model (columns ``flat_columns[offsets[k]:offsets[k + 1]]`` of ``matrix``).

    Returns:
        An array of shape (models, ``FIGURES``): intercept β0, Var β0, deviance, converged
        (1/0), smallest fitted mean, asymptotic bias of exp(β0). A model whose information
        matrix is singular has Var β0 = inf and converged = 0.
    """
    count = offsets.shape[0] - 1
    figures = np.empty((count, FIGURES))
    for k in numba.prange(count):
        columns = flat_columns[offsets[k] : offsets[k + 1]]
        _fit_one(matrix, columns, y, tolerance, max_iterations, figures[k])
    return figures
