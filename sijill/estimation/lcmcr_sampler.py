"""Compiled Gibbs sampler of the Dirichlet-process latent-class capture-recapture model.

The model is that of Manrique-Vallier (2016): K latent classes with truncated stick-breaking
weights pi (V_k ~ Beta(1, alpha), alpha ~ Gamma(a, b)), list capture probabilities
lambda_jk ~ Beta(1, 1), and the population size N with the improper prior 1/N. The sampler works
on aggregated capture patterns: the latent classes of the people with one pattern are a
multinomial count vector, so one sweep costs O(patterns x K x lists), whatever N is.

One sweep:

1. class counts of each observed pattern | pi, lambda (multinomial: conditional binomials from
   the heaviest class down, the last few people by categorical draws);
2. the unobserved count n0 | pi, lambda (negative binomial under the 1/N prior) jointly with
   its class counts z0 (multinomial), the data augmentation of the paper;
3. optionally (``collapsed``), a random-walk Metropolis move on each z0_k with pi and lambda
   integrated out, so N can move without dragging the capture probabilities along;
4. a joint Metropolis-Hastings move of the label order and alpha (pi integrated out), so that
   the chain can leave the mode where alpha is large and the largest class sits last;
5. Metropolis swaps of neighbouring class labels (weights integrated out);
6. pi, lambda | all class counts (conjugate Beta draws, kept on the linear scale);
7. alpha | pi (Gamma).

Steps 3-5 leave the posterior of (class counts, labels, alpha) with pi and lambda integrated
out invariant (``lcmcr_moves``), and step 6 draws pi and lambda from their exact conditional,
so the chain keeps the model's posterior as its stationary distribution.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sijill.estimation import lcmcr_random as rng
from sijill.estimation.lcmcr_moves import (
    reorder_with_alpha,
    shift_people,
    swap_labels,
    update_unobserved,
)
from sijill.estimation.lcmcr_random import kernel


@kernel
def _draw_parameters(
    state: np.ndarray,
    n_k: np.ndarray,
    s: np.ndarray,
    alpha: float,
    pi: np.ndarray,
    lam: np.ndarray,
    lam_c: np.ndarray,
) -> float:
    """Draw pi and lambda (with 1 - lambda) given all class counts; returns sum log(1 - V_k).

    lambda stays on the linear scale (no logarithm per class and list): a Beta draw gives x and
    1 - x each accurate near 0. The sticks V are drawn so that log(1 - V) is exact even when V
    rounds to 1, which is where the posterior puts alpha near 0; a weight pi that underflows
    (below 1e-308) counts as 0.
    """
    n_classes = n_k.size
    n_lists = s.shape[0]
    tail = 0.0
    for k in range(n_classes):
        tail += n_k[k]
    log_rest = 0.0
    for k in range(n_classes):
        tail -= n_k[k]
        if k < n_classes - 1:
            if alpha + tail >= 1.0:
                # Both shapes >= 1: 1 - V cannot round to 0 (it would take a Gamma draw of
                # shape >= 1 below ~1e-13 times another), so the linear draw is exact.
                v, v_c = rng.beta_pair(state, 1.0 + n_k[k], alpha + tail)
                log_v, log_v_c = math.log(v), math.log(v_c)
            else:
                # A small alpha and empty later classes: V can lie within 1e-16 of 1, and
                # log(1 - V) decides how small alpha gets, so draw in logs (no clipping).
                log_v, log_v_c = rng.log_beta_pair(state, 1.0 + n_k[k], alpha + tail)
            pi[k] = math.exp(log_rest + log_v)
            log_rest += log_v_c
        else:
            pi[k] = math.exp(log_rest)
        for j in range(n_lists):
            x, x_c = rng.beta_pair(state, 1.0 + s[j, k], 1.0 + n_k[k] - s[j, k])
            lam[j, k] = max(x, 1e-300)
            lam_c[j, k] = max(x_c, 1e-300)
    return log_rest


#: Patterns with at most this many people get one categorical draw per person instead of
#: a binomial per class (cheaper below ~2 draws per class).
_SMALL_COUNT = 12
#: Once this few people are left to share out, the rest go one categorical draw each.
_SMALL_REMAINDER = 8


@kernel
def _multinomial(
    state: np.ndarray,
    count: int,
    weights: np.ndarray,
    total: float,
    order: np.ndarray,
    out: np.ndarray,
) -> None:
    """Split ``count`` people over classes with probabilities weights / total.

    Conditional binomials taken from the heaviest class down, so that few people are left
    after two or three draws; the last few go by one categorical draw each. Exact in any order.
    """
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
    for i in range(n_classes):
        key = i
        weight = weights[i]
        m = i - 1
        while m >= 0 and weights[order[m]] < weight:
            order[m + 1] = order[m]
            m -= 1
        order[m + 1] = key
    remaining = count
    for i in range(n_classes):
        if remaining <= _SMALL_REMAINDER:
            for _ in range(remaining):
                u = rng.uniform(state) * total
                m = i
                while m < n_classes - 1 and u >= weights[order[m]]:
                    u -= weights[order[m]]
                    m += 1
                out[order[m]] += 1
            return
        k = order[i]
        if i == n_classes - 1 or weights[k] >= total:
            taken = remaining
        else:
            taken = rng.binomial(state, remaining, weights[k] / total)
        out[k] = taken
        remaining -= taken
        total -= weights[k]
        if remaining == 0:
            return


@kernel
def _allocate_observed(
    state: np.ndarray,
    patterns: np.ndarray,
    counts: np.ndarray,
    pi: np.ndarray,
    lam: np.ndarray,
    lam_c: np.ndarray,
    n_obs_k: np.ndarray,
    s: np.ndarray,
    order: np.ndarray,
    x: np.ndarray,
    weights: np.ndarray,
    taken: np.ndarray,
) -> None:
    """Draw the class counts x of every observed pattern; accumulate class sizes and captures.

    ``weights`` and ``taken`` are scratch space of one entry per class.
    """
    n_patterns, n_lists = patterns.shape
    n_classes = pi.size
    n_obs_k[:] = 0.0
    s[:, :] = 0.0
    for p in range(n_patterns):
        if counts[p] == 0:
            x[p, :] = 0
            continue
        total = 0.0
        for k in range(n_classes):
            w = pi[k]
            for j in range(n_lists):
                w *= lam[j, k] if patterns[p, j] else lam_c[j, k]
            weights[k] = w
            total += w
        if not total > 1e-280:
            # Extreme capture probabilities: redo this pattern in logs.
            top = -np.inf
            for k in range(n_classes):
                w = math.log(pi[k]) if pi[k] > 0.0 else -np.inf
                for j in range(n_lists):
                    w += math.log(lam[j, k] if patterns[p, j] else lam_c[j, k])
                weights[k] = w
                top = max(top, w)
            total = 0.0
            for k in range(n_classes):
                weights[k] = math.exp(weights[k] - top)
                total += weights[k]
        _multinomial(state, counts[p], weights, total, order, taken)
        for k in range(n_classes):
            x[p, k] = taken[k]
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
    pi: np.ndarray,
    lam_c: np.ndarray,
    n_observed: int,
    max_unobserved: int,
    z0: np.ndarray,
    order: np.ndarray,
    weights: np.ndarray,
) -> int:
    """Plain data augmentation: n0 | pi, lambda (negative binomial under 1/N), then its classes.

    Returns 1 if the bound was hit.
    """
    n_classes = pi.size
    n_lists = lam_c.shape[0]
    total = 0.0
    for k in range(n_classes):
        w = pi[k]
        for j in range(n_lists):
            w *= lam_c[j, k]
        weights[k] = w
        total += w
    p_unseen = min(total, 1.0 - 1e-12)
    n0 = rng.negative_binomial(state, float(n_observed), p_unseen)
    hit = 0
    if n0 > max_unobserved:
        hit = 1
        n0 = _truncated_negative_binomial(state, n_observed, p_unseen, max_unobserved)
    _multinomial(state, n0, weights, total, order, z0)
    return hit


#: Spread (on the log scale) of the alpha proposals of the reordering move.
_ALPHA_SPREAD = 2.5


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
    reorder: bool = True,
    shifts: int = 0,
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
        reorder: add the joint move on the label order and alpha (``reorder_with_alpha``);
            off only to measure what it brings.
        shifts: attempts per sweep of the joint move of observed and unobserved people
            between classes (``shift_people``).

    Returns:
        (N draws, alpha draws, occupied-class counts, acceptance rate per class of the
        unobserved-count step after burn-in, number of proposals rejected at the bound).
    """
    n_patterns, n_lists = patterns.shape
    n_observed = 0
    for p in range(n_patterns):
        n_observed += counts[p]
    pi = np.empty(n_classes)
    lam = np.empty((n_lists, n_classes))
    lam_c = np.empty((n_lists, n_classes))
    n_obs_k = np.zeros(n_classes)
    n_k = np.zeros(n_classes)
    s = np.zeros((n_lists, n_classes))
    z0 = np.zeros(n_classes, dtype=np.int64)
    order = np.empty(n_classes, dtype=np.int64)
    scratch = np.empty(n_classes)
    x = np.zeros((n_patterns, n_classes), dtype=np.int64)
    weights = np.empty(n_classes)
    taken = np.zeros(n_classes, dtype=np.int64)
    s_old = np.empty(n_lists)
    s_new = np.empty(n_lists)
    widths = np.empty(n_classes, dtype=np.int64)
    accepted = np.zeros(n_classes, dtype=np.int64)
    alpha = a_alpha / b_alpha
    # Start near the independence model (capture rates ``start_lambda``, ``start_unobserved``
    # unseen), jittered per chain. A start with uniform random capture probabilities can put a
    # chain in the degenerate mode where list-specific classes explain everybody and N = n.
    for k in range(n_classes):
        pi[k] = 1.0 / n_classes
        for j in range(n_lists):
            rate = min(max(start_lambda[j] * (0.8 + 0.4 * rng.uniform(state)), 0.01), 0.99)
            lam[j, k] = rate
            lam_c[j, k] = 1.0 - rate
    unobserved = int(start_unobserved * (0.5 + 1.5 * rng.uniform(state)))
    for _ in range(min(unobserved, max_unobserved)):
        z0[rng.integer_below(state, n_classes)] += 1
    for k in range(n_classes):
        widths[k] = max(1, int(math.sqrt(n_observed + 1.0) / 2.0))
    unseen_ratio = max(1.0, start_unobserved / max(n_observed, 1))
    draws_n = np.empty(n_samples, dtype=np.int64)
    draws_alpha = np.empty(n_samples)
    draws_occupied = np.empty(n_samples, dtype=np.int64)
    hits = 0
    total_sweeps = burn_in + n_samples * thin
    kept = 0
    window = 50
    # Centre of the reordering move's alpha proposals: the mean log alpha of the burn-in so far.
    centre = math.log(alpha)
    log_alpha_sum = 0.0
    for sweep in range(total_sweeps):
        _allocate_observed(
            state, patterns, counts, pi, lam, lam_c, n_obs_k, s, order, x, weights, taken
        )
        # Plain data augmentation: n0 and its classes given pi and lambda.
        hits += _draw_unobserved_jointly(
            state, pi, lam_c, n_observed, max_unobserved, z0, order, weights
        )
        for k in range(n_classes):
            n_k[k] = n_obs_k[k] + z0[k]
        if shifts > 0:
            shift_people(
                state,
                patterns,
                counts,
                x,
                z0,
                n_obs_k,
                n_k,
                s,
                alpha,
                n_observed,
                max_unobserved,
                unseen_ratio,
                shifts,
                s_old,
                s_new,
            )
        if collapsed:
            hits += update_unobserved(
                state, z0, n_obs_k, s, alpha, n_observed, max_unobserved, widths, accepted, n_k
            )
        if reorder and n_classes > 1:
            alpha = reorder_with_alpha(
                state,
                n_k,
                n_obs_k,
                z0,
                s,
                alpha,
                a_alpha,
                b_alpha,
                centre,
                _ALPHA_SPREAD,
                order,
                scratch,
            )[0]
        swap_labels(state, n_k, n_obs_k, z0, s, alpha)
        log_sum_1m_v = _draw_parameters(state, n_k, s, alpha, pi, lam, lam_c)
        alpha = rng.gamma(state, a_alpha + n_classes - 1.0) / (b_alpha - log_sum_1m_v)
        alpha = max(alpha, 1e-300)
        if sweep < burn_in:
            log_alpha_sum += math.log(alpha)
            if (sweep + 1) % window == 0:
                centre = log_alpha_sum / (sweep + 1)
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
