"""Error analysis of a linkage run against the truth: why true pairs were missed, why false ones merged.

Not a benchmark itself; `linkage_accuracy.py --errors` prints its table for each simulated run.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from sijill.linkage.prepare import prepare_records

_ARABIC = r"[\u0600-\u06ff]"


def _pairs_of(groups: pd.Series) -> pd.DataFrame:
    """Every pair (l < r) of ids that share a group (ids are the index)."""
    rows: list[tuple[int, int]] = []
    for ids in groups.groupby(groups).groups.values():
        rows.extend(itertools.combinations(sorted(int(i) for i in ids), 2))
    return pd.DataFrame(rows, columns=["l", "r"])


def _same(left: pd.DataFrame, right: pd.DataFrame, column: str) -> np.ndarray:
    a, b = left[column], right[column]
    return (a.notna() & b.notna() & (a.astype(str) == b.astype(str))).to_numpy()


def _differ(left: pd.DataFrame, right: pd.DataFrame, column: str) -> np.ndarray:
    a, b = left[column], right[column]
    return (a.notna() & b.notna() & (a.astype(str) != b.astype(str))).to_numpy()


def _either_missing(left: pd.DataFrame, right: pd.DataFrame, column: str) -> np.ndarray:
    return (left[column].isna() | right[column].isna()).to_numpy()


def _traits(pairs: pd.DataFrame, prepared: pd.DataFrame, arabic: pd.Series) -> pd.DataFrame:
    """What each pair's two records agree or disagree on (one boolean column per trait)."""
    left = prepared.loc[pairs["l"]].reset_index(drop=True)
    right = prepared.loc[pairs["r"]].reset_index(drop=True)
    widest = np.maximum(
        left["death_width"].astype("float64").fillna(np.inf).to_numpy(),
        right["death_width"].astype("float64").fillna(np.inf).to_numpy(),
    )
    gap = np.maximum.reduce(
        [
            (left["death_lo"].astype("float64") - right["death_hi"].astype("float64")).to_numpy(),
            (right["death_lo"].astype("float64") - left["death_hi"].astype("float64")).to_numpy(),
            np.zeros(len(left)),
        ]
    )
    return pd.DataFrame(
        {
            "given differs (skeleton)": _differ(left, right, "given_skel"),
            "family differs (skeleton)": _differ(left, right, "family_skel"),
            "father differs": _differ(left, right, "father_skel"),
            "father missing on one side": _either_missing(left, right, "father_skel"),
            "given + family agree (namesake key)": _same(left, right, "given_skel")
            & _same(left, right, "family_skel"),
            "death dates > 30 days apart": np.nan_to_num(gap, nan=0) > 30,
            "death month/year only (either)": (widest > 1) & np.isfinite(widest),
            "death missing (either)": _either_missing(left, right, "death_lo"),
            "birth years > 2 apart": (
                np.maximum(
                    (left["birth_lo"] - right["birth_hi"]).astype("float64").to_numpy(),
                    (right["birth_lo"] - left["birth_hi"]).astype("float64").to_numpy(),
                )
                > 2
            ),
            "same list (duplicate)": (
                left["source_dataset"].to_numpy() == right["source_dataset"].to_numpy()
            ),
            "Arabic script vs Latin": (
                arabic.loc[pairs["l"]].to_numpy() != arabic.loc[pairs["r"]].to_numpy()
            ),
        }
    )


def analyse_errors(
    records: pd.DataFrame,
    person: pd.Series,
    pairs: pd.DataFrame,
    clusters: pd.DataFrame,
    threshold: float,
    blocking_rules: tuple[tuple[str, ...], ...],
) -> dict[str, Any]:
    """Classify the missed true pairs and the false pairs of one run.

    Args:
        records: The linked records (``unique_id`` and the record columns).
        person: True person per ``unique_id``.
        pairs: The run's scored pairs (``unique_id_l``, ``unique_id_r``, ``match_probability``).
        clusters: The run's ``unique_id`` → ``person_key``.
        threshold: The run's clustering threshold.
        blocking_rules: The run's blocking rules.

    Returns:
        ``missed`` (count per cause), ``false`` (count per cause), ``traits`` (share of each
        trait among missed, false and found pairs) and ``calibration`` (share of true pairs
        among scored pairs per probability band).
    """
    prepared = prepare_records(records).set_index("unique_id")
    text = records.set_index("unique_id")
    arabic = (
        text["given"].fillna("").astype(str) + text["full_name"].fillna("").astype(str)
    ).str.contains(_ARABIC)
    predicted = pd.Series(clusters["person_key"].to_numpy(), index=clusters["unique_id"])
    key = pairs["unique_id_l"].astype("int64") * 10**8 + pairs["unique_id_r"].astype("int64")
    score = pd.Series(pairs["match_probability"].to_numpy(), index=key.to_numpy())
    score = score[~score.index.duplicated()]

    truth = _pairs_of(person)
    truth["p"] = score.reindex(truth["l"] * 10**8 + truth["r"]).to_numpy()
    truth["found"] = predicted.loc[truth["l"]].to_numpy() == predicted.loc[truth["r"]].to_numpy()
    left = prepared.loc[truth["l"]].reset_index(drop=True)
    right = prepared.loc[truth["r"]].reset_index(drop=True)
    blocked = np.zeros(len(truth), dtype=bool)
    for rule in blocking_rules:
        hit = np.ones(len(truth), dtype=bool)
        for column in rule:
            hit &= _same(left, right, column)
        blocked |= hit
    truth["blocked"] = blocked
    missed = truth[~truth["found"]]
    causes = {
        "not blocked": int((~missed["blocked"]).sum()),
        "blocked, scored below the floor": int((missed["blocked"] & missed["p"].isna()).sum()),
        f"scored below the threshold ({threshold})": int((missed["p"] < threshold).sum()),
        "scored above the threshold, split by the person check": int(
            (missed["p"] >= threshold).sum()
        ),
    }
    guessed = _pairs_of(predicted)
    guessed["true"] = person.loc[guessed["l"]].to_numpy() == person.loc[guessed["r"]].to_numpy()
    false = guessed[~guessed["true"]].reset_index(drop=True)
    false["p"] = score.reindex(false["l"] * 10**8 + false["r"]).to_numpy()
    false_causes = {
        f"direct pair at or above {threshold}": int((false["p"] >= threshold).sum()),
        "joined through other records": int((~(false["p"] >= threshold)).sum()),
    }
    found = truth[truth["found"]]
    traits = pd.DataFrame(
        {
            "missed, not blocked": _traits(missed[~missed["blocked"]], prepared, arabic).mean(),
            "missed, blocked": _traits(missed[missed["blocked"]], prepared, arabic).mean(),
            "false pairs": _traits(false, prepared, arabic).mean(),
            "found true pairs": _traits(found, prepared, arabic).mean(),
        }
    )
    bands = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0001]
    truth_ids = person.to_dict()
    scored = pairs.assign(
        true=pairs["unique_id_l"].map(truth_ids).to_numpy()
        == pairs["unique_id_r"].map(truth_ids).to_numpy(),
        band=pd.cut(pairs["match_probability"], bands, right=False),
    )
    calibration = scored.groupby("band", observed=True)["true"].agg(["size", "mean"])
    return {
        "true_pairs": len(truth),
        "missed": causes,
        "false_pairs": len(false),
        "false": false_causes,
        "traits": traits,
        "calibration": calibration,
    }


def print_errors(label: str, analysis: dict[str, Any]) -> None:
    """Print an analysis as markdown."""
    print(f"\n### Errors: {label}\n")
    print(
        f"{sum(analysis['missed'].values())} of {analysis['true_pairs']} true pairs missed: "
        + "; ".join(f"{k} {v}" for k, v in analysis["missed"].items())
    )
    print(
        f"\n{analysis['false_pairs']} false pairs: "
        + "; ".join(f"{k} {v}" for k, v in analysis["false"].items())
    )
    print("\n| share of pairs with | " + " | ".join(analysis["traits"].columns) + " |")
    print("|---" * (len(analysis["traits"].columns) + 1) + "|")
    for trait, row in analysis["traits"].iterrows():
        print(f"| {trait} | " + " | ".join(f"{v:.2f}" for v in row.to_numpy()) + " |")
    print("\n| match probability | pairs scored | share truly one person |")
    print("|---|---|---|")
    for band, row in analysis["calibration"].iterrows():
        print(f"| {band} | {int(row['size'])} | {row['mean']:.3f} |")
