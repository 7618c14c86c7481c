"""Family names at scale: the curated pool (`realistic`) against the extended one (`large`).

For each population size (default: the people behind ~26,000, ~230,000 and ~1,000,000 records
of 4 lists, as bench/linkage_speed.py simulates them, seed 1) and each preset: simulation time
(CPU and wall), distinct family names among the people on at least one list, and how often
listed people share given + family and given + father + family names with another listed
person (the definitions of bench/linkage_common.namesakes). Then the cross-script bridge: how
often a name's Latin spellings share the consonant skeleton (and the full name key) of its
Arabic spelling, for curated and generated names, unweighted and weighted as people are drawn.

Run: .venv/bin/python bench/simulate_family_names.py [--people 20000 172932 751879] [--no-bridge]
Prints the figures recorded in bench/RESULTS-simulate.md ("Family names at scale").
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

import numpy as np
import pandas as pd
from linkage_common import namesakes

from sijill.names.keys import name_key
from sijill.names.skeleton import skeleton
from sijill.simulate import preset_config, simulate
from sijill.simulate.names import family_table, name_table
from sijill.simulate.transliterate import draw_style, spell

_LATIN_SCHEMES = ("academic", "english_common", "french", "levantine_informal")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _population_figures(preset: str, people: int, seed: int) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    result = simulate(preset_config(preset, people=people, lists=4, seed=seed))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    figures = namesakes(result.persons, pd.Series(result.truth["person_id"].to_numpy()))
    print(
        f"{preset:9s} {people:>8d} people, {len(result.truth):>8d} records: simulated in "
        f"CPU {cpu:5.1f} s (wall {wall:5.1f} s); listed {int(figures['people_listed'])}; "
        f"distinct family names {int(figures['distinct family_name'])}, given+family "
        f"{int(figures['distinct given+family'])}; shared given+family "
        f"{figures['shared given+family']:.3f}, given+father+family "
        f"{figures['shared given+father+family']:.3f}, ... +death year "
        f"{figures['shared given+father+family+death year']:.3f}",
        flush=True,
    )


def _agreement(indices: np.ndarray, seeds: int = 3) -> tuple[float, float, int]:
    table = family_table("extended")
    hits = key_hits = total = 0
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        styles = {s: draw_style(s, rng) for s in (*_LATIN_SCHEMES, "arabic_script")}
        for i in indices:
            scholarly, arabic = table.scholarly[i], table.arabic[i]
            written = spell(scholarly, arabic, styles["arabic_script"], rng)
            skel, key = skeleton(written), name_key(written)
            for scheme in _LATIN_SCHEMES:
                latin = spell(scholarly, arabic, styles[scheme], rng)
                total += 1
                hits += skeleton(latin) == skel
                key_hits += name_key(latin) == key
    return hits / total, key_hits / total, total


def _bridge_figures() -> None:
    table = family_table("extended")
    curated = len(name_table("family"))
    rng = np.random.default_rng(0)
    p = table.probability
    samples = {
        "curated, every name once": np.arange(curated),
        "generated, the 2,000 commonest": np.arange(curated, curated + 2000),
        "generated, 2,000 at random": rng.choice(np.arange(curated, len(table)), 2000, False),
        "curated pool, 3,000 drawn as people are": rng.choice(
            curated, 3000, p=name_table("family").probability
        ),
        "extended pool, 3,000 drawn as people are": rng.choice(len(table), 3000, p=p),
    }
    for label, indices in samples.items():
        skel, key, total = _agreement(indices)
        print(
            f"bridge, {label}: skeleton agrees {skel:.4f}, name key {key:.4f} "
            f"({total} Latin spellings against their Arabic spelling)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, nargs="*", default=[20_000, 172_932, 751_879])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-bridge", action="store_true", help="skip the skeleton figures")
    args = parser.parse_args()
    print(f"# Family names at scale — {platform.machine()}, {os.cpu_count()} cores, ", end="")
    print(f"Python {platform.python_version()}; load average at start: {_load()}")
    cpu = time.process_time()
    table = family_table("extended")
    print(
        f"extended pool: {len(table)} names ({len(name_table('family'))} curated), built in "
        f"CPU {time.process_time() - cpu:.2f} s; curated share of draws "
        f"{table.probability[: len(name_table('family'))].sum():.3f}"
    )
    for people in args.people:
        for preset in ("realistic", "large"):
            _population_figures(preset, people, args.seed)
    if not args.no_bridge:
        _bridge_figures()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"peak RSS {peak:.2f} GiB; load average at end: {_load()}")


if __name__ == "__main__":
    main()
