"""Simulation study: bias and 95% coverage of the Bayesian and log-linear estimators, known N.

Three scenarios with N = 10,000 people and 4 lists, as in issue 6:

* ``independent``: every person has the same capture probability on each list;
* ``heterogeneous``: two latent classes (30% of people far more visible on every list);
* ``heterogeneous+dependent``: the same, and list B copies 40% of list A's records.

Each replicate draws a fresh population, aggregates it into a capture-history table and runs
every estimator on it. Results go to a JSON-lines file as they come (so a long run can be
stopped and summarised), then ``--summarise`` prints bias, RMSE, coverage and interval width.

lcmcr runs at the settings a user gets (``LcmcrEstimator()`` defaults: 4 chains x (20,000 burn-in
+ 5,000 x thin 10) sweeps); an earlier run used 2 x (4,000 + 2,000 x 3) and lost coverage to
Monte-Carlo error in the upper tail (bench/RESULTS-estimation-bayes.md). ``--chains-study``
compares chain lengths on the first replicates of one scenario.

The summary also reports how often the lcmcr / loglinear-averaged cross-check
(``sijill.estimation.cross_check``) fires per scenario, and the coverage of the interval a user
following it would quote.

Usage::

    .venv/bin/python bench/estimation_coverage.py --replicates 200 --out coverage.jsonl
    .venv/bin/python bench/estimation_coverage.py --estimators lcmcr,loglinear-averaged \
        --start 100 --replicates 200 --out part2.jsonl      # a second process, replicates 100-199
    .venv/bin/python bench/estimation_coverage.py --summarise coverage.jsonl part2.jsonl
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from sijill.estimation.base import EstimationResult
from sijill.estimation.cross_check import REFERENCE_METHOD, compare_estimates
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
        "lcmcr": LcmcrEstimator(seed=seed).fit,
        "dga": DgaEstimator(sensitivity_delta=None).fit,
    }
    try:
        from sijill.estimation.loglinear import LogLinearAveragedEstimator, LogLinearEstimator
    except ImportError:
        return found
    found["loglinear-aic"] = LogLinearEstimator(criterion="aic").fit
    found["loglinear-averaged"] = LogLinearAveragedEstimator().fit
    return found


SCENARIOS = ("independent", "heterogeneous", "heterogeneous+dependent")


def run(
    replicates: int,
    out: Path,
    seed: int,
    start: int = 0,
    only: set[str] | None = None,
    scenarios: tuple[str, ...] = SCENARIOS,
) -> None:
    """Append one JSON line per (replicate, scenario, estimator) to ``out``.

    Replicates ``start`` to ``replicates - 1``; ``only`` restricts the estimators by name and
    ``scenarios`` the scenarios (a replicate's table depends only on the seed, the replicate and
    the scenario, so runs split this way add up to the full study).
    """
    done = set()
    if out.exists():
        for line in out.read_text().splitlines():
            row = json.loads(line)
            done.add((row["replicate"], row["scenario"], row["estimator"]))
    with out.open("a") as sink:
        for replicate in range(start, replicates):
            for scenario in scenarios:
                rng = np.random.default_rng([seed, replicate, SCENARIOS.index(scenario)])
                table = simulate_table(scenario, rng)
                for name, fit in estimators(seed + replicate).items():
                    if (replicate, scenario, name) in done or (only and name not in only):
                        continue
                    started = time.perf_counter()
                    cpu_started = time.process_time()
                    try:
                        result = fit(table)
                        row = {
                            "estimate": result.estimate,
                            "lower": result.lower,
                            "upper": result.upper,
                            "warnings": len(result.warnings),
                            "rhat": result.diagnostics.get("rhat_N"),
                            "ess": result.diagnostics.get("ess_N"),
                        }
                    except Exception as exc:  # a failed fit is a result of the study too
                        row = {"error": f"{type(exc).__name__}: {exc}"}
                    row |= {
                        "replicate": replicate,
                        "scenario": scenario,
                        "estimator": name,
                        "n_observed": table.n_observed,
                        "seconds": time.perf_counter() - started,
                        "cpu_seconds": time.process_time() - cpu_started,
                    }
                    sink.write(json.dumps(row) + "\n")
                    sink.flush()


def load_rows(*paths: Path) -> list[dict[str, Any]]:
    """The rows of one or more results files."""
    return [json.loads(line) for path in paths for line in path.read_text().splitlines()]


def summarise(*paths: Path) -> str:
    """A markdown table: replicates, median estimate, relative bias, RMSE, coverage, width."""
    rows = load_rows(*paths)
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
    return "\n".join([*lines, "", cross_check_table(rows)])


def _result(row: dict[str, Any]) -> EstimationResult:
    return EstimationResult(
        row["estimator"], row["estimate"], row["lower"], row["upper"], 0.95, row["n_observed"]
    )


def cross_check_table(rows: list[dict[str, Any]]) -> str:
    """Per scenario: how often the lcmcr cross-check fires, and the coverage of what to quote.

    Rules compared on the replicates where both lcmcr and the reference ran: lcmcr alone; the
    span of both intervals when the cross-check fires (the reference's estimate outside lcmcr's
    interval), else lcmcr's; and the span always.
    """
    fits = {(r["scenario"], r["replicate"], r["estimator"]): r for r in rows if "error" not in r}
    lines = [
        "| scenario | paired reps | fires (outside) | intervals disjoint | lcmcr coverage / width "
        "| span when it fires: coverage / width | span always: coverage / width |",
        "|---|---|---|---|---|---|---|",
    ]
    for scenario in SCENARIOS:
        pairs = [
            (row, fits[(scenario, replicate, REFERENCE_METHOD)])
            for (name_scenario, replicate, name), row in sorted(fits.items())
            if name_scenario == scenario
            and name == "lcmcr"
            and (scenario, replicate, REFERENCE_METHOD) in fits
        ]
        if not pairs:
            continue
        checks = [compare_estimates(_result(a), _result(b)) for a, b in pairs]
        fired = np.array([c.outside for c in checks])
        disjoint = np.array([c.disjoint for c in checks])
        alone = np.array([(a["lower"], a["upper"]) for a, _ in pairs])
        span = np.array([(c.lower, c.upper) for c in checks])
        when = np.where(fired[:, None], span, alone)

        def cover(bounds: np.ndarray) -> str:
            inside = np.mean((bounds[:, 0] <= POPULATION) & (bounds[:, 1] >= POPULATION))
            return f"{inside:.0%} / {np.median(bounds[:, 1] - bounds[:, 0]):,.0f}"

        lines.append(
            f"| {scenario} | {len(pairs)} | {fired.mean():.0%} | {disjoint.mean():.0%} "
            f"| {cover(alone)} | {cover(when)} | {cover(span)} |"
        )
    return "\n".join(lines)


#: Chain settings compared by ``--chains-study``: the first study's, the defaults, and 7x longer.
CHAIN_SETTINGS: dict[str, dict[str, Any]] = {
    "short (first study)": {"burn_in": 4_000, "samples": 2_000, "thin": 3, "chains": 2},
    "default": {},
    "long": {"burn_in": 100_000, "samples": 10_000, "thin": 40, "chains": 4},
}


def chains_study(replicates: int, scenario: str, seed: int) -> str:
    """lcmcr at each of ``CHAIN_SETTINGS`` on the first replicates of a scenario: a table.

    Same tables and seeds as the coverage study, so the default row repeats its first rows.
    """
    from sijill.estimation.diagnostics import effective_sample_size, split_rhat

    lines = [
        "| chains | reps | mean N̂ | rel. bias | coverage | median width | median upper "
        "| R-hat median (max) | ESS median | CPU s per fit |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, settings in CHAIN_SETTINGS.items():
        fits = []
        for replicate in range(replicates):
            rng = np.random.default_rng([seed, replicate, SCENARIOS.index(scenario)])
            table = simulate_table(scenario, rng)
            cpu = time.process_time()
            draws, _ = LcmcrEstimator(seed=seed + replicate, **settings).sample_population(table)
            flat = draws.ravel()
            fits.append(
                (
                    float(np.median(flat)),
                    float(np.quantile(flat, 0.025)),
                    float(np.quantile(flat, 0.975)),
                    split_rhat(draws),
                    effective_sample_size(draws),
                    time.process_time() - cpu,
                )
            )
        est, lower, upper, rhat, ess, cpu_s = np.array(fits).T
        covered = np.mean((lower <= POPULATION) & (upper >= POPULATION))
        lines.append(
            f"| {label} | {replicates} | {est.mean():,.0f} | {est.mean() / POPULATION - 1:+.1%} "
            f"| {covered:.0%} | {np.median(upper - lower):,.0f} | {np.median(upper):,.0f} "
            f"| {np.median(rhat):.3f} ({rhat.max():.3f}) | {np.median(ess):.0f} "
            f"| {np.median(cpu_s):.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("coverage.jsonl"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--start", type=int, default=0, help="first replicate to run")
    parser.add_argument("--estimators", help="comma-separated names to run (default: all)")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="comma-separated scenarios to run"
    )
    parser.add_argument(
        "--summarise", type=Path, nargs="+", help="print the summary of results files"
    )
    parser.add_argument(
        "--chains-study",
        type=int,
        metavar="REPS",
        help="compare lcmcr chain lengths on the first REPS replicates of --scenarios' first",
    )
    args = parser.parse_args()
    if args.chains_study:
        print(chains_study(args.chains_study, args.scenarios.split(",")[0], args.seed))
        return
    if args.summarise:
        print(summarise(*args.summarise))
        return
    only = set(args.estimators.split(",")) if args.estimators else None
    scenarios = tuple(args.scenarios.split(","))
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; use {', '.join(SCENARIOS)}")
    run(args.replicates, args.out, args.seed, args.start, only, scenarios)
    print(summarise(args.out))


if __name__ == "__main__":
    main()
