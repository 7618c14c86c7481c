"""Compiled IRLS kernels fitting many Poisson log-linear models in one call (numba).

Each step solves the normal equations while the fitted means are of comparable size and
switches to Householder QR (as R's glm.fit) once they span more than 8 orders of magnitude:
on fits heading to the boundary the normal equations square an ill-conditioning that QR does
not, and the flags Rcapture sets there (a mean under 10 eps) turn on those last digits.
"""

from __future__ import annotations

import math

import numba
import numpy as np

#: Number of per-model figures ``fit_batch`` returns (see its docstring).
FIGURES = 6


#: Below this ratio of the smallest to the largest fitted mean an IRLS step is solved by QR;
#: above it the normal equations (half the work) agree with QR to about 1e-10.
WELL_CONDITIONED = 1e-8

#: R's glm.fit QR tolerance (min(1e-7, epsilon / 1000)): a column whose remaining norm falls
#: under this fraction of its own weighted norm is linearly dependent on the earlier ones.
RANK_TOLERANCE = 1e-11


@numba.njit(cache=True)
def _least_squares(
    a: np.ndarray, b: np.ndarray, lower: np.ndarray, out: np.ndarray, norms: np.ndarray
) -> bool:
    """Solve min ‖a β − b‖ by Householder QR (overwriting ``a`` and ``b``), as R's glm.fit.

    ``lower`` receives Rᵀ, a (signed) Cholesky factor of aᵀa. Returns False when a column is
    dependent on the earlier ones (R's "design matrix not of full rank").
    """
    m, p = a.shape
    for j in range(p):
        total = 0.0
        for i in range(m):
            total += a[i, j] * a[i, j]
        norms[j] = math.sqrt(total)
    for k in range(p):
        total = 0.0
        for i in range(k, m):
            total += a[i, k] * a[i, k]
        size = math.sqrt(total)
        if not size > RANK_TOLERANCE * norms[k]:
            return False
        alpha = -size if a[k, k] > 0 else size
        a[k, k] -= alpha
        reflector = 0.0
        for i in range(k, m):
            reflector += a[i, k] * a[i, k]
        for j in range(k + 1, p):
            dot = 0.0
            for i in range(k, m):
                dot += a[i, k] * a[i, j]
            factor = 2.0 * dot / reflector
            for i in range(k, m):
                a[i, j] -= factor * a[i, k]
            lower[j, k] = a[k, j]
        dot = 0.0
        for i in range(k, m):
            dot += a[i, k] * b[i]
        factor = 2.0 * dot / reflector
        for i in range(k, m):
            b[i] -= factor * a[i, k]
        lower[k, k] = alpha
    _backward(lower, b[:p], out)
    return True


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
    """Var β0 and the O(1/n) bias of exp(β0), given Rᵀ (``lower``) of the last IRLS step.

    With V = (X'WX)⁻¹ and hᵢ = xᵢ'V xᵢ, the first-order bias of β is −½ V X' (μ ∘ h) (Cox &
    Snell 1968), and that of exp(β0) adds ½ exp(β0) V₀₀. V is formed explicitly, as glm's vcov
    is, so that a bias within a few 1e-9 of Rcapture's 10% line falls on the same side.
    """
    m, p = x.shape
    inverse = np.zeros((p, p))  # R⁻¹, upper triangular
    for j in range(p):
        inverse[j, j] = 1.0 / lower[j, j]
        for i in range(j - 1, -1, -1):
            acc = 0.0
            for k in range(i + 1, j + 1):
                acc += lower[k, i] * inverse[k, j]
            inverse[i, j] = -acc / lower[i, i]
    covariance = np.zeros((p, p))
    for a in range(p):
        for b in range(a, p):
            acc = 0.0
            for k in range(b, p):
                acc += inverse[a, k] * inverse[b, k]
            covariance[a, b] = acc
            covariance[b, a] = acc
    psi = np.zeros(p)
    for i in range(m):
        leverage = 0.0
        for a in range(p):
            acc = 0.0
            for b in range(p):
                acc += x[i, b] * covariance[b, a]
            leverage += acc * x[i, a]
        for a in range(p):
            psi[a] += x[i, a] * mu[i] * leverage
    psi[0] -= 1.0
    first = 0.0
    for a in range(p):
        first -= covariance[0, a] * psi[a]
    return covariance[0, 0], 0.5 * math.exp(min(intercept, 700.0)) * first


@numba.njit(cache=True)
def _normal_step(
    x: np.ndarray,
    y: np.ndarray,
    mu: np.ndarray,
    eta: np.ndarray,
    information: np.ndarray,
    lower: np.ndarray,
    rhs: np.ndarray,
    half: np.ndarray,
    beta: np.ndarray,
) -> bool:
    """One IRLS step by the normal equations X'WX β = X'Wz; ``lower`` gets their factor."""
    m, p = x.shape
    rhs[:p] = 0.0
    information[:, :] = 0.0
    for i in range(m):
        z = eta[i] + (y[i] - mu[i]) / mu[i]
        for a in range(p):
            wa = mu[i] * x[i, a]
            rhs[a] += wa * z
            for b in range(a + 1):
                information[a, b] += wa * x[i, b]
    for a in range(p):
        for b in range(a):
            information[b, a] = information[a, b]
    if not _cholesky(information, lower):
        return False
    _forward(lower, rhs[:p], half)
    _backward(lower, half, beta)
    return True


@numba.njit(cache=True)
def _fit_one(
    matrix: np.ndarray,
    columns: np.ndarray,
    y: np.ndarray,
    tolerance: float,
    max_iterations: int,
    out: np.ndarray,
) -> None:
    """Fit one model as R's glm.fit does (start μ = y + 0.1, means floored at machine epsilon,
    relative deviance tolerance); write the ``FIGURES`` figures into ``out``."""
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
    weighted = np.empty((m, p))
    information = np.empty((p, p))
    lower = np.zeros((p, p))
    rhs = np.empty(m)
    half = np.empty(p)
    norms = np.empty(p)
    beta = np.zeros(p)
    deviance = deviance_old
    for _ in range(max_iterations):
        if mu.min() >= WELL_CONDITIONED * mu.max():
            solved = _normal_step(x, y, mu, eta, information, lower, rhs, half, beta)
        else:
            for i in range(m):
                root = math.sqrt(mu[i])
                rhs[i] = (eta[i] + (y[i] - mu[i]) / mu[i]) * root
                for a in range(p):
                    weighted[i, a] = x[i, a] * root
            solved = _least_squares(weighted, rhs, lower, beta, norms)
        if not solved:
            out[0], out[1], out[2], out[3], out[4], out[5] = beta[0], np.inf, deviance_old, 0, 0, 0
            return
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
