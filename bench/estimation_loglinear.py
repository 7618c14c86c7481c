"""Times the hierarchical log-linear search against Rcapture's closedpMS.t and a numpy baseline.

Wall time and CPU time (``time.process_time``, all threads: numba runs the models in parallel)
are both printed, with the load average, since the machine is shared.

Run: .venv/bin/python bench/estimation_loglinear.py  (prints the figures; nothing is asserted)
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

from sijill.estimation.closed_models import fit_standard_models
from sijill.estimation.glm import fit_poisson
from sijill.estimation.hierarchical import design_for, enumerate_models, fit_all_models
from sijill.estimation.loglinear import LogLinearEstimator
from sijill.estimation.table import CaptureHistory

MSE = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"
REPEATS = 7


def timed(action: object, repeats: int = REPEATS) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``repeats`` calls."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()  # type: ignore[operator]
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def numpy_baseline(table: CaptureHistory) -> int:
    """Every model fitted one by one with the plain numpy IRLS (no compilation, no batching)."""
    counts = table.full_counts()
    fitted = 0
    for terms in enumerate_models(table.n_lists):
        design, _zero = design_for(terms, table.n_lists)
        fit_poisson(design, counts)
        fitted += 1
    return fitted


def main() -> None:
    reference = json.loads((MSE / "reference.json").read_text())
    r_speed = {row["dataset"]: row for row in reference["speed"]["rcapture"]}
    # closedpMS.t's own search time on tables without a speed entry (its reference runs).
    runtime = {
        row["dataset"]: row["extra"]["model_search_runtime_s"]
        for row in reference["estimates"]
        if "model_search_runtime_s" in row.get("extra", {})
    }
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}"
    )
    for dataset in ("kosovo_1999", "dga_example_MY1997_5list", "rcapture_mvole_period3"):
        table = CaptureHistory.from_csv(MSE / f"{dataset}.csv")
        n_models = len(enumerate_models(table.n_lists))
        start = time.perf_counter()
        fit_all_models(table)
        first = time.perf_counter() - start
        search, search_cpu = timed(lambda t=table: fit_all_models(t))
        full, full_cpu = timed(lambda t=table: LogLinearEstimator().fit(t))
        standard, _standard_cpu = timed(lambda t=table: fit_standard_models(t))
        baseline, baseline_cpu = timed(lambda t=table: numpy_baseline(t), repeats=1)
        flagged = fit_all_models(table)
        r_search = r_speed.get(dataset, {}).get("closedpMS_t_s") or runtime.get(dataset)
        r_standard = r_speed.get(dataset, {}).get("closedp_t_median_s")
        print(f"\n{dataset}: {table.n_lists} lists, {n_models} hierarchical models")
        print(f"  first search in this process (numba compile or cache load): {first:.3f} s")
        print(
            f"  search, median of {REPEATS}: {search:.3f} s wall, {search_cpu:.3f} s CPU "
            f"({n_models / search:,.0f} models/s, {n_models / search_cpu:,.0f} per CPU second)"
        )
        print(
            f"  clean fits (R's infoFit 0): {int(flagged.ok.sum())} of {n_models}; "
            f"AIC pick {flagged.name(flagged.best('aic'))}, BIC pick "
            f"{flagged.name(flagged.best('bic'))}"
        )
        print(
            "  search + AIC selection + profile interval (LogLinearEstimator): "
            f"{full:.3f} s wall, {full_cpu:.3f} s CPU"
        )
        print(
            f"  numpy baseline, one model at a time: {baseline:.3f} s wall, "
            f"{baseline_cpu:.3f} s CPU (compiled batch is {baseline / search:.1f}x faster, "
            f"{baseline_cpu / search_cpu:.1f}x per CPU second)"
        )
        if r_search:
            print(
                f"  R closedpMS.t: {r_search:.3f} s -> Sijill search is {r_search / search:.1f}x "
                f"faster; full estimator {r_search / full:.1f}x"
            )
        if r_standard:
            print(
                f"  12 standard models: {standard:.4f} s (R closedp.t {r_standard:.3f} s, "
                f"ratio {r_standard / standard:.1f}x)"
            )


if __name__ == "__main__":
    main()
