"""Linkage speed, memory and accuracy at scale: ~230,000 records across 4 simulated lists (or 1M).

End to end means from the records in memory (import excluded) to every record's person:
prepare, train, score, cluster. Peak memory is the process's maximum resident set (DuckDB runs
in-process, so it is included). Accuracy is measured against the simulation's truth (pairwise
and B-cubed), with the true number of *listed* people (the simulator's population also holds
people no list recorded) and how often true people share their canonical names.

Run: .venv/bin/python bench/linkage_speed.py [--records 230000] [--baseline] [--settings F.json]
Prints the figures recorded in bench/RESULTS-linkage-scale.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from pathlib import Path

import pandas as pd
from linkage_common import (
    accuracy,
    block_pairs,
    blocking_recall,
    link_baseline,
    namesakes,
    simulated_population,
    true_pairs,
)

from sijill.linkage import LinkageSettings, link_records, recluster
from sijill.linkage.cluster import Decisions
from sijill.linkage.prepare import prepare_records

#: Records per simulated person with the realistic preset and 4 lists (measured: 26,585 / 20,000).
RECORDS_PER_PERSON = 1.33


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _figures(label: str, figures: dict[str, float]) -> str:
    return (
        f"{label}: pairwise P {figures['pairwise_precision']:.4f} R "
        f"{figures['pairwise_recall']:.4f} F1 {figures['pairwise_f1']:.4f}; B-cubed P "
        f"{figures['bcubed_precision']:.4f} R {figures['bcubed_recall']:.4f} F1 "
        f"{figures['bcubed_f1']:.4f}; people {int(figures['predicted_people'])} "
        f"(true {int(figures['true_people'])})"
    )


def _print_blocks(records: pd.DataFrame, settings: LinkageSettings) -> None:
    # Run after the timed linkage: preparing warms the name caches the linkage would use.
    blocks = block_pairs(
        prepare_records(records, settings.extra_columns), list(settings.blocking_rules)
    )
    print(
        f"candidate pairs per blocking rule (overlaps counted): {sum(blocks.values())} in all; "
        + ", ".join(f"{rule} {n}" for rule, n in blocks.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=230_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--preset", default="realistic")
    parser.add_argument("--settings", type=Path, help="linkage settings JSON (default: defaults)")
    parser.add_argument("--baseline", action="store_true", help="also time plain Splink")
    parser.add_argument(
        "--count-only", action="store_true", help="only count candidate pairs (no linkage)"
    )
    parser.add_argument("--no-accuracy", action="store_true", help="skip the truth comparison")
    parser.add_argument(
        "--thresholds", type=float, nargs="*", default=[0.7, 0.9], help="also re-cluster at"
    )
    args = parser.parse_args()
    people = int(args.records / RECORDS_PER_PERSON)
    print(f"# Linkage at scale — {platform.machine()}, Python {platform.python_version()}")
    print(f"load average at start: {_load()}")
    start = time.perf_counter()
    records, person, persons = simulated_population(args.preset, people, args.seed)
    print(
        f"simulated {len(records)} records of {people} people ({person.nunique()} of them on "
        f"at least one list) in {time.perf_counter() - start:.0f} s"
    )
    settings = LinkageSettings.from_file(args.settings) if args.settings else LinkageSettings()
    if args.count_only:
        _print_blocks(records, settings)
        return
    cpu = time.process_time()
    result = link_records(records, settings)
    cpu = time.process_time() - cpu
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    print(
        f"Sijill: {len(records)} records → {result.n_people} people; {len(result.pairs)} pairs "
        f"scored; {timings}; CPU {cpu:.0f} s (all threads); peak RSS so far {_peak_gib():.2f} GiB "
        f"(DuckDB memory_limit {settings.memory_limit}, {settings.threads} threads); "
        f"load average after: {_load()}",
        flush=True,
    )
    prior = result.model["probability_two_random_records_match"]
    print(
        f"trained prior (two random records match): {prior:.3g}; 1/records {1 / len(records):.3g}"
    )
    if not args.no_accuracy:
        print(_figures(f"accuracy @{settings.threshold}", accuracy(result.clusters, person)))
        for th in args.thresholds:
            again = recluster(
                result.clusters["unique_id"],
                result.pairs,
                LinkageSettings(threshold=th, memory_limit=settings.memory_limit),
                Decisions(),
            )
            print(_figures(f"accuracy @{th}", accuracy(again.clusters, person)))
        pairs_true = true_pairs(person)
        recall = blocking_recall(
            prepare_records(records, settings.extra_columns),
            list(settings.blocking_rules),
            pairs_true,
        )
        print(f"true pairs {len(pairs_true)}; blocking recall {recall:.4f}")
        for key, value in namesakes(persons, person).items():
            shown = f"{value:.4f}" if value < 1 else f"{int(value)}"
            print(f"names among listed people: {key} {shown}")
    _print_blocks(records, settings)
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
