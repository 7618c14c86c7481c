"""Time `sijill simulate`: 200,000 people x 4 lists (realistic preset) against baselines in the same run.

Baselines: the `easy` preset at the same size (no recording noise, CSV only), and pandas writing
the same list tables as plain UTF-8 CSV (the floor for writing these rows). Prints one line per
phase; run with `.venv/bin/python bench/simulate_speed.py [--people N] [--lists K]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from sijill.simulate import preset_config, simulate, write_simulation


def _run(preset: str, people: int, lists: int, seed: int, out: Path) -> dict[str, float]:
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    result = simulate(
        preset_config(preset, people=people, lists=lists, seed=seed),
        progress=lambda msg: marks.append((msg, time.perf_counter())),
    )
    simulated = time.perf_counter()
    write_simulation(result, out / preset)
    written = time.perf_counter()
    phases = {}
    for (name, t0), (_, t1) in zip(marks, [*marks[1:], ("end", simulated)], strict=True):
        phases[name] = t1 - t0
    floor_start = time.perf_counter()
    for name, table in result.lists.items():
        table.to_csv(out / f"{preset}-{name}-plain.csv", index=False)
    floor = time.perf_counter() - floor_start
    return {
        "records": float(len(result.truth)),
        "observed": float(result.observed_n),
        "simulate_s": simulated - start,
        "write_s": written - simulated,
        "total_s": written - start,
        "plain_csv_floor_s": floor,
        **{f"phase {k} s": v for k, v in phases.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--lists", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        for preset in ("easy", "realistic", "hard"):
            figures = _run(preset, args.people, args.lists, args.seed, Path(tmp))
            print(f"\n{preset}: {args.people} people x {args.lists} lists")
            for key, value in figures.items():
                print(f"  {key:28s} {value:12.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak:.0f} MiB")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
