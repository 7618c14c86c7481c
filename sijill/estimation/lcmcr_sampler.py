"""Compiled Gibbs sampler of the Dirichlet-process latent-class capture-recapture model.

The model is that of Manrique-Vallier (2016): K latent classes with truncated stick-breaking
weights pi (V_k ~ Beta(1, alpha), alpha ~ Gamma(a, b)), list capture probabilities
lambda_jk ~ Beta(1, 1), and the population size N with the improper prior 1/N. The sampler works
on aggregated capture patterns: the latent classes of the people with one pattern are a
multinomial count vector, so one sweep costs O(patterns x K x lists), whatever N is.

One sweep:

1. class counts of each observed pattern | pi, lambda (multinomial, by conditional binomials,
   or one categorical draw per person for small patterns);
2. the unobserved count n0 | pi, lambda (negative binomial under the 1/N prior) jointly with
   its class counts z0 (multinomial), the data augmentation of the paper;
3. optionally (``collapsed``), a random-walk Metropolis move on each z0_k with pi and lambda
   integrated out, so N can move without dragging the capture probabilities along;
4. Metropolis swaps of neighbouring class labels (weights integrated out), so that the
   ordering of the truncated stick-breaking prior does not trap the chain;
5. pi, lambda | all class counts (conjugate Beta draws);
6. alpha | pi (Gamma).

Steps 2-5 together draw (z0, pi, lambda) from their joint conditional given the observed class
counts and alpha (steps 3-4 leave the collapsed conditional of the class counts invariant and step 5 is
exact),
so the chain keeps the model's posterior as its stationary distribution.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sijill.estimation import lcmcr_random as rng

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


@njit(cache=True, inline="always")
def _lgamma(x: float) -> float:
    """log Gamma(x) for x > 0: Stirling series above 10 (error < 1e-13), libm below."""
    if x < 10.0:
        return math.lgamma(x)
    inv = 1.0 / x
    inv2 = inv * inv
    series = inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)))
    return (x - 0.5) * math.log(x) - x + _HALF_LOG_2PI + series


@njit(cache=True)
def _stick_terms(n_k: np.ndarray, alpha: float, out: np.ndarray) -> None:
    """Per-class terms of log p(class counts | alpha) with the stick-breaking weights integrated.

    out[c] = lgamma(1 + n_c) + lgamma(alpha + T_{c+1}) - lgamma(1 + alpha + T_c) for c < K - 1,
    where T_c = sum of n_m for m >= c; out[K-1] = 0 (the last stick takes what is left).
    """
    n_classes = n_k.size
    tail = 0.0
    for c in range(n_classes - 1, -1, -1):
        after = tail
        tail += n_k[c]
        if c == n_classes - 1:
            out[c] = 0.0
        else:
            out[c] = _lgamma(1.0 + n_k[c]) + _lgamma(alpha + after) - _lgamma(1.0 + alpha + tail)


@njit(cache=True)
def _lambda_term(n_k: float, s_k: np.ndarray) -> float:
    """log of prod_j B(1 + s_jk, 1 + n_k - s_jk) without the parts that do not involve n_k."""
    total = 0.0
    for j in range(s_k.size):
        total += _lgamma(1.0 + n_k - s_k[j])
    return total - s_k.size * _lgamma(2.0 + n_k)


@njit(cache=True)
def _update_unobserved(
    state: np.ndarray,
    z0: np.ndarray,
    n_obs_k: np.ndarray,
    s: np.ndarray,
    alpha: float,
    n_observed: int,
    max_unobserved: int,
    widths: np.ndarray,
    accepted: np.ndarray,
    stick: np.ndarray,
    n_k: np.ndarray,
) -> int:
    """One random-walk Metropolis step on each unobserved class count; returns bound hits."""
    n_classes = z0.size
    hits = 0
    n0 = 0
    for k in range(n_classes):
        n_k[k] = n_obs_k[k] + z0[k]
        n0 += z0[k]
    _stick_terms(n_k, alpha, stick)
    new_stick = np.empty(n_classes)
    for k in range(n_classes):
        width = widths[k]
        step = 1 + rng.integer_below(state, width)
        if rng.uniform(state) < 0.5:
            step = -step
        proposal = z0[k] + step
        if proposal < 0:
            continue
        if n0 + step > max_unobserved:
            hits += 1
            continue
        population = n_observed + n0
        old_n = n_k[k]
        new_n = old_n + step
        log_ratio = _lgamma(population + step) - _lgamma(population)
        log_ratio += _lgamma(z0[k] + 1.0) - _lgamma(proposal + 1.0)
        log_ratio += _lambda_term(new_n, s[:, k]) - _lambda_term(old_n, s[:, k])
        # Stick-breaking terms change for every class up to k (their tail sums include n_k).
        n_k[k] = new_n
        tail = 0.0
        for c in range(n_classes - 1, k, -1):
            tail += n_k[c]
        for c in range(k, -1, -1):
            after = tail
            tail += n_k[c]
            if c == n_classes - 1:
                new_stick[c] = 0.0
            else:
                new_stick[c] = (
                    _lgamma(1.0 + n_k[c]) + _lgamma(alpha + after) - _lgamma(1.0 + alpha + tail)
                )
            log_ratio += new_stick[c] - stick[c]
        if math.log(rng.uniform_positive(state)) < log_ratio:
            z0[k] = proposal
            n0 += step
            accepted[k] += 1
            for c in range(k + 1):
                stick[c] = new_stick[c]
        else:
            n_k[k] = old_n
    return hits


@njit(cache=True, inline="always")
def _stick_term(last: bool, n_c: float, after: float, tail: float, alpha: float) -> float:
    if last:
        return 0.0
    return _lgamma(1.0 + n_c) + _lgamma(alpha + after) - _lgamma(1.0 + alpha + tail)


@njit(cache=True)
def _swap_labels(
    state: np.ndarray,
    n_k: np.ndarray,
    n_obs_k: np.ndarray,
    z0: np.ndarray,
    s: np.ndarray,
    alpha: float,
) -> int:
    """Metropolis swaps of neighbouring class labels, weights integrated out; returns swaps.

    The truncated stick-breaking prior is not exchangeable in the labels, and a Gibbs sampler
    that never relabels can sit for thousands of sweeps with its largest class last, where the
    concentration alpha inflates to make that likely (label-switching moves of Papaspiliopoulos &
    Roberts 2008 and Hastie, Liverani & Richardson 2015). Only the stick-breaking part of the
    collapsed posterior depends on the labels, so the ratio involves two classes.
    """
    n_classes = n_k.size
    n_lists = s.shape[0]
    tail = np.zeros(n_classes + 1)
    for c in range(n_classes - 1, -1, -1):
        tail[c] = tail[c + 1] + n_k[c]
    swaps = 0
    for k in range(n_classes - 1):
        first, second = n_k[k], n_k[k + 1]
        if first == second:
            continue
        rest = tail[k + 2]
        last = k + 1 == n_classes - 1
        old = _stick_term(False, first, rest + second, tail[k], alpha)
        old += _stick_term(last, second, rest, rest + second, alpha)
        new = _stick_term(False, second, rest + first, tail[k], alpha)
        new += _stick_term(last, first, rest, rest + first, alpha)
        if math.log(rng.uniform_positive(state)) < new - old:
            n_k[k], n_k[k + 1] = second, first
            n_obs_k[k], n_obs_k[k + 1] = n_obs_k[k + 1], n_obs_k[k]
            z0[k], z0[k + 1] = z0[k + 1], z0[k]
            for j in range(n_lists):
                s[j, k], s[j, k + 1] = s[j, k + 1], s[j, k]
            tail[k + 1] = rest + first
            swaps += 1
    return swaps


@njit(cache=True)
def _draw_parameters(
    state: np.ndarray,
    n_k: np.ndarray,
    s: np.ndarray,
    alpha: float,
    log_pi: np.ndarray,
    log_lam: np.ndarray,
    log_1m_lam: np.ndarray,
) -> float:
    """Draw pi and lambda given all class counts; returns sum of log(1 - V_k) for alpha."""
    n_classes = n_k.size
    n_lists = s.shape[0]
    tail = 0.0
    for k in range(n_classes):
        tail += n_k[k]
    log_rest = 0.0
    log_sum_1m_v = 0.0
    for k in range(n_classes):
        tail -= n_k[k]
        if k < n_classes - 1:
            v = rng.beta(state, 1.0 + n_k[k], alpha + tail)
            v = min(max(v, 1e-300), 1.0 - 1e-16)
            log_pi[k] = log_rest + math.log(v)
            log_1m_v = math.log1p(-v)
            log_rest += log_1m_v
            log_sum_1m_v += log_1m_v
        else:
            log_pi[k] = log_rest
        for j in range(n_lists):
            lam = rng.beta(state, 1.0 + s[j, k], 1.0 + n_k[k] - s[j, k])
            lam = min(max(lam, 1e-300), 1.0 - 1e-16)
            log_lam[j, k] = math.log(lam)
            log_1m_lam[j, k] = math.log1p(-lam)
    return log_sum_1m_v


#: Patterns with at most this many people get one categorical draw per person instead of
#: a binomial per class (cheaper below ~2 draws per class).
_SMALL_COUNT = 12


@njit(cache=True)
def _multinomial(
    state: np.ndarray, count: int, weights: np.ndarray, total: float, out: np.ndarray
) -> None:
    """Split ``count`` people over classes with probabilities weights / total."""
    n_classes = weights.size
    out[:] = 0
    if count <= _SMALL_COUNT:
        for _ in range(count):
            u = rng.uniform(state) * total
            k = 0
            while k < n_classes - 1 and u >= weights[k]:
                u -= weights[k]
                k += 1
            out[k] += 1
        return
    remaining = count
    for k in range(n_classes):
        if remaining == 0:
            break
        if k == n_classes - 1 or weights[k] >= total:
            taken = remaining
        else:
            taken = rng.binomial(state, remaining, weights[k] / total)
        total -= weights[k]
        remaining -= taken
        out[k] = taken


@njit(cache=True)
def _allocate_observed(
    state: np.ndarray,
    patterns: np.ndarray,
    counts: np.ndarray,
    log_pi: np.ndarray,
    log_lam: np.ndarray,
    log_1m_lam: np.ndarray,
    n_obs_k: np.ndarray,
    s: np.ndarray,
) -> None:
    """Draw the class counts of every observed pattern; accumulate class sizes and captures."""
    n_patterns, n_lists = patterns.shape
    n_classes = log_pi.size
    n_obs_k[:] = 0.0
    s[:, :] = 0.0
    base = np.empty(n_classes)
    odds = np.empty((n_lists, n_classes))
    weights = np.empty(n_classes)
    taken = np.zeros(n_classes, dtype=np.int64)
    peak = -np.inf
    for k in range(n_classes):
        base[k] = log_pi[k]
        for j in range(n_lists):
            base[k] += log_1m_lam[j, k]
        peak = max(peak, base[k])
    for k in range(n_classes):
        base[k] = math.exp(base[k] - peak)
        for j in range(n_lists):
            odds[j, k] = math.exp(log_lam[j, k] - log_1m_lam[j, k])
    for p in range(n_patterns):
        if counts[p] == 0:
            continue
        total = 0.0
        for k in range(n_classes):
            w = base[k]
            for j in range(n_lists):
                if patterns[p, j]:
                    w *= odds[j, k]
            weights[k] = w
            total += w
        if not (total > 1e-280 and total < 1e280):
            # Extreme capture probabilities: redo this pattern in logs.
            top = -np.inf
            for k in range(n_classes):
                w = log_pi[k]
                for j in range(n_lists):
                    w += log_lam[j, k] if patterns[p, j] else log_1m_lam[j, k]
                weights[k] = w
                top = max(top, w)
            total = 0.0
            for k in range(n_classes):
                weights[k] = math.exp(weights[k] - top)
                total += weights[k]
        _multinomial(state, counts[p], weights, total, taken)
        for k in range(n_classes):
            if taken[k]:
                n_obs_k[k] += taken[k]
                for j in range(n_lists):
                    if patterns[p, j]:
                        s[j, k] += taken[k]


@njit(cache=True)
def _truncated_negative_binomial(state: np.ndarray, size: int, p_failure: float, bound: int) -> int:
    """Negative binomial conditioned on at most ``bound`` failures, by inversion from the bound.

    Only used once an unconditioned draw exceeded the bound, where the mass piles up near the
    bound: walk down from it with the ratio p(k-1)/p(k) = k / ((size + k - 1) p_failure) until
    the terms are negligible.
    """
    weights = np.empty(min(bound + 1, 1_000_000))
    weights[0] = 1.0
    total = 1.0
    count = 1
    k = bound
    while k > 0 and count < weights.size:
        term = weights[count - 1] * k / ((size + k - 1.0) * p_failure)
        if term < 1e-17 * total:
            break
        weights[count] = term
        total += term
        count += 1
        k -= 1
    u = rng.uniform(state) * total
    for i in range(count):
        u -= weights[i]
        if u < 0.0:
            return bound - i
    return bound - count + 1


@njit(cache=True)
def _draw_unobserved_jointly(
    state: np.ndarray,
    log_pi: np.ndarray,
    log_1m_lam: np.ndarray,
    n_observed: int,
    max_unobserved: int,
    z0: np.ndarray,
) -> int:
    """Plain data augmentation: n0 | pi, lambda (negative binomial under 1/N), then its classes.

    Kept as the baseline the collapsed step is measured against; returns 1 if the bound was hit.
    """
    n_classes = log_pi.size
    n_lists = log_1m_lam.shape[0]
    weights = np.empty(n_classes)
    total = 0.0
    for k in range(n_classes):
        w = log_pi[k]
        for j in range(n_lists):
            w += log_1m_lam[j, k]
        weights[k] = math.exp(w)
        total += weights[k]
    p_unseen = min(total, 1.0 - 1e-12)
    n0 = rng.negative_binomial(state, float(n_observed), p_unseen)
    hit = 0
    if n0 > max_unobserved:
        hit = 1
        n0 = _truncated_negative_binomial(state, n_observed, p_unseen, max_unobserved)
    _multinomial(state, n0, weights, total, z0)
    return hit


@njit(cache=True, nogil=True)
def run_chain(
    state: np.ndarray,
    patterns: np.ndarray,
    counts: np.ndarray,
    n_classes: int,
    a_alpha: float,
    b_alpha: float,
    burn_in: int,
    n_samples: int,
    thin: int,
    max_unobserved: int,
    collapsed: bool,
    start_lambda: np.ndarray,
    start_unobserved: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Run one chain; releases the GIL, so chains can run in parallel Python threads.

    Args:
        patterns: int8 (m, J) 0/1 capture patterns (no all-zero row).
        counts: int64 (m,) people per pattern.
        n_classes: truncation level K of the stick-breaking prior.
        a_alpha, b_alpha: shape and rate of the Gamma prior on alpha.
        burn_in: sweeps discarded first (the Metropolis step widths adapt only then).
        n_samples: draws kept.
        thin: sweeps per kept draw.
        state: this chain's generator state (``lcmcr_random.seed_state``), advanced in place.
        max_unobserved: proposals with more unobserved people are rejected (and counted).
        collapsed: update the unobserved counts with pi and lambda integrated out (else plain
            data augmentation, the scheme of the paper).
        start_lambda: capture probability of each list to start from (jittered).
        start_unobserved: unobserved count to start from (jittered).

    Returns:
        (N draws, alpha draws, occupied-class counts, acceptance rate per class of the
        unobserved-count step after burn-in, number of proposals rejected at the bound).
    """
    n_patterns, n_lists = patterns.shape
    n_observed = 0
    for p in range(n_patterns):
        n_observed += counts[p]
    log_pi = np.empty(n_classes)
    log_lam = np.empty((n_lists, n_classes))
    log_1m_lam = np.empty((n_lists, n_classes))
    n_obs_k = np.zeros(n_classes)
    n_k = np.zeros(n_classes)
    s = np.zeros((n_lists, n_classes))
    z0 = np.zeros(n_classes, dtype=np.int64)
    stick = np.empty(n_classes)
    widths = np.empty(n_classes, dtype=np.int64)
    accepted = np.zeros(n_classes, dtype=np.int64)
    alpha = a_alpha / b_alpha
    # Start near the independence model (capture rates ``start_lambda``, ``start_unobserved``
    # unseen), jittered per chain. A start with uniform random capture probabilities can put a
    # chain in the degenerate mode where list-specific classes explain everybody and N = n.
    for k in range(n_classes):
        log_pi[k] = -math.log(n_classes)
        for j in range(n_lists):
            lam = min(max(start_lambda[j] * (0.8 + 0.4 * rng.uniform(state)), 0.01), 0.99)
            log_lam[j, k] = math.log(lam)
            log_1m_lam[j, k] = math.log1p(-lam)
    unobserved = int(start_unobserved * (0.5 + 1.5 * rng.uniform(state)))
    for _ in range(min(unobserved, max_unobserved)):
        z0[rng.integer_below(state, n_classes)] += 1
    for k in range(n_classes):
        widths[k] = max(1, int(math.sqrt(n_observed + 1.0) / 2.0))
    draws_n = np.empty(n_samples, dtype=np.int64)
    draws_alpha = np.empty(n_samples)
    draws_occupied = np.empty(n_samples, dtype=np.int64)
    hits = 0
    total_sweeps = burn_in + n_samples * thin
    kept = 0
    window = 50
    for sweep in range(total_sweeps):
        _allocate_observed(state, patterns, counts, log_pi, log_lam, log_1m_lam, n_obs_k, s)
        # Plain data augmentation: n0 and its classes given pi and lambda.
        hits += _draw_unobserved_jointly(state, log_pi, log_1m_lam, n_observed, max_unobserved, z0)
        for k in range(n_classes):
            n_k[k] = n_obs_k[k] + z0[k]
        if collapsed:
            hits += _update_unobserved(
                state,
                z0,
                n_obs_k,
                s,
                alpha,
                n_observed,
                max_unobserved,
                widths,
                accepted,
                stick,
                n_k,
            )
        _swap_labels(state, n_k, n_obs_k, z0, s, alpha)
        log_sum_1m_v = _draw_parameters(state, n_k, s, alpha, log_pi, log_lam, log_1m_lam)
        alpha = rng.gamma(state, a_alpha + n_classes - 1.0) / (b_alpha - log_sum_1m_v)
        alpha = max(alpha, 1e-10)
        if sweep < burn_in:
            if (sweep + 1) % window == 0:
                # Aim for roughly 30-50% acceptance of each class's random walk.
                for k in range(n_classes):
                    rate = accepted[k] / window
                    if rate > 0.5:
                        widths[k] = widths[k] * 2
                    elif rate < 0.25 and widths[k] > 1:
                        widths[k] = max(1, widths[k] // 2)
                    accepted[k] = 0
            if sweep == burn_in - 1:
                accepted[:] = 0
                hits = 0
        elif (sweep - burn_in + 1) % thin == 0:
            total_unobserved = 0
            occupied = 0
            for k in range(n_classes):
                total_unobserved += z0[k]
                if n_k[k] > 0:
                    occupied += 1
            draws_n[kept] = n_observed + total_unobserved
            draws_alpha[kept] = alpha
            draws_occupied[kept] = occupied
            kept += 1
    rates = accepted / max(1, n_samples * thin)
    return draws_n, draws_alpha, draws_occupied, rates, hits
