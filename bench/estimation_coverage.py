"""Simulation study: bias and 95% coverage of the Bayesian and log-linear estimators, known N.

Three scenarios with N = 10,000 people and 4 lists, as in issue 6:

* ``independent``: every person has the same capture probability on each list;
* ``heterogeneous``: two latent classes (30% of people far more visible on every list);
* ``heterogeneous+dependent``: the same, and list B copies 40% of list A's records.

Each replicate draws a fresh population, aggregates it into a capture-history table and runs
every estimator on it. Results go to a JSON-lines file as they come (so a long run can be
stopped and summarised), then ``--summarise`` prints bias, RMSE, coverage and interval width.

Usage::

    .venv/bin/python bench/estimation_coverage.py --replicates 200 --out coverage.jsonl
    .venv/bin/python bench/estimation_coverage.py --summarise coverage.jsonl
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from sijill.estimation.dga import DgaEstimator
from sijill.estimation.lcmcr import LcmcrEstimator
from sijill.estimation.table import CaptureHistory

POPULATION = 10_000
LISTS = ("A", "B", "C", "D")


def simulate_table(scenario: str, rng: np.random.Generator) -> CaptureHistory:
    """One capture-history table of a scenario (our own small simulator, people x lists)."""
    if scenario == "independent":
        probability = np.tile([0.25, 0.20, 0.30, 0.15], (POPULATION, 1))
    else:
        visible = rng.random(POPULATION) < 0.30
        probability = np.where(
            visible[:, None],
            np.array([0.55, 0.45, 0.60, 0.40])[None, :],
            np.array([0.10, 0.08, 0.12, 0.06])[None, :],
        )
    captured = rng.random(probability.shape) < probability
    if scenario == "heterogeneous+dependent":
        copies = captured[:, 0] & (rng.random(POPULATION) < 0.40)
        captured[:, 1] |= copies
    seen = captured.any(axis=1)
    codes = captured[seen].astype(np.int64) @ (1 << np.arange(len(LISTS) - 1, -1, -1))
    counts = np.bincount(codes, minlength=1 << len(LISTS))[1:]
    patterns = (np.arange(1, 1 << len(LISTS))[:, None] >> np.arange(len(LISTS) - 1, -1, -1)) & 1
    return CaptureHistory(LISTS, patterns.astype(np.int8), counts.astype(np.int64))


def estimators(seed: int) -> dict[str, Callable[[CaptureHistory], Any]]:
    """The estimators compared; log-linear ones only if that module is present."""
    found: dict[str, Callable[[CaptureHistory], Any]] = {
        # Shorter chains than the default to afford hundreds of replicates (see the results).
        "lcmcr": LcmcrEstimator(burn_in=4000, samples=2000, thin=3, chains=2, seed=seed).fit,
        "dga": DgaEstimator(sensitivity_delta=None).fit,
    }
    try:
        from sijill.estimation.loglinear import LogLinearAveragedEstimator, LogLinearEstimator
    except ImportError:
        return found
    found["loglinear-aic"] = LogLinearEstimator(criterion="aic").fit
    found["loglinear-averaged"] = LogLinearAveragedEstimator().fit
    return found


def run(replicates: int, out: Path, seed: int) -> None:
    """Append one JSON line per (replicate, scenario, estimator) to ``out``."""
    scenarios = ("independent", "heterogeneous", "heterogeneous+dependent")
    done = set()
    if out.exists():
        for line in out.read_text().splitlines():
            row = json.loads(line)
            done.add((row["replicate"], row["scenario"], row["estimator"]))
    with out.open("a") as sink:
        for replicate in range(replicates):
            for scenario in scenarios:
                rng = np.random.default_rng([seed, replicate, scenarios.index(scenario)])
                table = simulate_table(scenario, rng)
                for name, fit in estimators(seed + replicate).items():
                    if (replicate, scenario, name) in done:
                        continue
                    started = time.perf_counter()
                    try:
                        result = fit(table)
                        row = {
                            "estimate": result.estimate,
                            "lower": result.lower,
                            "upper": result.upper,
                            "warnings": len(result.warnings),
                        }
                    except Exception as exc:  # a failed fit is a result of the study too
                        row = {"error": f"{type(exc).__name__}: {exc}"}
                    row |= {
                        "replicate": replicate,
                        "scenario": scenario,
                        "estimator": name,
                        "n_observed": table.n_observed,
                        "seconds": time.perf_counter() - started,
                    }
                    sink.write(json.dumps(row) + "\n")
                    sink.flush()


def summarise(path: Path) -> str:
    """A markdown table: replicates, median estimate, relative bias, RMSE, coverage, width."""
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    keys = sorted({(r["scenario"], r["estimator"]) for r in rows})
    lines = [
        "| scenario | estimator | reps | failed | mean N̂ | rel. bias | rel. RMSE | 95% coverage "
        "| median width | median s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scenario, name in keys:
        group = [r for r in rows if r["scenario"] == scenario and r["estimator"] == name]
        ok = [r for r in group if "error" not in r]
        if not ok:
            lines.append(f"| {scenario} | {name} | {len(group)} | {len(group)} | | | | | | |")
            continue
        est = np.array([r["estimate"] for r in ok])
        lower = np.array([r["lower"] for r in ok])
        upper = np.array([r["upper"] for r in ok])
        covered = np.mean((lower <= POPULATION) & (upper >= POPULATION))
        bias = (est.mean() - POPULATION) / POPULATION
        rmse = np.sqrt(np.mean((est - POPULATION) ** 2)) / POPULATION
        width = np.median(upper - lower)
        seconds = np.median([r["seconds"] for r in ok])
        lines.append(
            f"| {scenario} | {name} | {len(group)} | {len(group) - len(ok)} | {est.mean():,.0f} "
            f"| {bias:+.1%} | {rmse:.1%} | {covered:.0%} | {width:,.0f} | {seconds:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("coverage.jsonl"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--summarise", type=Path, help="print the summary of a results file")
    args = parser.parse_args()
    if args.summarise:
        print(summarise(args.summarise))
        return
    run(args.replicates, args.out, args.seed)
    print(summarise(args.out))


if __name__ == "__main__":
    main()
