"""MCMC convergence diagnostics: split R-hat and effective sample size over several chains."""

from __future__ import annotations

import numpy as np
from scipy import stats

from sijill.errors import EstimationError


def _as_chains(draws: np.ndarray) -> np.ndarray:
    chains = np.asarray(draws, dtype=np.float64)
    if chains.ndim == 1:
        chains = chains[None, :]
    if chains.ndim != 2 or chains.shape[1] < 4:
        raise EstimationError(
            f"diagnostics need an array of shape (chains, draws) with at least 4 draws per chain, "
            f"got shape {np.shape(draws)}",
            hint="keep more samples per chain",
        )
    if not np.all(np.isfinite(chains)):
        raise EstimationError("diagnostics got non-finite draws")
    return chains


def split_chains(draws: np.ndarray) -> np.ndarray:
    """Cut every chain in two halves, so that drift within a chain shows up as disagreement.

    Args:
        draws: array of shape (chains, draws); an odd draw count drops the middle draw.

    Returns:
        Array of shape (2 * chains, draws // 2).
    """
    chains = _as_chains(draws)
    half = chains.shape[1] // 2
    return np.concatenate([chains[:, :half], chains[:, chains.shape[1] - half :]], axis=0)


def _rhat_basic(chains: np.ndarray) -> float:
    n_draws = chains.shape[1]
    within = float(np.mean(np.var(chains, axis=1, ddof=1)))
    between = float(n_draws * np.var(np.mean(chains, axis=1), ddof=1))
    if within == 0.0:
        return 1.0 if between == 0.0 else float("inf")
    var_plus = (n_draws - 1) / n_draws * within + between / n_draws
    return float(np.sqrt(var_plus / within))


def _rank_normalise(chains: np.ndarray) -> np.ndarray:
    ranks = stats.rankdata(chains, method="average").reshape(chains.shape)
    return np.asarray(stats.norm.ppf((ranks - 0.375) / (chains.size + 0.25)))


def split_rhat(draws: np.ndarray) -> float:
    """Rank-normalised split R-hat (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021).

    The maximum of the bulk R-hat (on rank-normalised draws) and the tail R-hat (on the folded
    draws |x - median|), so that chains differing in location or in spread are both caught.
    Values above 1.01 mean the chains have not mixed: run longer before trusting the interval.

    Args:
        draws: array of shape (chains, draws), or one chain as a 1-D array.

    Returns:
        R-hat, 1.0 for perfectly agreeing chains.
    """
    halves = split_chains(draws)
    if np.ptp(halves) == 0.0:
        return 1.0
    bulk = _rhat_basic(_rank_normalise(halves))
    folded = np.abs(halves - np.median(halves))
    tail = _rhat_basic(_rank_normalise(folded)) if np.ptp(folded) > 0.0 else 1.0
    return max(bulk, tail)


def _autocovariance(chain: np.ndarray) -> np.ndarray:
    n_draws = chain.size
    centred = chain - chain.mean()
    size = 1 << int(np.ceil(np.log2(2 * n_draws)))
    spectrum = np.fft.rfft(centred, size)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), size)[:n_draws]
    return np.asarray(acov / n_draws)


def effective_sample_size(draws: np.ndarray, *, split: bool = True) -> float:
    """Effective sample size of the mean over several chains (Vehtari et al. 2021, eq. 10-11).

    Combines the chains' autocorrelations with the between-chain variance and truncates the sum
    with Geyer's initial monotone positive sequence, so a slowly mixing sampler gets a small
    ESS even when its draws look fine one chain at a time.

    Args:
        draws: array of shape (chains, draws), or one chain as a 1-D array.
        split: halve the chains first (the default, as in Stan and ArviZ).

    Returns:
        The effective number of independent draws (at most chains * draws * log10 of that, the
        cap Stan uses for antithetic chains).
    """
    chains = split_chains(draws) if split else _as_chains(draws)
    n_chains, n_draws = chains.shape
    total = n_chains * n_draws
    if np.ptp(chains) == 0.0:
        return float(total)
    acov = np.stack([_autocovariance(chain) for chain in chains])
    chain_var = acov[:, 0] * n_draws / (n_draws - 1)
    within = float(np.mean(chain_var))
    var_plus = within * (n_draws - 1) / n_draws
    if n_chains > 1:
        var_plus += float(np.var(np.mean(chains, axis=1), ddof=1))
    rho = 1.0 - (within - np.mean(acov, axis=0)) / var_plus
    rho[0] = 1.0
    # Geyer: sum autocorrelations in pairs while the pair sums stay positive and decreasing.
    pair_sums: list[float] = []
    previous = float("inf")
    for t in range(0, n_draws - 1, 2):
        pair = float(rho[t] + rho[t + 1])
        if pair <= 0.0:
            break
        pair = min(pair, previous)
        pair_sums.append(pair)
        previous = pair
    tau = -1.0 + 2.0 * sum(pair_sums) if pair_sums else 1.0
    tau = max(tau, 1.0 / np.log10(total))
    return float(total / tau)
