"""LCMCR validation: our sampler against the exact posterior, and why R's LCMCR differs.

Prints markdown tables (bench/RESULTS-lcmcr-validation.md holds the figures and conclusions):

1. the sampler's posterior CDF of N against an exact reference computed without MCMC
   (importance sampling of the parameters from their prior; see
   tests/test_estimation_lcmcr_exact.py for the derivation) on small synthetic tables, 3 and 4
   lists, K = 2 and 3: z-scores of the CDF difference at the 5-95% points;
2. every table of reference.json with an LCMCR entry (20), against R's pooled five seeds, under
   our model and under candidate explanations of R's difference: (a) alpha's Gamma prior read
   with b_alpha as a scale (rate 4), (b) a flat prior on N instead of 1/N (exact reweighting of
   our draws by N), (c) the unobserved count truncated at 20 n (reweighting by the indicator);
3. long runs (2,000,000+ sweeps) on Kosovo and HIV_rome, and where each of R's five seeds falls
   in that posterior, against the spread a 10,000-draw run with R's effective sample size has;
4. why lcmcr runs low on the coverage study's heterogeneous scenario (a two-class population):
   the profile likelihood of N under a two-class latent-class model, and a Laplace approximation
   of that model's posterior of N under LCMCR's uniform prior on the capture probabilities and
   under a prior flat on their logits, beside LCMCR's own default run.

Usage: ``.venv/bin/python bench/lcmcr_validation.py [--quick] [--section 1|2|3]``
(run from the repository root; section 2 takes ~5 CPU minutes, section 3 ~3, section 4 ~2 per
replicate; ``--replicates 0,2`` picks section 4's replicates).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sijill.estimation.diagnostics import effective_sample_size
from sijill.estimation.lcmcr import LcmcrEstimator
from sijill.estimation.table import CaptureHistory
from tests.test_estimation_lcmcr_exact import (
    TABLES,
    all_patterns,
    exact_posterior,
    z_scores,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"
VARIANT = "K10_burn10k_10k_samples_thin10_pooled_5_seeds"

#: A 4-list table drawn like the 3-list ones of the test (N = 90, default_rng(1)).
FOUR_LISTS = np.array([5, 6, 2, 8, 5, 1, 2, 5, 6, 7, 3, 2, 4, 3, 1])


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, probs: list[float]) -> list[float]:
    """Quantiles of a weighted sample (inverse of the weighted empirical CDF)."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return [float(values[order][np.searchsorted(cumulative, p)]) for p in probs]


def section_exact(quick: bool) -> None:
    print("\n## 1. Sampler vs exact posterior of N (importance sampling, no MCMC)\n")
    print(
        "| table | K | prior draws | IS ESS | exact 5/50/95% | sampler 5/50/95% "
        "| z at 5/10/25/50/75/90/95% | max abs z | CPU s (IS / sampler) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    cases: list[tuple[str, np.ndarray, int, int]] = [
        ("3 lists, n = 49", TABLES["three_lists_n49"], 2, 2_000_000),
        ("3 lists, n = 49", TABLES["three_lists_n49"], 3, 2_000_000),
        ("3 lists, n = 77", TABLES["three_lists_n77"], 2, 2_000_000),
        ("3 lists, n = 77", TABLES["three_lists_n77"], 3, 2_000_000),
        ("4 lists, n = 60", FOUR_LISTS, 2, 10_000_000),
        ("4 lists, n = 60", FOUR_LISTS, 3, 10_000_000),
    ]
    for label, counts, n_classes, draws in cases:
        if quick:
            draws //= 4
        lists = round(math.log2(counts.size + 1))
        patterns = all_patterns(lists)
        started = time.process_time()
        exact = exact_posterior(patterns, counts, n_classes, draws=draws, seed=21)
        is_cpu = time.process_time() - started
        table = CaptureHistory(tuple(f"l{j}" for j in range(lists)), patterns, counts)
        started = time.process_time()
        sampled, _ = LcmcrEstimator(
            n_classes=n_classes,
            burn_in=2000,
            samples=25_000 if quick else 100_000,
            thin=1,
            chains=4,
            seed=5,
        ).sample_population(table)
        sampler_cpu = time.process_time() - started
        scores = z_scores(sampled, exact)
        ex = [exact.quantile(p) for p in (0.05, 0.5, 0.95)]
        ours = [int(np.quantile(sampled, p)) for p in (0.05, 0.5, 0.95)]
        print(
            f"| {label} | {n_classes} | {draws:,} | {exact.ess:,.0f} | {ex[0]}/{ex[1]}/{ex[2]} "
            f"| {ours[0]}/{ours[1]}/{ours[2]} | {' '.join(f'{z:+.1f}' for z in scores)} "
            f"| {max(abs(z) for z in scores):.1f} | {is_cpu:.1f} / {sampler_cpu:.1f} |",
            flush=True,
        )


def reference_entries() -> list[dict[str, Any]]:
    ref = json.loads((DATA / "reference.json").read_text())
    return [e for e in ref["estimates"] if e["method"] == "LCMCR" and e["variant"] == VARIANT]


def r_figures(entry: dict[str, Any]) -> tuple[list[float], list[float]]:
    """R's pooled median / 2.5% / 97.5% and the SD of each between its five seeds."""
    per_seed = entry["extra"]["per_seed"]
    sds = [float(np.std([p[k] for p in per_seed], ddof=1)) for k in ("median", "q025", "q975")]
    values = [
        entry["point_estimate"]["value"],
        entry["interval"]["lower"],
        entry["interval"]["upper"],
    ]
    return values, sds


def agreement(ours: list[float], r_values: list[float], r_sds: list[float]) -> tuple[str, float]:
    """Differences in people and in R seed SDs (SD floored at 0.5 person); the worst |SDs|."""
    cells, worst = [], 0.0
    for mine, theirs, sd in zip(ours, r_values, r_sds, strict=True):
        units = (mine - theirs) / max(sd, 0.5)
        worst = max(worst, abs(units))
        cells.append(f"{mine - theirs:+.0f} ({units:+.1f})")
    return " / ".join(cells), worst


def section_variants(quick: bool, seed: int) -> None:
    print("\n## 2. All 20 tables against R's pooled five seeds, under each candidate model\n")
    print(
        "Differences median / 2.5% / 97.5% in people (in R between-seed SDs). Ours: default "
        f"settings, seed {seed}. (b) and (c) reweight the same draws.\n"
    )
    print(
        "| table | n | R median [95%] | ours | (a) b_alpha = 4 | (b) flat prior on N "
        "| (c) n0 <= 20 n: share cut | R-hat | ESS |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    probs = [0.5, 0.025, 0.975]
    totals = {"ours": 0, "a": 0, "b": 0, "c": 0}
    worst_sum = {"ours": 0.0, "a": 0.0, "b": 0.0, "c": 0.0}
    settings: dict[str, Any] = {"samples": 1000, "burn_in": 2000} if quick else {}
    for entry in reference_entries():
        table = CaptureHistory.from_csv(DATA / f"{entry['dataset']}.csv")
        n = table.n_observed
        r_values, r_sds = r_figures(entry)
        draws, _ = LcmcrEstimator(seed=seed, **settings).sample_population(table)
        flat = draws.astype(np.float64).ravel()
        ours_q = [float(np.quantile(flat, p)) for p in probs]
        cells = {"ours": agreement(ours_q, r_values, r_sds)}
        scale_draws, _ = LcmcrEstimator(seed=seed, b_alpha=4.0, **settings).sample_population(table)
        scale_q = [float(np.quantile(scale_draws, p)) for p in probs]
        cells["a"] = agreement(scale_q, r_values, r_sds)
        cells["b"] = agreement(weighted_quantiles(flat, flat, probs), r_values, r_sds)
        inside = flat - n <= 20 * n
        cut = weighted_quantiles(flat, inside.astype(np.float64), probs)
        cells["c"] = agreement(cut, r_values, r_sds)
        for key, (_, worst) in cells.items():
            worst_sum[key] = max(worst_sum[key], worst)
            totals[key] += worst <= 3.0
        print(
            f"| {entry['dataset']} | {n:,} | {r_values[0]:,.0f} [{r_values[1]:,.0f}, "
            f"{r_values[2]:,.0f}] | {cells['ours'][0]} | {cells['a'][0]} | {cells['b'][0]} "
            f"| {cells['c'][0]}: {1 - inside.mean():.4f} | "
            f"{_rhat(draws):.3f} | {effective_sample_size(draws):,.0f} |",
            flush=True,
        )
    print(
        "\nTables within 3 R seed SDs on all three figures: "
        + ", ".join(f"{k}: {v} of 20" for k, v in totals.items())
    )


def _rhat(draws: np.ndarray) -> float:
    from sijill.estimation.diagnostics import split_rhat

    return float(split_rhat(draws))


def section_long(quick: bool) -> None:
    print("\n## 3. Long runs: our posterior on Kosovo and HIV_rome, and R's seeds in it\n")
    print(
        "Where each R seed's median / 2.5% / 97.5% falls in our long-run CDF of N, against "
        "the spread of a quantile from R's own run (2 SD = 2 sqrt(p(1-p)/ESS_R), ESS_R its "
        "effective sample size of N).\n"
    )
    print(
        "| table | sweeps | our median [95%] | R-hat | ESS | R seed | R ESS | F(R median) "
        "| F(R 2.5%) | F(R 97.5%) | 2 SD at 50% / 2.5% |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    samples = 5_000 if quick else 50_000
    for name in ("kosovo_1999", "rcapture_HIV_rome"):
        entry = next(e for e in reference_entries() if e["dataset"] == name)
        table = CaptureHistory.from_csv(DATA / f"{name}.csv")
        estimator = LcmcrEstimator(seed=101, samples=samples, chains=4)
        draws, figures = estimator.sample_population(table)
        flat = np.sort(draws.astype(np.float64).ravel())
        quantiles = [float(np.quantile(flat, p)) for p in (0.5, 0.025, 0.975)]
        ess = effective_sample_size(draws)
        head = (
            f"| {name} | {figures['sweeps']:,} | {quantiles[0]:,.0f} [{quantiles[1]:,.0f}, "
            f"{quantiles[2]:,.0f}] | {_rhat(draws):.3f} | {ess:,.0f} "
        )
        for seed_entry in entry["extra"]["per_seed"]:
            r_ess = float(seed_entry["ess_N"])
            at = [
                float(np.searchsorted(flat, seed_entry[k], side="right")) / flat.size
                for k in ("median", "q025", "q975")
            ]
            spread = [2 * math.sqrt(p * (1 - p) / r_ess) for p in (0.5, 0.025)]
            print(
                f"{head}| {seed_entry['seed']} | {r_ess:.0f} | {at[0]:.3f} | {at[1]:.4f} "
                f"| {at[2]:.4f} | {spread[0]:.3f} / {spread[1]:.4f} |",
                flush=True,
            )
            head = "| | | | | "


def _two_class_loglik(
    theta: np.ndarray, patterns: np.ndarray, counts: np.ndarray, n: float
) -> float:
    """log p(table | N, weights, capture probabilities) of a 2-class model (logit scale)."""
    from scipy.special import expit, gammaln, log_softmax

    log_w = log_softmax(np.array([0.0, theta[0]]))
    lam = np.clip(expit(theta[1:].reshape(patterns.shape[1], 2)), 1e-12, 1.0 - 1e-12)
    log_q = log_w[None, :] + patterns @ np.log(lam) + (1.0 - patterns) @ np.log1p(-lam)
    q = np.exp(log_q).sum(axis=1)
    q0 = float(np.exp(log_w + np.log1p(-lam).sum(axis=0)).sum())
    observed = float(counts.sum())
    return float(
        gammaln(n + 1.0)
        - gammaln(n - observed + 1.0)
        + (counts * np.log(q)).sum()
        + (n - observed) * math.log(q0)
    )


def _hessian(f: Any, x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    size = x.size
    hessian = np.empty((size, size))
    for i in range(size):
        for j in range(i, size):
            e_i, e_j = np.zeros(size), np.zeros(size)
            e_i[i], e_j[j] = step, step
            value = (f(x + e_i + e_j) - f(x + e_i - e_j) - f(x - e_i + e_j) + f(x - e_i - e_j)) / (
                4.0 * step * step
            )
            hessian[i, j] = hessian[j, i] = value
    return hessian


def two_class_posteriors(
    patterns: np.ndarray, counts: np.ndarray, grid: np.ndarray, seed: int = 0
) -> dict[str, np.ndarray]:
    """log p(N | table) on ``grid`` (unnormalised) for a 2-class model, three ways.

    At each N the parameters are maximised (profile likelihood) and the Laplace approximation
    adds -1/2 log det of the Hessian and the log prior density at the maximum: LCMCR's uniform
    prior on the capture probabilities and the weight is lambda (1 - lambda) per probability on
    the logit scale; a prior flat on the logits adds nothing. All three include the 1/N prior.
    """
    from scipy.optimize import minimize
    from scipy.special import expit

    rng = np.random.default_rng(seed)
    x = np.asarray(patterns, dtype=np.float64)
    c = np.asarray(counts, dtype=np.float64)
    previous: np.ndarray | None = None
    profile, laplace_uniform, laplace_flat = [], [], []
    for n in grid:

        def negative(theta: np.ndarray, n: float = float(n)) -> float:
            return -_two_class_loglik(theta, x, c, n)

        starts = [rng.normal(-1.5, 1.0, 1 + 2 * x.shape[1]) for _ in range(3)]
        if previous is not None:
            starts.append(previous)
        best = min(
            (minimize(negative, start, method="BFGS") for start in starts), key=lambda r: r.fun
        )
        previous = best.x
        sign, log_det = np.linalg.slogdet(_hessian(negative, best.x))
        occam = -0.5 * log_det if sign > 0 else -np.inf
        weight = expit(best.x[0])
        lam = expit(best.x[1:])
        log_prior_w = math.log(weight) + math.log1p(-weight)
        log_prior_lam = float(np.sum(np.log(lam) + np.log1p(-lam)))
        profile.append(-best.fun - math.log(n))
        laplace_uniform.append(-best.fun - math.log(n) + occam + log_prior_w + log_prior_lam)
        laplace_flat.append(-best.fun - math.log(n) + occam + log_prior_w)
    return {
        "profile x 1/N": np.array(profile),
        "Laplace, uniform lambda (LCMCR)": np.array(laplace_uniform),
        "Laplace, flat logit lambda": np.array(laplace_flat),
    }


def grid_quantiles(
    grid: np.ndarray, log_density: np.ndarray, truth: float
) -> tuple[list[float], float]:
    """2.5/50/97.5% quantiles and P(N <= truth) of a density known on a grid (trapezoids)."""
    keep = np.isfinite(log_density)
    points, values = grid[keep], np.exp(log_density[keep] - log_density[keep].max())
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (values[1:] + values[:-1]) * np.diff(points))])
    cdf /= cdf[-1]
    return [float(np.interp(p, cdf, points)) for p in (0.025, 0.5, 0.975)], float(
        np.interp(truth, points, cdf)
    )


def section_heterogeneity(replicates: list[int]) -> None:
    from bench.estimation_coverage import POPULATION, SCENARIOS, simulate_table

    print("\n## 4. Heterogeneous scenario: the likelihood cannot bound N, the prior does\n")
    print(
        "| rep | n | 2-class deviance at N = 8k / 10k / 15k / 30k | posterior of N: 2.5/50/97.5%, "
        "P(N <= 10,000) | CPU s |"
    )
    print("|---|---|---|---|---|")
    grid = np.unique(np.round(np.geomspace(6_500, 60_000, 40)))
    for replicate in replicates:
        started = time.process_time()
        rng = np.random.default_rng([2026, replicate, SCENARIOS.index("heterogeneous")])
        table = simulate_table("heterogeneous", rng)
        curves = two_class_posteriors(table.patterns, table.counts, grid)
        deviance = -2.0 * (curves["profile x 1/N"] + np.log(grid))
        deviance -= deviance.min()
        at = " / ".join(f"{np.interp(v, grid, deviance):.1f}" for v in (8e3, 1e4, 1.5e4, 3e4))
        lines = []
        for name, curve in curves.items():
            q, below = grid_quantiles(grid, curve, POPULATION)
            lines.append(f"{name}: {q[0]:,.0f} / {q[1]:,.0f} / {q[2]:,.0f}, {below:.2f}")
        fit = LcmcrEstimator(seed=2026 + replicate).fit(table)
        lines.append(
            f"lcmcr default run: {fit.lower:,.0f} / {fit.estimate:,.0f} / {fit.upper:,.0f}"
        )
        print(
            f"| {replicate} | {table.n_observed:,} | {at} | {'<br>'.join(lines)} "
            f"| {time.process_time() - started:.0f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer draws (smoke run)")
    parser.add_argument("--section", type=int, choices=(1, 2, 3, 4), help="run one section only")
    parser.add_argument(
        "--replicates", default="0,2,19", help="section 4: replicates of the heterogeneous scenario"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of section 2's runs")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    started, cpu = time.perf_counter(), time.process_time()
    if args.section in (None, 1):
        section_exact(args.quick)
    if args.section in (None, 2):
        section_variants(args.quick, args.seed)
    if args.section in (None, 3):
        section_long(args.quick)
    if args.section in (None, 4):
        section_heterogeneity([int(r) for r in args.replicates.split(",")])
    print(
        f"\nwall {time.perf_counter() - started:.0f} s, CPU {time.process_time() - cpu:.0f} s, "
        f"load average at end: {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
