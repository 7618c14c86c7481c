"""Bayesian latent-class capture-recapture with a Dirichlet-process prior (Manrique-Vallier 2016)."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import numpy as np

from sijill.errors import EstimationError
from sijill.estimation.base import EstimationResult, Estimator
from sijill.estimation.diagnostics import effective_sample_size, split_rhat
from sijill.estimation.lcmcr_random import seed_state
from sijill.estimation.lcmcr_sampler import run_chain
from sijill.estimation.table import CaptureHistory

#: Chains whose split R-hat of N exceeds this have not converged to the same distribution.
RHAT_LIMIT = 1.05
#: Fewer effective draws of N than this make the interval ends unreliable.
ESS_LIMIT = 400


def independence_start(table: CaptureHistory) -> tuple[np.ndarray, int]:
    """Capture rates and unobserved count under list independence, to start the chains from.

    Solves N = n / (1 - prod_j (1 - n_j / N)) by fixed-point iteration; with too little overlap
    for a finite solution the start is capped at 10n unobserved.
    """
    counts = np.asarray(table.counts, dtype=np.float64)
    n_observed = float(counts.sum())
    list_totals = np.asarray(table.patterns, dtype=np.float64).T @ counts
    population = n_observed * 1.5
    cap = 11.0 * n_observed
    for _ in range(500):
        unseen = float(np.prod(1.0 - list_totals / population))
        updated = n_observed / (1.0 - unseen) if unseen < 1.0 else cap
        updated = min(max(updated, n_observed + 1.0), cap)
        if abs(updated - population) < 0.5:
            population = updated
            break
        population = updated
    return list_totals / population, round(population - n_observed)


class LcmcrEstimator(Estimator):
    """Latent-class model with a truncated Dirichlet-process prior, by Gibbs sampling.

    Model (Manrique-Vallier 2016): each person belongs to one of K latent classes with
    stick-breaking weights (V_k ~ Beta(1, alpha), alpha ~ Gamma(a_alpha, b_alpha)); given the
    class, lists capture independently with probabilities lambda_jk ~ Beta(1, 1); the population
    size has the improper prior 1/N. Heterogeneity of capture between people is what the classes
    absorb; lists that copy each other directly are not modelled. Assumes a closed population and
    perfectly linked lists.

    Sampler (``sijill.estimation.lcmcr_sampler``): compiled Gibbs sweeps over aggregated capture
    patterns (cost independent of N), several chains in parallel threads, each from its own
    reproducible random stream (seed, chain), in parallel threads (the compiled sweeps release
    the GIL). Each sweep draws the unobserved count jointly with
    its classes as in the paper and then, with ``collapsed_update``, also moves each class's
    unobserved count by Metropolis with the weights and capture probabilities integrated out,
    which decorrelates N from the capture probabilities. Chains start near the
    list-independence solution (jittered), not from arbitrary capture probabilities, which can
    leave a chain in a degenerate mode with N close to n.

    The unobserved count is bounded only by ``max_unobserved_factor`` x n (a numerical guard far
    above any plausible value); if a draw ever reached it the result says so in ``warnings``.

    Validation: on small tables the draws of N match the model's exact posterior, computed
    without MCMC by importance sampling of the parameters (``tests/test_estimation_lcmcr_exact``);
    on the 20 reference tables of R's LCMCR 0.4.14 long runs agree with R within its Monte-Carlo
    error (``bench/RESULTS-lcmcr-validation.md``). Single runs of the default length can still sit
    in one mode of the label order on hard tables (Kosovo); the R-hat and ESS warnings say so.

    Known bias: when most people are seen rarely on every list, the lists cannot bound N from
    above (a two-class likelihood is flat beyond some N) and the uniform prior on the capture
    probabilities pulls the posterior down. In the simulation study (70% of people with capture
    probabilities 0.06-0.12) the posterior median ran 15% low at any chain length, and it runs
    lower still when one list copies another; ``sijill.estimation.cross_check`` compares it with
    the log-linear model average, which runs high under heterogeneity and holds up under copying
    (bench/RESULTS-estimation-bayes.md).

    Reference: Manrique-Vallier, D. (2016) Bayesian population size estimation using Dirichlet
    process mixtures. Biometrics 72(4):1246-1254.

    Result fields: ``estimate`` = posterior median of N over all chains; ``lower``/``upper`` =
    equal-tailed posterior quantiles at ``level``; ``diagnostics``: posterior mean and SD of N,
    split R-hat and effective sample size of N, mean number of occupied classes, mean alpha,
    acceptance rate of the collapsed step, sweeps run, the bound on the unobserved count and how
    often it was hit (no timings, so that equal settings give an identical result;
    ``sample_population`` reports the runtime).

    Args:
        n_classes: truncation level K (10 as LCMCR's default).
        a_alpha: shape of the Gamma prior on the concentration alpha.
        b_alpha: rate of that prior.
        burn_in: sweeps discarded at the start of each chain (20,000: on Kosovo some chains need
            ~10,000 sweeps to climb from the list-independence start to the bulk of the posterior).
        samples: draws kept per chain.
        thin: sweeps per kept draw.
        chains: independent chains (run in parallel threads).
        seed: seed of the random streams; the same seed gives the same result.
        level: interval coverage.
        collapsed_update: add the collapsed Metropolis move (off = the paper's plain sampler).
        max_unobserved_factor: bound on the unobserved count, as a multiple of n.
    """

    name: ClassVar[str] = "lcmcr"
    min_lists: ClassVar[int] = 3

    def __init__(
        self,
        n_classes: int = 10,
        a_alpha: float = 0.25,
        b_alpha: float = 0.25,
        burn_in: int = 20_000,
        samples: int = 5_000,
        thin: int = 10,
        chains: int = 4,
        seed: int = 12345,
        level: float = 0.95,
        collapsed_update: bool = True,
        max_unobserved_factor: int = 1000,
    ) -> None:
        super().__init__(level=level)
        if n_classes < 1:
            raise EstimationError(f"lcmcr: n_classes must be at least 1, got {n_classes}")
        if a_alpha <= 0.0 or b_alpha <= 0.0:
            raise EstimationError("lcmcr: a_alpha and b_alpha must be positive")
        if burn_in < 0 or samples < 4 or thin < 1 or chains < 1:
            raise EstimationError(
                "lcmcr: need burn_in >= 0, samples >= 4, thin >= 1 and chains >= 1",
                hint="the defaults (20,000 burn-in, 5,000 samples, thin 10, 4 chains) suit most "
                "tables",
            )
        if seed < 0:
            raise EstimationError(f"lcmcr: seed must be non-negative, got {seed}")
        if max_unobserved_factor < 2:
            raise EstimationError("lcmcr: max_unobserved_factor must be at least 2")
        self.n_classes = n_classes
        self.a_alpha = a_alpha
        self.b_alpha = b_alpha
        self.burn_in = burn_in
        self.samples = samples
        self.thin = thin
        self.chains = chains
        self.seed = seed
        self.collapsed_update = collapsed_update
        self.max_unobserved_factor = max_unobserved_factor

    @classmethod
    def fast_settings(cls) -> dict[str, Any]:
        """Short chains for the shared conformance tests (not for real estimates)."""
        return {"burn_in": 500, "samples": 500, "thin": 1, "chains": 2}

    def sample_population(self, table: CaptureHistory) -> tuple[np.ndarray, dict[str, Any]]:
        """Run the chains and return the draws of N (chains x samples) with sampler figures.

        Useful for plotting the posterior of N or pooling runs; ``fit`` summarises these draws.
        """
        patterns = np.ascontiguousarray(table.patterns, dtype=np.int8)
        counts = np.ascontiguousarray(table.counts, dtype=np.int64)
        bound = self.max_unobserved_factor * max(table.n_observed, 100)
        start_lambda, start_unobserved = independence_start(table)
        start_rates = np.ascontiguousarray(start_lambda, dtype=np.float64)

        def one_chain(chain: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
            return run_chain(
                seed_state(self.seed, chain),
                patterns,
                counts,
                self.n_classes,
                self.a_alpha,
                self.b_alpha,
                self.burn_in,
                self.samples,
                self.thin,
                bound,
                self.collapsed_update,
                start_rates,
                min(start_unobserved, bound),
            )

        started = time.perf_counter()
        workers = max(1, min(self.chains, os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(one_chain, range(self.chains)))
        draws = np.stack([r[0] for r in results])
        alphas = np.stack([r[1] for r in results])
        occupied = np.stack([r[2] for r in results])
        rates = np.stack([r[3] for r in results])
        hits = np.array([r[4] for r in results])
        seconds = time.perf_counter() - started
        figures = {
            "runtime_s": seconds,
            "sweeps": self.chains * (self.burn_in + self.samples * self.thin),
            "alpha_mean": float(np.mean(alphas)),
            "occupied_classes_mean": float(np.mean(occupied)),
            "collapsed_acceptance": float(np.mean(rates)) if self.collapsed_update else None,
            "unobserved_bound": int(bound),
            "bound_hits": int(np.sum(hits)),
        }
        return draws, figures

    def _fit(self, table: CaptureHistory) -> EstimationResult:
        draws, figures = self.sample_population(table)
        flat = draws.astype(np.float64).ravel()
        tail = (1.0 - self.level) / 2.0
        rhat = split_rhat(draws) if self.samples >= 4 else float("nan")
        ess = effective_sample_size(draws)
        diagnostics: dict[str, Any] = {
            "posterior_mean": float(flat.mean()),
            "posterior_sd": float(flat.std(ddof=1)),
            "rhat_N": rhat,
            "ess_N": ess,
            **{key: value for key, value in figures.items() if key != "runtime_s"},
        }
        warnings: list[str] = []
        if figures["bound_hits"]:
            warnings.append(
                f"the unobserved count reached its bound of {figures['unobserved_bound']:,} "
                f"({figures['bound_hits']} proposals stopped there): the posterior of N is cut "
                "and the upper bound is too low; the data cannot bound N under this model"
            )
        if rhat > RHAT_LIMIT:
            warnings.append(
                f"the chains disagree (split R-hat of N = {rhat:.3f} > {RHAT_LIMIT}): run longer "
                "(more samples or thinning) before trusting the interval"
            )
        if ess < ESS_LIMIT:
            warnings.append(
                f"only {ess:.0f} effective draws of N: the interval ends carry Monte-Carlo error; "
                "run more samples"
            )
        return EstimationResult(
            method=self.name,
            estimate=float(np.median(flat)),
            lower=float(np.quantile(flat, tail)),
            upper=float(np.quantile(flat, 1.0 - tail)),
            level=self.level,
            n_observed=table.n_observed,
            diagnostics=diagnostics,
            settings=self.settings(),
            input_hash=table.input_hash(),
            warnings=tuple(warnings),
        )
