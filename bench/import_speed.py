"""Benchmark of `import_list`: rows/s importing ~230,000 simulated records (4 lists) into SQLite.

Run: .venv/bin/python bench/import_speed.py [--people N] [--seed S] [--profile]
Simulates the `realistic` preset (Arabic and Latin names, full-name columns, UTF-8/BOM/cp1256
CSV and XLSX, Arabic or English headers), then imports each list through the service, all or
nothing, in a fresh SQLite workspace. Baseline in the same run: pandas.read_csv + to_sql of the
same CSV files with no parsing at all (the floor for loading the bytes into SQLite).
Prints seconds and rows/s per list and in total, and the peak resident memory.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

import pandas as pd

from sijill.services import lists
from sijill.services.session import open_session
from sijill.simulate import preset_config, simulate, write_simulation
from sijill.vault.keys import KdfParams
from sijill.workspace import init_workspace

_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)


def _baseline(files: list[tuple[dict[str, str], Path]], out: Path) -> tuple[float, float]:
    """pandas.read_csv + to_sql of the CSV lists (XLSX via read_excel): no parsing, no checks.

    Returns wall-clock and CPU seconds.
    """
    start, cpu = time.perf_counter(), time.process_time()
    with sqlite3.connect(out) as conn:
        for lst, path in files:
            if lst["format"] == "xlsx":
                frame = pd.read_excel(path, dtype=str)
            else:
                frame = pd.read_csv(path, dtype=str, sep=lst["delimiter"], encoding=lst["encoding"])
            frame.to_sql(lst["name"], conn, index=False)
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    """Simulate, import, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=180_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        result = simulate(preset_config("realistic", people=args.people, lists=4, seed=args.seed))
        write_simulation(result, root / "sim")
        config = json.loads((root / "sim" / "config.json").read_text("utf-8"))
        files = [(lst, root / "sim" / lst["file"]) for lst in config["lists"]]
        print(f"simulated {config['records']:,} records in {time.perf_counter() - start:.1f} s")
        print(f"machine: {platform.machine()}, Python {platform.python_version()}")

        base = _baseline(files, root / "baseline.db")
        ws, _ = init_workspace(
            root / "ws", passphrase="bench passphrase only", admin="bench", kdf=_KDF
        )
        profiler = cProfile.Profile() if args.profile else None
        total_rows, total_time, total_cpu = 0, 0.0, 0.0
        for lst, path in files:
            start, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            with open_session(ws, "bench") as s:
                report = lists.import_list(s, path, lst["name"])
            if profiler:
                profiler.disable()
            took, cpu = time.perf_counter() - start, time.process_time() - cpu
            total_rows += report.rows
            total_time += took
            total_cpu += cpu
            print(
                f"list {lst['name']}: {report.rows:>7,} rows, {lst['format']}"
                f"{'/' + lst['encoding'] if lst['encoding'] else ''}, "
                f"wall {took:6.2f} s ({report.rows / took:>7,.0f} rows/s), "
                f"CPU {cpu:6.2f} s ({report.rows / cpu:>7,.0f} rows/s)"
            )
        ws.close()
        print(
            f"sijill import-list total: {total_rows:,} rows, wall {total_time:.2f} s "
            f"= {total_rows / total_time:,.0f} rows/s; CPU {total_cpu:.2f} s "
            f"= {total_rows / total_cpu:,.0f} rows/s"
        )
        print(
            f"baseline (pandas read + to_sql, no parsing): {total_rows:,} rows, wall {base[0]:.2f} s"
            f" = {total_rows / base[0]:,.0f} rows/s; CPU {base[1]:.2f} s "
            f"= {total_rows / base[1]:,.0f} rows/s"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores; the machine is shared)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of the whole run: {peak:,.0f} MiB")
        if profiler:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
