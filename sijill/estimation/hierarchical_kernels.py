"""Compiled IRLS kernels fitting many Poisson log-linear models in one call (numba)."""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True)
def _cholesky_solve(
    matrix: np.ndarray, rhs: np.ndarray, out: np.ndarray, lower: np.ndarray
) -> bool:
    p = rhs.shape[0]
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
    for i in range(p):
        acc = rhs[i]
        for k in range(i):
            acc -= lower[i, k] * out[k]
        out[i] = acc / lower[i, i]
    for i in range(p - 1, -1, -1):
        acc = out[i]
        for k in range(i + 1, p):
            acc -= lower[k, i] * out[k]
        out[i] = acc / lower[i, i]
    return True


@numba.njit(cache=True)
def _fit_one(
    matrix: np.ndarray,
    columns: np.ndarray,
    y: np.ndarray,
    tolerance: float,
    max_iterations: int,
) -> tuple[float, float, float, bool, float]:
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
        if not _cholesky_solve(information, rhs, beta, lower):
            return beta[0], np.inf, deviance_old, False, 0.0
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
    information[:, :] = 0.0
    smallest = np.inf
    for i in range(m):
        smallest = min(smallest, mu[i])
        for a in range(p):
            for b in range(p):
                information[a, b] += mu[i] * x[i, a] * x[i, b]
    unit = np.zeros(p)
    unit[0] = 1.0
    solution = np.zeros(p)
    if not _cholesky_solve(information, unit, solution, lower):
        return beta[0], np.inf, deviance, False, smallest
    return beta[0], solution[0], deviance, converged, smallest


@numba.njit(cache=True, parallel=True)
def fit_batch(
    matrix: np.ndarray,
    flat_columns: np.ndarray,
    offsets: np.ndarray,
    y: np.ndarray,
    tolerance: float,
    max_iterations: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    count = offsets.shape[0] - 1
    intercept = np.empty(count)
    variance = np.empty(count)
    deviance = np.empty(count)
    converged = np.empty(count, dtype=np.bool_)
    smallest = np.empty(count)
    for k in numba.prange(count):
        columns = flat_columns[offsets[k] : offsets[k + 1]]
        b0, v0, dev, ok, low = _fit_one(matrix, columns, y, tolerance, max_iterations)
        intercept[k] = b0
        variance[k] = v0
        deviance[k] = dev
        converged[k] = ok
        smallest[k] = low
    return intercept, variance, deviance, converged, smallest
