"""Linkage speed and memory: ~230,000 records across 4 simulated lists (and optionally 1,000,000).

End to end means from the records in memory (import excluded) to every record's person:
prepare, train, score, cluster. Peak memory is the process's maximum resident set (DuckDB runs
in-process, so it is included). The plain Splink baseline runs on the same records.

Run: .venv/bin/python bench/linkage_speed.py [--records 230000] [--baseline]
Prints the figures recorded in bench/RESULTS-linkage.md.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time

from linkage_common import link_baseline, simulated, true_pairs

from sijill.linkage import LinkageSettings, link_records

#: Records per simulated person with the realistic preset and 4 lists (measured: 26,585 / 20,000).
RECORDS_PER_PERSON = 1.33


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=230_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", action="store_true", help="also time plain Splink")
    args = parser.parse_args()
    people = int(args.records / RECORDS_PER_PERSON)
    print(f"# Linkage speed — {platform.machine()}, Python {platform.python_version()}")
    start = time.perf_counter()
    records, person = simulated("realistic", people, args.seed)
    print(
        f"simulated {len(records)} records of {people} people in {time.perf_counter() - start:.0f} s"
    )
    settings = LinkageSettings()
    cpu = time.process_time()
    result = link_records(records, settings)
    cpu = time.process_time() - cpu
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    print(
        f"Sijill: {len(records)} records → {result.n_people} people; {len(result.pairs)} pairs "
        f"scored; {timings}; CPU {cpu:.0f} s (all threads); peak RSS so far {_peak_gib():.2f} GiB "
        f"(DuckDB memory_limit {settings.memory_limit}, {settings.threads} threads)"
    )
    if args.baseline:
        cpu = time.process_time()
        _clusters, info = link_baseline(records, true_pairs(person))
        cpu = time.process_time() - cpu
        print(
            f"plain Splink: {info['seconds']:.1f} s, CPU {cpu:.0f} s ({info['pairs']} pairs scored); "
            f"peak RSS so far {_peak_gib():.2f} GiB"
        )


if __name__ == "__main__":
    main()
