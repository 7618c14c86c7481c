"""Shared pieces of the linkage benchmarks: simulated records, the plain Splink baseline, scoring.

Not a benchmark itself; `linkage_accuracy.py` and `linkage_speed.py` import it.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import time
from typing import Any

import numpy as np
import pandas as pd

from sijill.linkage import LinkageSettings, evaluate_clusters
from sijill.linkage.backends import DuckDBBackend
from sijill.linkage.prepare import prepare_records
from sijill.linkage.simulated import records_from_simulation
from sijill.simulate import preset_config, simulate


def simulated(
    preset: str, people: int, seed: int, lists: int = 4
) -> tuple[pd.DataFrame, pd.Series]:
    """Simulated records (linkage layout) and the true person per record (same order)."""
    records, person, _persons = simulated_population(preset, people, seed, lists)
    return records, person


def simulated_population(
    preset: str, people: int, seed: int, lists: int = 4
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """As :func:`simulated`, plus the simulated population (one row per person, all of them)."""
    result = simulate(preset_config(preset, people=people, lists=lists, seed=seed))
    records = records_from_simulation(result)
    truth = result.truth.set_index(["list", "record_id"])["person_id"]
    person = truth.reindex(pd.MultiIndex.from_arrays([records.list_name, records.record_id]))
    person_by_id = pd.Series(person.to_numpy(), index=records["unique_id"].to_numpy())
    return records, person_by_id, result.persons


def namesakes(persons: pd.DataFrame, person: pd.Series) -> dict[str, float]:
    """How often the people on the lists share their canonical names with another listed person.

    Counts are over people with at least one record (``person`` values), on the simulator's
    canonical Latin names, so spelling variation plays no part: these are true namesakes.
    """
    listed = persons[persons["person_id"].isin(pd.unique(person.to_numpy()))]
    year = pd.to_datetime(listed["date_of_death"], errors="coerce").dt.year
    out: dict[str, float] = {"people_listed": float(len(listed))}
    keys = {
        "given+family": ["given_name", "family_name"],
        "given+father+family": ["given_name", "father_name", "family_name"],
    }
    for label, columns in keys.items():
        frame = listed[columns]
        out[f"distinct {label}"] = float(len(frame.drop_duplicates()))
        out[f"shared {label}"] = float(frame.duplicated(keep=False).mean())
    with_year = listed[["given_name", "father_name", "family_name"]].assign(year=year)
    out["shared given+father+family+death year"] = float(with_year.duplicated(keep=False).mean())
    for part in ("given_name", "father_name", "family_name"):
        out[f"distinct {part}"] = float(listed[part].nunique())
    return out


def accuracy(clusters: pd.DataFrame, person: pd.Series) -> dict[str, float]:
    """Pairwise and B-cubed figures of a clustering (unique_id → person_key) vs the truth."""
    predicted = pd.Series(clusters["person_key"].to_numpy(), index=clusters["unique_id"].to_numpy())
    return evaluate_clusters(predicted, person).to_dict()


def true_pairs(person: pd.Series) -> pd.DataFrame:
    """All true matching pairs (unique_id_l < unique_id_r)."""
    rows: list[tuple[int, int]] = []
    for ids in person.groupby(person).groups.values():
        rows.extend(itertools.combinations(sorted(int(i) for i in ids), 2))
    return pd.DataFrame(rows, columns=["l", "r"])


def blocking_recall(
    frame: pd.DataFrame, rules: list[tuple[str, ...]], pairs: pd.DataFrame
) -> float:
    """Share of true pairs that at least one blocking rule puts together."""
    indexed = frame.set_index("unique_id")
    left, right = indexed.loc[pairs["l"]].reset_index(), indexed.loc[pairs["r"]].reset_index()
    hit = np.zeros(len(pairs), dtype=bool)
    for rule in rules:
        ok = np.ones(len(pairs), dtype=bool)
        for col in rule:
            a, b = left[col], right[col]
            ok &= (a.notna() & b.notna() & (a.astype(str) == b.astype(str))).to_numpy()
        hit |= ok
    return float(hit.mean()) if len(hit) else 1.0


def block_pairs(frame: pd.DataFrame, rules: list[tuple[str, ...]]) -> dict[str, int]:
    """Pairs each blocking rule puts together on its own (blocks' n(n-1)/2; overlaps counted).

    Cheap at any size (one group-by per rule), so it shows how candidate pairs grow with the
    lists before a run is attempted.
    """
    out: dict[str, int] = {}
    for rule in rules:
        sizes = frame.dropna(subset=list(rule)).groupby(list(rule)).size().to_numpy("int64")
        out["+".join(rule)] = int((sizes * (sizes - 1) // 2).sum())
    return out


def sijill_blocking_recall(records: pd.DataFrame, person: pd.Series) -> float:
    """Blocking recall of Sijill's default rules on these records."""
    prepared = prepare_records(records)
    rules = list(LinkageSettings().blocking_rules)
    return blocking_recall(prepared, rules, true_pairs(person))


def _first_token(text: pd.Series) -> pd.Series:
    return text.str.split().str[0]


def baseline_frame(records: pd.DataFrame) -> pd.DataFrame:
    """Raw fields for the plain baseline: names as written (full names split on spaces)."""
    full = records["full_name"].fillna("").astype(str)
    tokens = full.str.split()
    given = records["given"].where(records["given"] != "", _first_token(full))
    family = records["family"].where(records["family"] != "", tokens.str[-1])
    father = records["father"].where(
        records["father"] != "",
        tokens.map(lambda t: t[1] if isinstance(t, list) and len(t) > 2 else ""),
    )
    death = pd.to_datetime(records["death_earliest"], errors="coerce")
    birth = pd.to_datetime(records["birth_earliest"], errors="coerce")

    def text(s: pd.Series) -> pd.Series:
        s = s.fillna("").astype(str).str.strip()
        return s.where(s != "", None)

    return pd.DataFrame(
        {
            "unique_id": records["unique_id"].astype("int64"),
            "source_dataset": records["list_name"].astype(str),
            "given_raw": text(given),
            "father_raw": text(father),
            "family_raw": text(family),
            "death_raw": text(death.dt.strftime("%Y-%m-%d")),
            "birth_raw": text(birth.dt.year.astype("Int64").astype(str).replace("<NA>", "")),
            "governorate_raw": text(records["governorate_pcode"]),
        }
    )


BASELINE_RULES = [
    ("given_raw", "family_raw"),
    ("family_raw", "death_raw"),
    ("given_raw", "death_raw"),
]


def link_baseline(
    records: pd.DataFrame, pairs_true: pd.DataFrame, threshold: float = 0.9
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Plain Splink: exact + Jaro-Winkler on raw names and dates, no Arabic handling."""
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    frame = baseline_frame(records)
    start = time.perf_counter()
    backend = DuckDBBackend("4GB", 2)
    db_api = backend.database_api()
    tables = [
        db_api.register(group.reset_index(drop=True), table_name=f"b_{i}")
        for i, (_name, group) in enumerate(frame.groupby("source_dataset"))
    ]
    settings = SettingsCreator(
        link_type="link_and_dedupe",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_raw", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("father_raw", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("family_raw", [0.92, 0.8]),
            cl.ExactMatch("death_raw"),
            cl.ExactMatch("birth_raw"),
            cl.ExactMatch("governorate_raw"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*r) for r in BASELINE_RULES],
        retain_matching_columns=False,
    )
    linker = Linker(tables, settings, log_level=logging.ERROR)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (("given_raw", "family_raw"), ("death_raw",)):
        with contextlib.suppress(ValueError):
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    scored = linker.inference.predict(threshold_match_probability=0.05)
    pairs = scored.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
    nodes = frame[["unique_id"]]
    edges = pairs[pairs["match_probability"] >= threshold]
    clustered = cluster_pairwise_predictions_at_threshold(
        nodes, edges, db_api=db_api, node_id_column_name="unique_id"
    ).as_pandas_dataframe()
    seconds = time.perf_counter() - start
    backend.close()
    clustered["person_key"] = clustered["cluster_id"].astype(str)
    blocking = blocking_recall(frame, BASELINE_RULES, pairs_true)
    return clustered[["unique_id", "person_key"]], {
        "seconds": seconds,
        "pairs": len(pairs),
        "blocking": blocking,
    }
