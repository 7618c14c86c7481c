"""Times the hierarchical log-linear search against Rcapture's closedpMS.t and a numpy baseline.

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


def timed(action: object, repeats: int = REPEATS) -> list[float]:
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        seconds.append(time.perf_counter() - start)
    return seconds


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
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}"
    )
    for dataset in ("kosovo_1999", "dga_example_MY1997_5list"):
        table = CaptureHistory.from_csv(MSE / f"{dataset}.csv")
        n_models = len(enumerate_models(table.n_lists))
        start = time.perf_counter()
        fit_all_models(table)
        first = time.perf_counter() - start
        search = statistics.median(timed(lambda t=table: fit_all_models(t)))
        full = statistics.median(timed(lambda t=table: LogLinearEstimator().fit(t)))
        standard = statistics.median(timed(lambda t=table: fit_standard_models(t)))
        start = time.perf_counter()
        numpy_baseline(table)
        baseline = time.perf_counter() - start
        r_search = r_speed[dataset].get("closedpMS_t_s")
        r_standard = r_speed[dataset]["closedp_t_median_s"]
        print(f"\n{dataset}: {table.n_lists} lists, {n_models} hierarchical models")
        print(f"  first search in this process (numba compile or cache load): {first:.3f} s")
        print(f"  search, median of {REPEATS}: {search:.3f} s ({n_models / search:,.0f} models/s)")
        print(f"  search + AIC selection + profile interval (LogLinearEstimator): {full:.3f} s")
        print(
            f"  numpy baseline, one model at a time: {baseline:.3f} s "
            f"(compiled batch is {baseline / search:.1f}x faster)"
        )
        if r_search:
            print(
                f"  R closedpMS.t: {r_search:.3f} s -> Sijill search is {r_search / search:.1f}x "
                f"faster; full estimator {r_search / full:.1f}x"
            )
        print(
            f"  12 standard models: {standard:.4f} s (R closedp.t {r_standard:.3f} s, "
            f"ratio {r_standard / standard:.1f}x)"
        )


if __name__ == "__main__":
    main()
