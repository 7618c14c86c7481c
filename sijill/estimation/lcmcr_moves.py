"""Collapsed Metropolis moves of the latent-class sampler: class labels, alpha, unobserved counts.

Every move here works with the stick-breaking weights pi (and, for the unobserved counts, the
capture probabilities lambda) integrated out, on the class counts n_k. The sampler redraws pi
and lambda from their exact conditionals right after these moves, so each move only has to leave
the collapsed posterior of (class counts, labels, alpha) invariant.

With pi integrated out, the truncated stick-breaking prior (V_c ~ Beta(1, alpha), K classes, the
last one taking what is left) gives one ordering of the class counts the log-probability

    (K - 1) log alpha + sum_c lgamma(1 + n_c) - lgamma(1 + n_last) + lgamma(alpha + n_last)
        - lgamma(alpha + N) - sum_{c < K-1} log(alpha + T_c)

where T_c = sum of n_m for m >= c and N = T_0 (the product of Beta(1 + n_c, alpha + T_{c+1}) /
Beta(1, alpha) terms, telescoped). ``stick_log_prior`` drops the label-free sum of
lgamma(1 + n_c).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sijill.estimation import lcmcr_random as rng
from sijill.estimation.lcmcr_random import kernel

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


@kernel
def log_gamma(x: float) -> float:
    """log Gamma(x) for x > 0: Stirling series above 10 (error < 1e-13), libm below."""
    if x < 10.0:
        return math.lgamma(x)
    inv = 1.0 / x
    inv2 = inv * inv
    series = inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)))
    return (x - 0.5) * math.log(x) - x + _HALF_LOG_2PI + series


@kernel
def stick_log_prior(n_k: np.ndarray, alpha: float) -> float:
    """log p(ordered class counts | alpha) with pi integrated, minus sum_c lgamma(1 + n_c)."""
    n_classes = n_k.size
    last = n_k[n_classes - 1]
    tail = last
    product = 1.0
    log_sum = 0.0
    for c in range(n_classes - 2, -1, -1):
        tail += n_k[c]
        product *= alpha + tail
        if product > 1e250:
            log_sum += math.log(product)
            product = 1.0
    log_sum += math.log(product)
    value = (n_classes - 1) * math.log(alpha) - log_gamma(1.0 + last) + log_gamma(alpha + last)
    return value - log_gamma(alpha + tail) - log_sum


@kernel
def swap_log_ratio(first: float, second: float, rest: float, last: bool, alpha: float) -> float:
    """Log acceptance ratio of exchanging neighbouring classes (counts first, second).

    ``rest`` is the count of all classes after the pair; ``last`` says the pair ends the
    list. Only the pair's terms of ``stick_log_prior`` change: for an inner pair the tail sum
    between them, for the final pair the last class.
    """
    if last:
        return (
            log_gamma(1.0 + second)
            - log_gamma(1.0 + first)
            + log_gamma(alpha + first)
            - log_gamma(alpha + second)
        )
    return math.log((alpha + rest + second) / (alpha + rest + first))


@njit(cache=True)
def _exchange(
    k: int, m: int, n_k: np.ndarray, n_obs_k: np.ndarray, z0: np.ndarray, s: np.ndarray
) -> None:
    n_k[k], n_k[m] = n_k[m], n_k[k]
    n_obs_k[k], n_obs_k[m] = n_obs_k[m], n_obs_k[k]
    z0[k], z0[m] = z0[m], z0[k]
    for j in range(s.shape[0]):
        s[j, k], s[j, m] = s[j, m], s[j, k]


@njit(cache=True)
def swap_labels(
    state: np.ndarray,
    n_k: np.ndarray,
    n_obs_k: np.ndarray,
    z0: np.ndarray,
    s: np.ndarray,
    alpha: float,
) -> int:
    """Metropolis swaps of neighbouring class labels, weights integrated out; returns swaps.

    The truncated stick-breaking prior is not exchangeable in the labels, and a Gibbs sampler
    that never relabels can sit for thousands of sweeps with a large class late in the order
    (label-switching moves of Papaspiliopoulos & Roberts 2008 and Hastie, Liverani & Richardson
    2015). Only the stick-breaking part of the collapsed posterior depends on the labels.
    """
    n_classes = n_k.size
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
        if last:
            log_ratio = swap_log_ratio(first, second, rest, True, alpha)
            accept = math.log(rng.uniform_positive(state)) < log_ratio
        else:
            # An inner swap is accepted with probability min(1, ratio): no logarithm needed.
            accept = rng.uniform(state) * (alpha + rest + first) < alpha + rest + second
        if accept:
            _exchange(k, k + 1, n_k, n_obs_k, z0, s)
            tail[k + 1] = rest + first
            swaps += 1
    return swaps


@kernel
def _size_biased_log_probability(n_k: np.ndarray, order: np.ndarray, smoothing: float) -> float:
    """log q(order): classes drawn one after another with probability proportional to size."""
    total = 0.0
    for c in range(n_k.size):
        total += n_k[c] + smoothing
    log_q = 0.0
    for i in range(n_k.size - 1):
        weight = n_k[order[i]] + smoothing
        log_q += math.log(weight / total)
        total -= weight
    return log_q


#: Weight added to every class size in the size-biased ordering, so empty classes can be drawn.
_ORDER_SMOOTHING = 1.0


@njit(cache=True)
def reorder_with_alpha(
    state: np.ndarray,
    n_k: np.ndarray,
    n_obs_k: np.ndarray,
    z0: np.ndarray,
    s: np.ndarray,
    alpha: float,
    a_alpha: float,
    b_alpha: float,
    centre: float,
    spread: float,
    order: np.ndarray,
    scratch: np.ndarray,
) -> tuple[float, bool]:
    """Propose a new label order and a new alpha together; Metropolis-Hastings, pi integrated.

    The neighbour swaps cannot take the largest class out of the last place while alpha is
    large (the last stick takes what is left, so a small alpha makes the last place likely
    only for a large class and a large alpha keeps the earlier sticks short), and the Gibbs
    draw of alpha given the sticks cannot lower alpha while the order stays. This move jumps
    between such modes: an independence proposal of the order (a size-biased permutation, the
    order the stick-breaking prior itself favours) and of alpha (log-normal with ``centre`` and
    ``spread`` on the log scale), accepted on the collapsed posterior of (order, alpha).

    Returns:
        (alpha, whether the proposal was accepted).
    """
    n_classes = n_k.size
    # Draw a size-biased order.
    total = 0.0
    for c in range(n_classes):
        scratch[c] = n_k[c] + _ORDER_SMOOTHING
        total += scratch[c]
    for i in range(n_classes):
        u = rng.uniform(state) * total
        pick = -1
        for c in range(n_classes):
            if scratch[c] > 0.0:
                pick = c
                u -= scratch[c]
                if u < 0.0:
                    break
        order[i] = pick
        total -= scratch[pick]
        scratch[pick] = 0.0
    identity = np.arange(n_classes)
    log_q_new = _size_biased_log_probability(n_k, order, _ORDER_SMOOTHING)
    log_q_old = _size_biased_log_probability(n_k, identity, _ORDER_SMOOTHING)
    log_proposal = centre + spread * rng.normal(state)
    if log_proposal < -690.0:
        return alpha, False
    proposal = math.exp(log_proposal)
    for i in range(n_classes):
        scratch[i] = n_k[order[i]]
    log_ratio = stick_log_prior(scratch, proposal) - stick_log_prior(n_k, alpha)
    # Gamma(a, b) prior on alpha and the log-normal proposal density (its 1/alpha included).
    log_ratio += (a_alpha - 1.0) * (log_proposal - math.log(alpha))
    log_ratio -= b_alpha * (proposal - alpha)
    z_new = (math.log(proposal) - centre) / spread
    z_old = (math.log(alpha) - centre) / spread
    log_ratio += (math.log(proposal) + 0.5 * z_new * z_new) - (
        math.log(alpha) + 0.5 * z_old * z_old
    )
    log_ratio += log_q_old - log_q_new
    if math.log(rng.uniform_positive(state)) >= log_ratio:
        return alpha, False
    # Apply the permutation: position i takes the class that was at order[i].
    for i in range(n_classes):
        scratch[i] = n_k[order[i]]
    n_k[:] = scratch[:n_classes]
    for i in range(n_classes):
        scratch[i] = n_obs_k[order[i]]
    n_obs_k[:] = scratch[:n_classes]
    moved = z0.copy()
    for i in range(n_classes):
        z0[i] = moved[order[i]]
    columns = s.copy()
    for i in range(n_classes):
        s[:, i] = columns[:, order[i]]
    return proposal, True


@kernel
def _lambda_term(n_k: float, s_k: np.ndarray) -> float:
    """log of prod_j B(1 + s_jk, 1 + n_k - s_jk) without the parts that do not involve n_k."""
    total = 0.0
    for j in range(s_k.size):
        total += log_gamma(1.0 + n_k - s_k[j])
    return total - s_k.size * log_gamma(2.0 + n_k)


@kernel
def update_unobserved(
    state: np.ndarray,
    z0: np.ndarray,
    n_obs_k: np.ndarray,
    s: np.ndarray,
    alpha: float,
    n_observed: int,
    max_unobserved: int,
    widths: np.ndarray,
    accepted: np.ndarray,
    n_k: np.ndarray,
) -> int:
    """One random-walk Metropolis step on each unobserved class count; returns bound hits.

    Target: the posterior of the unobserved class counts given the observed ones, with pi and
    lambda integrated out: (N - 1)! / prod_k z0_k! x prod_k prod_j B(1 + s_jk, 1 + n_k - s_jk)
    x the stick-breaking term (``stick_log_prior`` plus lgamma(1 + n_k)).
    """
    n_classes = z0.size
    hits = 0
    n0 = 0
    for k in range(n_classes):
        n_k[k] = n_obs_k[k] + z0[k]
        n0 += z0[k]
    current_stick = stick_log_prior(n_k, alpha)
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
        log_ratio = log_gamma(population + step) - log_gamma(population)
        log_ratio += log_gamma(z0[k] + 1.0) - log_gamma(proposal + 1.0)
        log_ratio += _lambda_term(new_n, s[:, k]) - _lambda_term(old_n, s[:, k])
        log_ratio += log_gamma(1.0 + new_n) - log_gamma(1.0 + old_n)
        n_k[k] = new_n
        new_stick = stick_log_prior(n_k, alpha)
        log_ratio += new_stick - current_stick
        if math.log(rng.uniform_positive(state)) < log_ratio:
            z0[k] = proposal
            n0 += step
            accepted[k] += 1
            current_stick = new_stick
        else:
            n_k[k] = old_n
    return hits


@kernel
def _class_term(n: float, s_k: np.ndarray, z0: float) -> float:
    """A class's share of the collapsed log posterior: its lambda Beta functions, lgamma(1 + n)
    of the stick-breaking prior, and the 1 / z0! of its unobserved people."""
    total = log_gamma(1.0 + n) - log_gamma(1.0 + z0) - s_k.size * log_gamma(2.0 + n)
    for j in range(s_k.size):
        total += log_gamma(1.0 + s_k[j]) + log_gamma(1.0 + n - s_k[j])
    return total


@kernel
def shift_people(
    state: np.ndarray,
    patterns: np.ndarray,
    counts: np.ndarray,
    x: np.ndarray,
    z0: np.ndarray,
    n_obs_k: np.ndarray,
    n_k: np.ndarray,
    s: np.ndarray,
    alpha: float,
    n_observed: int,
    max_unobserved: int,
    unseen_ratio: float,
    attempts: int,
    s_old: np.ndarray,
    s_new: np.ndarray,
) -> int:
    """Move m people of one pattern between two classes together with unobserved people.

    The slow direction of the Gibbs sampler: observed people drift into a class with low
    capture probabilities only as fast as that class's lambdas and unobserved count follow. This
    move shifts m people of pattern p from class l to class k and, in the same proposal, moves
    about m x (z0 / n_obs) unobserved people along with them (a uniform window around that
    centre, half-width 1 + sqrt(m x ``unseen_ratio``)); pi and lambda integrated out,
    Metropolis-Hastings with the reverse proposal computed from the new state. ``x`` holds the
    class counts of each pattern (patterns x classes). Returns the number accepted.
    """
    n_patterns, n_lists = patterns.shape
    n_classes = n_k.size
    accepted = 0
    if n_classes < 2:
        return 0
    n0 = 0
    for k in range(n_classes):
        n0 += z0[k]
    for _ in range(attempts):
        p = rng.integer_below(state, n_patterns)
        count = counts[p]
        if count == 0:
            continue
        # Source class: that of a person of pattern p drawn at random; target: any other.
        u = rng.integer_below(state, count)
        source = 0
        while u >= x[p, source]:
            u -= x[p, source]
            source += 1
        target = rng.integer_below(state, n_classes - 1)
        if target >= source:
            target += 1
        width = max(1, int(math.sqrt(count)))
        forward_width = min(width, x[p, source])
        m = 1 + rng.integer_below(state, forward_width)
        half = 1 + int(math.sqrt(m * unseen_ratio))
        centre_source = round(m * z0[source] / max(n_obs_k[source], 1.0))
        centre_target = round(m * z0[target] / max(n_obs_k[target], 1.0))
        d_source = -(centre_source + rng.integer_below(state, 2 * half + 1) - half)
        d_target = centre_target + rng.integer_below(state, 2 * half + 1) - half
        z_source = z0[source] + d_source
        z_target = z0[target] + d_target
        if z_source < 0 or z_target < 0:
            continue
        step = d_source + d_target
        if n0 + step > max_unobserved:
            continue
        new_obs_source = n_obs_k[source] - m
        new_obs_target = n_obs_k[target] + m
        # The reverse move (m people back from target to source) must be able to draw -d.
        back_source = round(m * z_source / max(new_obs_source, 1.0))
        back_target = round(m * z_target / max(new_obs_target, 1.0))
        if abs(-d_source - back_source) > half or abs(d_target - back_target) > half:
            continue
        reverse_width = min(width, x[p, target] + m)
        log_ratio = math.log(forward_width / reverse_width)
        log_ratio += math.log((x[p, target] + m) / x[p, source])
        # Collapsed posterior: N, the pattern's multinomial coefficient, both classes, sticks.
        population = n_observed + n0
        log_ratio += log_gamma(population + step) - log_gamma(population)
        log_ratio += log_gamma(1.0 + x[p, source]) + log_gamma(1.0 + x[p, target])
        log_ratio -= log_gamma(1.0 + x[p, source] - m) + log_gamma(1.0 + x[p, target] + m)
        for j in range(n_lists):
            s_old[j] = s[j, source]
            s_new[j] = s[j, source] - m * patterns[p, j]
        new_n_source = new_obs_source + z_source
        log_ratio += _class_term(new_n_source, s_new, z_source)
        log_ratio -= _class_term(n_k[source], s_old, z0[source])
        for j in range(n_lists):
            s_old[j] = s[j, target]
            s_new[j] = s[j, target] + m * patterns[p, j]
        new_n_target = new_obs_target + z_target
        log_ratio += _class_term(new_n_target, s_new, z_target)
        log_ratio -= _class_term(n_k[target], s_old, z0[target])
        old_stick = stick_log_prior(n_k, alpha)
        old_source, old_target = n_k[source], n_k[target]
        n_k[source], n_k[target] = new_n_source, new_n_target
        log_ratio += stick_log_prior(n_k, alpha) - old_stick
        if math.log(rng.uniform_positive(state)) < log_ratio:
            accepted += 1
            n0 += step
            z0[source], z0[target] = z_source, z_target
            n_obs_k[source], n_obs_k[target] = new_obs_source, new_obs_target
            x[p, source] -= m
            x[p, target] += m
            for j in range(n_lists):
                s[j, source] -= m * patterns[p, j]
                s[j, target] += m * patterns[p, j]
        else:
            n_k[source], n_k[target] = old_source, old_target
    return accepted
