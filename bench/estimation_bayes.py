"""Speed and agreement of the LCMCR and dga estimators against R's figures in reference.json.

Prints markdown tables:

1. LCMCR sweeps per second on Kosovo with K = 10 (one chain in one thread, and four chains in
   parallel threads), for the paper's plain data-augmentation scheme (our baseline, same run)
   and our default scheme with the collapsed move, against R LCMCR's ~93,000/s;
2. effective draws of N per second (default settings, several seeds) against R's;
3. LCMCR posterior median and 95% interval on every table against R's pooled five seeds;
4. dga on every table (both priors) against R's dga, and dga timings at R's grid sizes.

Speeds are per chain per CPU second (``time.process_time``, all threads) beside wall-clock
figures with the default four chains in two threads; R's figures are one chain in one process.

Usage: ``.venv/bin/python bench/estimation_bayes.py [--quick] [--only speed,ess,dga,agreement]``
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from sijill.estimation.dga import DgaEstimator, missing_count_posterior
from sijill.estimation.diagnostics import effective_sample_size
from sijill.estimation.lcmcr import LcmcrEstimator, independence_start
from sijill.estimation.lcmcr_random import seed_state
from sijill.estimation.lcmcr_sampler import run_chain
from sijill.estimation.table import CaptureHistory

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"


def reference() -> dict[str, Any]:
    return dict(json.loads((DATA / "reference.json").read_text()))


def table(name: str) -> CaptureHistory:
    return CaptureHistory.from_csv(DATA / f"{name}.csv")


def sweeps_per_second(
    data: CaptureHistory, collapsed: bool, sweeps: int, reps: int
) -> tuple[float, float]:
    """One chain's sweeps per wall second and per CPU second (medians over ``reps``).

    On a shared machine the CPU rate is the fair one: wall time also counts the time other
    users' processes held the cores.
    """
    patterns = np.ascontiguousarray(data.patterns, dtype=np.int8)
    counts = np.ascontiguousarray(data.counts, dtype=np.int64)
    rates, unobserved = independence_start(data)
    args = (10, 0.25, 0.25)
    run_chain(seed_state(1, 0), patterns, counts, *args, 10, 10, 1, 10**9, collapsed, rates, 0)
    timings, cpu = [], []
    for rep in range(reps):
        started, cpu_started = time.perf_counter(), time.process_time()
        run_chain(
            seed_state(rep, 0),
            patterns,
            counts,
            *args,
            0,
            sweeps,
            1,
            10**9,
            collapsed,
            rates,
            unobserved,
        )
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return sweeps / float(np.median(timings)), sweeps / float(np.median(cpu))


def lcmcr_speed(ref: dict[str, Any], quick: bool) -> None:
    kosovo = table("kosovo_1999")
    r_speed = ref["speed"]["lcmcr_kosovo_K10"]["iter_per_sec_median"]
    sweeps = 20_000 if quick else 100_000
    print(f"\n## LCMCR sweeps per second, Kosovo, K = 10 (R LCMCR: {r_speed:,.0f}/s)\n")
    print(
        "| scheme | 1 chain: sweeps/wall-s | per CPU-s | x R (CPU) | 4 chains in 2 threads: "
        "sweeps/wall-s | per CPU-s |"
    )
    print("|---|---|---|---|---|---|")
    for collapsed in (False, True):
        single, single_cpu = sweeps_per_second(kosovo, collapsed, sweeps, 3)
        estimator = LcmcrEstimator(
            burn_in=0, samples=sweeps // 4, thin=1, chains=4, collapsed_update=collapsed
        )
        cpu_started = time.process_time()
        _, figures = estimator.sample_population(kosovo)
        cpu = time.process_time() - cpu_started
        parallel = figures["sweeps"] / figures["runtime_s"]
        label = "collapsed move (default)" if collapsed else "plain (paper's scheme)"
        print(
            f"| {label} | {single:,.0f} | {single_cpu:,.0f} | {single_cpu / r_speed:.2f} "
            f"| {parallel:,.0f} | {figures['sweeps'] / cpu:,.0f} |"
        )


def lcmcr_ess(ref: dict[str, Any], quick: bool) -> None:
    kosovo = table("kosovo_1999")
    pooled = next(
        e
        for e in ref["estimates"]
        if e["dataset"] == "kosovo_1999" and e["variant"].endswith("thin10_pooled_5_seeds")
    )
    per_seed = pooled["extra"]["per_seed"]
    r_rate = float(np.mean([p["ess_N"] / p["runtime_s"] for p in per_seed]))
    r_ess = float(np.mean([p["ess_N"] for p in per_seed]))
    print(
        f"\n## Effective draws of N per second, Kosovo (R LCMCR: ESS {r_ess:.0f} per run of "
        f"110,000 sweeps, {r_rate:.0f} ESS/s)\n"
    )
    print(
        "| scheme | seed | sweeps | wall s | CPU s | ESS(N) | ESS per CPU-s | x R (CPU) "
        "| ESS per wall-s (2 threads) | median | 2.5% | 97.5% |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    seeds = (1, 2) if quick else (1, 2, 3, 4)
    for collapsed in (False, True):
        for seed in seeds:
            estimator = LcmcrEstimator(seed=seed, collapsed_update=collapsed)
            cpu_started = time.process_time()
            draws, figures = estimator.sample_population(kosovo)
            cpu = time.process_time() - cpu_started
            ess = effective_sample_size(draws)
            rate = ess / cpu
            flat = draws.ravel()
            label = "collapsed" if collapsed else "plain"
            wall_rate = ess / figures["runtime_s"]
            print(
                f"| {label} | {seed} | {figures['sweeps']:,} | {figures['runtime_s']:.2f} "
                f"| {cpu:.2f} | {ess:.0f} | {rate:.0f} | {rate / r_rate:.2f} | {wall_rate:.0f} "
                f"| {np.median(flat):,.0f} | {np.quantile(flat, 0.025):,.0f} "
                f"| {np.quantile(flat, 0.975):,.0f} |"
            )


def lcmcr_agreement(ref: dict[str, Any], quick: bool) -> None:
    print("\n## LCMCR against R's pooled five seeds (default settings, seed 1)\n")
    print(
        "| table | n | R median [95%] | R seed SD (med/lo/hi) | ours median [95%] | "
        "diff median / lo / hi (in R seed SDs) | R-hat | ESS |"
    )
    print("|---|---|---|---|---|---|---|---|")
    entries = [
        e
        for e in ref["estimates"]
        if e["method"] == "LCMCR"
        and e["variant"] == "K10_burn10k_10k_samples_thin10_pooled_5_seeds"
    ]
    for entry in entries[:4] if quick else entries:
        data = table(entry["dataset"])
        result = LcmcrEstimator(seed=1).fit(data)
        per_seed = entry["extra"]["per_seed"]
        sds = [float(np.std([p[k] for p in per_seed], ddof=1)) for k in ("median", "q025", "q975")]
        ours = (result.estimate, result.lower, result.upper)
        theirs = (entry["point_estimate"]["value"], entry["interval"]["lower"])
        theirs += (entry["interval"]["upper"],)
        diffs = " / ".join(
            f"{o - t:+,.0f} ({(o - t) / s:+.1f})" if s > 0 else f"{o - t:+,.0f}"
            for o, t, s in zip(ours, theirs, sds, strict=True)
        )
        print(
            f"| {entry['dataset']} | {data.n_observed:,} | {theirs[0]:,.0f} [{theirs[1]:,.0f}, "
            f"{theirs[2]:,.0f}] | {sds[0]:.1f} / {sds[1]:.1f} / {sds[2]:.1f} | "
            f"{ours[0]:,.0f} [{ours[1]:,.0f}, {ours[2]:,.0f}] | {diffs} "
            f"| {result.diagnostics['rhat_N']:.3f} | {result.diagnostics['ess_N']:.0f} |"
        )


def dga_agreement(ref: dict[str, Any]) -> None:
    print("\n## dga against R's dga 2.0.2 (exact grid posterior)\n")
    print("| table | delta | R median [95%] | ours median [95%] | max rel. diff | seconds |")
    print("|---|---|---|---|---|---|")
    for entry in ref["estimates"]:
        if entry["method"] != "dga::bma.cr" or entry["variant"] == "documented_example":
            continue
        data = table(entry["dataset"])
        delta = entry["settings"]["delta"]
        started = time.perf_counter()
        result = DgaEstimator(delta=delta, sensitivity_delta=None).fit(data)
        seconds = time.perf_counter() - started
        theirs = (
            entry["point_estimate"]["value"],
            entry["interval"]["lower"],
            entry["interval"]["upper"],
        )
        ours = (result.estimate, result.lower, result.upper)
        worst = max(abs(o - t) / t for o, t in zip(ours, theirs, strict=True))
        print(
            f"| {entry['dataset']} | {delta:g} | {theirs[0]:,} [{theirs[1]:,}, {theirs[2]:,}] "
            f"| {ours[0]:,.0f} [{ours[1]:,.0f}, {ours[2]:,.0f}] | {worst:.2%} | {seconds:.3f} |"
        )


def dga_speed(ref: dict[str, Any]) -> None:
    print("\n## dga time at R's grid sizes (all decomposable graphs, delta = 2^-J)\n")
    print("| table | lists | graphs | grid | R seconds | ours wall s | ours CPU s | x R (CPU) |")
    print("|---|---|---|---|---|---|---|---|")
    for row in ref["speed"]["dga"]:
        data = table(row["dataset"])
        grid = row["grid_size"]
        delta = 2.0 ** (-data.n_lists)
        missing_count_posterior(data, delta, 100, 100)
        timings, cpu = [], []
        for _ in range(5):
            started, cpu_started = time.perf_counter(), time.process_time()
            missing_count_posterior(data, delta, grid, grid - 1)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        wall, ours = float(np.median(timings)), float(np.median(cpu))
        r_seconds = row["median_s"]
        ratio = f"{r_seconds / ours:.1f}" if r_seconds > 0 else "R < 1 ms"
        print(
            f"| {row['dataset']} | {row['J']} | {row['n_graphs']} | {grid:,} | {r_seconds:.3f} "
            f"| {wall:.3f} | {ours:.3f} | {ratio} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer seeds, tables and sweeps")
    parser.add_argument(
        "--only",
        default="speed,ess,dga,agreement",
        help="comma-separated sections to run (speed, ess, dga, agreement)",
    )
    args = parser.parse_args()
    sections = set(args.only.split(","))
    ref = reference()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if "speed" in sections:
        lcmcr_speed(ref, args.quick)
    if "ess" in sections:
        lcmcr_ess(ref, args.quick)
    if "dga" in sections:
        dga_speed(ref)
        dga_agreement(ref)
    if "agreement" in sections:
        lcmcr_agreement(ref, args.quick)
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
