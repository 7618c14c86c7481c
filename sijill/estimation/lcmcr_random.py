"""Compiled random numbers for the latent-class sampler: xoshiro256+ with its own state.

numba's built-in ``np.random`` uses one global Mersenne Twister per thread and costs 80-180 ns
per binomial or beta draw, which would dominate a Gibbs sweep over a few dozen cells. Each chain
here owns a 4-word state seeded by splitmix64 from (seed, chain), so chains are reproducible
and independent whether they run one after another or in parallel threads.

Algorithms: xoshiro256+ (Blackman & Vigna 2018); standard normal by the ziggurat method
(Marsaglia & Tsang 2000, 128 layers); gamma by
Marsaglia & Tsang (2000) with the U^(1/a) boost for shape < 1; beta as a ratio of gammas, or
by inversion when a shape is one; binomial by counting for a few trials, inversion for small
means and BTRD (Hörmann 1993) otherwise; Poisson by inversion
or Ahrens & Dieter's gamma split; negative binomial as a gamma-Poisson mixture.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar, cast

import numpy as np
from numba import njit

_Function = TypeVar("_Function", bound=Callable[..., object])


def kernel(function: _Function) -> _Function:
    """Compile a function that never allocates, without numba's reference counting.

    A compiled call that passes an array (the generator state) otherwise costs ~20 ns of atomic
    reference counting, more than a uniform, a normal or a Beta(1, 1) draw. Inlining at numba's
    level (inline="always") removes it too but multiplies the compile time by about five.
    """
    compiled = njit(cache=True, _nrt=False)(function)  # type: ignore[call-overload]
    return cast(_Function, compiled)


_MASK53 = 1.0 / 9007199254740992.0  # 2^-53
#: Binomials with at most this many trials are drawn by counting uniforms below p.
_COUNT_DIRECTLY = 16
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
# log(k!) - Stirling approximation of it, for k = 0..9 (Hörmann's table, here from math.lgamma).
_FC_TABLE = np.array(
    [
        math.lgamma(k + 1.0) - ((k + 0.5) * math.log(k + 1.0) - (k + 1.0) + _LOG_SQRT_2PI)
        for k in range(10)
    ]
)


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Layer bounds of the 128-layer normal ziggurat (Marsaglia & Tsang 2000)."""
    m1 = 2147483648.0
    dn = _ZIG_R
    tn = dn
    q = _ZIG_V / math.exp(-0.5 * dn * dn)
    kn = np.zeros(128, dtype=np.int64)
    wn = np.zeros(128)
    fn = np.zeros(128)
    kn[0] = int((dn / q) * m1)
    kn[1] = 0
    wn[0] = q / m1
    wn[127] = dn / m1
    fn[0] = 1.0
    fn[127] = math.exp(-0.5 * dn * dn)
    for i in range(126, 0, -1):
        dn = math.sqrt(-2.0 * math.log(_ZIG_V / dn + math.exp(-0.5 * dn * dn)))
        kn[i + 1] = int((dn / tn) * m1)
        tn = dn
        fn[i] = math.exp(-0.5 * dn * dn)
        wn[i] = dn / m1
    return kn, wn, fn


_ZIG_R = 3.442619855899
_ZIG_V = 9.91256303526217e-3
_ZIG_K, _ZIG_W, _ZIG_F = _ziggurat_tables()


@njit(cache=True, inline="always")
def _rotl(x: np.uint64, k: int) -> np.uint64:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True)
def _splitmix(x: np.uint64) -> tuple[np.uint64, np.uint64]:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    z = x
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x, z ^ (z >> np.uint64(31))


@njit(cache=True)
def seed_state(seed: int, stream: int) -> np.ndarray:
    """A fresh generator state for (seed, stream), e.g. (user seed, chain number)."""
    state = np.empty(4, dtype=np.uint64)
    x = np.uint64(seed) * np.uint64(0x632BE59BD9B4E019) + np.uint64(stream)
    for i in range(4):
        x, state[i] = _splitmix(x)
    return state


@njit(cache=True, inline="always")
def next_bits(state: np.ndarray) -> np.uint64:
    """The next 64 random bits (the lowest few are weaker, as for every xoshiro+ generator)."""
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    result = s0 + s3
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return np.uint64(result)


@njit(cache=True, inline="always")
def uniform(state: np.ndarray) -> float:
    """A double in [0, 1)."""
    return float(next_bits(state) >> np.uint64(11)) * _MASK53


@njit(cache=True, inline="always")
def uniform_positive(state: np.ndarray) -> float:
    """A double in (0, 1), safe to take the log of."""
    u = uniform(state)
    while u == 0.0:
        u = uniform(state)
    return u


@kernel
def integer_below(state: np.ndarray, bound: int) -> int:
    """An integer in [0, bound)."""
    return min(int(uniform(state) * bound), bound - 1)


@kernel
def _normal_outside_boxes(state: np.ndarray, hz: int, iz: int) -> float:
    """The ziggurat's rare cases (~2%): the tail beyond r, a wedge, or a fresh attempt."""
    while True:
        if iz == 0:
            # The tail beyond r, by Marsaglia's exponential rejection.
            while True:
                x = -math.log(uniform_positive(state)) / _ZIG_R
                y = -math.log(uniform_positive(state))
                if y + y >= x * x:
                    break
            return _ZIG_R + x if hz > 0 else -_ZIG_R - x
        x = hz * _ZIG_W[iz]
        if _ZIG_F[iz] + uniform(state) * (_ZIG_F[iz - 1] - _ZIG_F[iz]) < math.exp(-0.5 * x * x):
            return float(x)
        bits = next_bits(state)
        hz = int(np.int64(bits >> np.uint64(32))) - 2147483648
        iz = int(np.int64((bits >> np.uint64(24)) & np.uint64(127)))
        if abs(hz) < _ZIG_K[iz]:
            return float(hz * _ZIG_W[iz])


@kernel
def normal(state: np.ndarray) -> float:
    """A standard normal variate (ziggurat: one 64-bit draw and a comparison 98% of the time)."""
    bits = next_bits(state)
    hz = int(np.int64(bits >> np.uint64(32))) - 2147483648
    iz = int(np.int64((bits >> np.uint64(24)) & np.uint64(127)))
    if abs(hz) < _ZIG_K[iz]:
        return float(hz * _ZIG_W[iz])
    return _normal_outside_boxes(state, hz, iz)


@kernel
def _gamma_at_least_one(state: np.ndarray, shape: float) -> float:
    """Marsaglia & Tsang's squeeze for shape >= 1 (one normal and one uniform 98% of the time)."""
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = normal(state)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = uniform_positive(state)
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return d * v
        if math.log(u) < 0.5 * x2 + d * (1.0 - v + math.log(v)):
            return d * v


@kernel
def gamma(state: np.ndarray, shape: float) -> float:
    """A Gamma(shape, 1) variate, shape > 0."""
    if shape < 1.0:
        boost = math.exp(math.log(uniform_positive(state)) / shape)
        return _gamma_at_least_one(state, shape + 1.0) * boost
    return _gamma_at_least_one(state, shape)


@kernel
def log_gamma_variate(state: np.ndarray, shape: float) -> float:
    """The logarithm of a Gamma(shape, 1) variate, without underflow for tiny shapes.

    For shape < 1 the variate is Gamma(shape + 1) * U^(1/shape), which underflows to 0 in
    linear scale once shape is below ~1e-3; its logarithm does not.
    """
    if shape < 1.0:
        return math.log(_gamma_at_least_one(state, shape + 1.0)) + (
            math.log(uniform_positive(state)) / shape
        )
    return math.log(_gamma_at_least_one(state, shape))


@kernel
def log_beta_pair(state: np.ndarray, a: float, b: float) -> tuple[float, float]:
    """log X and log(1 - X) of a Beta(a, b) variate X, exact even where X rounds to 0 or 1."""
    x = log_gamma_variate(state, a)
    y = log_gamma_variate(state, b)
    top = max(x, y)
    total = top + math.log(math.exp(x - top) + math.exp(y - top))
    return x - total, y - total


@kernel
def beta_pair(state: np.ndarray, a: float, b: float) -> tuple[float, float]:
    """A Beta(a, b) variate x together with 1 - x, each accurate near 0.

    Shapes equal to one (empty classes, lists that caught nobody of a class) are drawn by
    inversion: Beta(1, 1) is uniform and Beta(1, b) is 1 - U^(1/b), far cheaper than two gammas.
    """
    if a == 1.0:
        if b == 1.0:
            u = uniform(state)
            return u, 1.0 - u
        t = math.log(uniform_positive(state)) / b
        return -math.expm1(t), math.exp(t)
    if b == 1.0:
        t = math.log(uniform_positive(state)) / a
        return math.exp(t), -math.expm1(t)
    x = gamma(state, a)
    y = gamma(state, b)
    total = x + y
    if total == 0.0:
        first = uniform(state) < a / (a + b)
        return (1.0, 0.0) if first else (0.0, 1.0)
    return x / total, y / total


@kernel
def beta(state: np.ndarray, a: float, b: float) -> float:
    """A Beta(a, b) variate."""
    return beta_pair(state, a, b)[0]


@kernel
def _fc(k: float) -> float:
    """log(k!) minus its Stirling approximation."""
    if k < 10.0:
        return float(_FC_TABLE[int(k)])
    inv = 1.0 / (k + 1.0)
    inv2 = inv * inv
    return (1.0 / 12.0 - (1.0 / 360.0 - inv2 / 1260.0) * inv2) * inv


@kernel
def _binomial_inversion(state: np.ndarray, n: int, p: float) -> int:
    q = 1.0 - p
    s = p / q
    a = (n + 1) * s
    r0 = math.exp(n * math.log1p(-p))
    while True:
        r = r0
        u = uniform(state)
        x = 0
        while u > r:
            u -= r
            x += 1
            if x > n:
                break
            r *= a / x - s
        if x <= n:
            return x


@kernel
def _btrd_log_ratio(n: int, p: float, m: float, k: float) -> float:
    """log f(k) / f(m) of the Binomial(n, p) pmf, by Stirling with tabled corrections."""
    lpq = math.log(p / (1.0 - p))
    bound = (m + 0.5) * math.log((m + 1.0) / (n - m + 1.0)) + (n + 1.0) * math.log(
        (n - m + 1.0) / (n - k + 1.0)
    )
    bound += (k + 0.5) * math.log((n - k + 1.0) / (k + 1.0)) + (k - m) * lpq
    return bound + _fc(m) + _fc(n - m) - _fc(k) - _fc(n - k)


@kernel
def _binomial_btrd(state: np.ndarray, n: int, p: float) -> int:
    """Hörmann's BTRD for n * p >= 10 and p <= 0.5; the slow-path constants only when needed."""
    spq = math.sqrt(n * p * (1.0 - p))
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    m = math.floor((n + 1) * p)
    while True:
        u = uniform(state) - 0.5
        v = uniform(state)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return int(k)
        alpha = (2.83 + 5.1 / b) * spq
        v = math.log(v * alpha / (a / (us * us) + b))
        km = abs(k - m)
        if km > 15:
            # Far from the mode: squeeze with a normal-like bound before the exact ratio.
            npq = spq * spq
            rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5)
            t = -km * km / (2.0 * npq)
            if v < t - rho:
                return int(k)
            if v > t + rho:
                continue
        if v <= _btrd_log_ratio(n, p, m, k):
            return int(k)


@kernel
def binomial(state: np.ndarray, n: int, p: float) -> int:
    """A Binomial(n, p) variate."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    flip = p > 0.5
    q = 1.0 - p if flip else p
    if n <= _COUNT_DIRECTLY:
        # A handful of trials: counting uniforms below q beats any setup.
        hits = 0
        for _ in range(n):
            if uniform(state) < q:
                hits += 1
    elif n * q < 10.0:
        hits = _binomial_inversion(state, n, q)
    else:
        hits = _binomial_btrd(state, n, q)
    return n - hits if flip else hits


@kernel
def poisson(state: np.ndarray, mean: float) -> int:
    """A Poisson(mean) variate: inversion for small means, else a gamma-binomial split."""
    if mean <= 0.0:
        return 0
    if mean < 30.0:
        limit = math.exp(-mean)
        count = 0
        product = uniform(state)
        while product > limit:
            count += 1
            product *= uniform(state)
        return count
    # Split at an order statistic of a Poisson process (Ahrens & Dieter): exact and O(log).
    m = int(mean * 0.875)
    g = gamma(state, float(m))
    if g > mean:
        return binomial(state, m - 1, mean / g)
    return m + poisson(state, mean - g)


@kernel
def negative_binomial(state: np.ndarray, size: float, p_failure: float) -> int:
    """Failures before ``size`` successes when each trial fails with ``p_failure``."""
    if p_failure <= 0.0:
        return 0
    return poisson(state, gamma(state, size) * p_failure / (1.0 - p_failure))
