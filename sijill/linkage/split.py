"""The person check: split candidate people whose records do not, on average, match each other.

Connected components join two records whenever a chain of strong pairs links them. A record
that gives only "Muhammad al-Ali" and a month of death matches two different Muhammad al-Alis
(whose fathers differ) well enough, and components then make one person of all three, although
the two fathers' records score as different people. On simulated lists about two thirds of the
false pairs came from such chains (bench/RESULTS-linkage.md).

The check rebuilds each candidate person of three or more records by average linkage: groups
merge, best first, only while the mean match weight over *all* scored pairs between them stays
at or above the threshold's weight. Pairs never scored are left out of the mean; accepted pairs
start merged, and a rejected pair is never put together.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sijill.linkage.cluster import Clustering, Decisions

if TYPE_CHECKING:
    from splink import Linker

__all__ = ["check_people", "score_within_people", "split_weak_people", "threshold_weight"]

#: Larger candidate people are left as components made them (the check is cubic in size).
MAX_CHECKED_SIZE = 2000
#: Candidate people up to this size and untouched by decisions take the plain-Python path
#: (:func:`_average_linkage_small`): NumPy's per-call overhead dominates on a few records, and
#: most candidate people hold three to six.
SMALL_SIZE = 24


def threshold_weight(threshold: float) -> float:
    """The match weight (log2 odds, prior included) of a match probability."""
    return math.log2(threshold / (1 - threshold))


def _average_linkage(
    weights: np.ndarray,
    known: np.ndarray,
    cannot: np.ndarray,
    must: list[tuple[int, int]],
    floor: float,
) -> np.ndarray:
    """Group labels (0..n-1 indices of representatives) for one candidate person."""
    n = len(weights)
    label = np.arange(n)
    for a, b in must:
        ra, rb = label[a], label[b]
        if ra != rb and not cannot[np.ix_(label == ra, label == rb)].any():
            label[label == rb] = ra
    groups = sorted(set(label.tolist()))
    member = np.zeros((len(groups), n), dtype=bool)
    for g, root in enumerate(groups):
        member[g] = label == root
    total = member.astype(float) @ np.where(known, weights, 0.0) @ member.T.astype(float)
    count = member.astype(float) @ known.astype(float) @ member.T.astype(float)
    blocked = (member.astype(float) @ cannot.astype(float) @ member.T.astype(float)) > 0
    alive = np.ones(len(groups), dtype=bool)
    while True:
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, total / np.maximum(count, 1), -np.inf)
        mean[blocked] = -np.inf
        mean[~alive, :] = -np.inf
        mean[:, ~alive] = -np.inf
        np.fill_diagonal(mean, -np.inf)
        best = int(np.argmax(mean))
        i, j = divmod(best, len(groups))
        if not mean[i, j] >= floor:
            break
        member[i] |= member[j]
        alive[j] = False
        for arr in (total, count):
            arr[i, :] += arr[j, :]
            arr[:, i] += arr[:, j]
            arr[i, i] = 0
        blocked[i, :] |= blocked[j, :]
        blocked[:, i] |= blocked[:, j]
    out = np.empty(n, dtype=np.int64)
    for group in np.flatnonzero(alive):
        out[member[group]] = group
    return out


def _average_linkage_small(
    n: int, pairs: list[tuple[int, int, float]], cannot: list[tuple[int, int]], floor: float
) -> list[int]:
    """:func:`_average_linkage` without accepted pairs, in plain Python for a few records.

    The same merges in the same order with the same floating-point sums: groups start as
    single records, the best mean (first in row-major order on ties) merges while it reaches
    `floor`, and the later group's row and column are added to the earlier one's, as the
    NumPy version does. `pairs` holds ``(i, j, weight)`` with ``i < j`` (record positions).

    Returns:
        A group label per record.
    """
    total = [[0.0] * n for _ in range(n)]
    count = [[0.0] * n for _ in range(n)]
    blocked = [[False] * n for _ in range(n)]
    for i, j, w in pairs:
        total[i][j] = total[j][i] = w
        count[i][j] = count[j][i] = 1.0
    for i, j in cannot:
        blocked[i][j] = blocked[j][i] = True
    label = list(range(n))
    alive = [True] * n
    while True:
        best, bi, bj = -math.inf, -1, -1
        for i in range(n):
            if not alive[i]:
                continue
            t_i, c_i, b_i = total[i], count[i], blocked[i]
            for j in range(i + 1, n):
                if alive[j] and c_i[j] > 0 and not b_i[j]:
                    mean = t_i[j] / c_i[j]
                    if mean > best:
                        best, bi, bj = mean, i, j
        if not best >= floor:
            break
        alive[bj] = False
        for k in range(n):
            if label[k] == bj:
                label[k] = bi
        for arr in (total, count):
            row_i, row_j = arr[bi], arr[bj]
            for k in range(n):
                row_i[k] += row_j[k]
            for k in range(n):
                arr[k][bi] += arr[k][bj]
            row_i[bi] = 0.0
        row_bi, row_bj = blocked[bi], blocked[bj]
        for k in range(n):
            row_bi[k] = row_bi[k] or row_bj[k]
        for k in range(n):
            blocked[k][bi] = blocked[k][bi] or blocked[k][bj]
    return label


def _relabel(ids: list[int], labels: list[int], new_key: dict[Any, Any]) -> int:
    """Give each group of a split person its smallest record id as key; 1 if it split, else 0."""
    groups: dict[int, list[int]] = {}
    for record, label in zip(ids, labels, strict=True):
        groups.setdefault(label, []).append(record)
    if len(groups) < 2:
        return 0
    for group in groups.values():
        for record in group:
            new_key[record] = min(group)
    return 1


def split_weak_people(
    clusters: pd.DataFrame,
    pairs: pd.DataFrame,
    threshold: float,
    accepted: frozenset[tuple[int, int]] = frozenset(),
    rejected: frozenset[tuple[int, int]] = frozenset(),
) -> tuple[pd.DataFrame, int]:
    """Re-group every candidate person of three or more records by average linkage.

    Args:
        clusters: ``unique_id`` and ``person_key`` per record (from connected components).
        pairs: Scored pairs (``unique_id_l``, ``unique_id_r``, ``match_weight``); pairs inside
            a candidate person that are missing here are left out of the means.
        threshold: The clustering threshold (a probability).
        accepted: Pairs that start in one group (ordered, smaller id first).
        rejected: Pairs never put in one group.

    Returns:
        The clusters with ``person_key`` recomputed (smallest record id per person) and the
        number of candidate people that were split.
    """
    sizes = clusters.groupby("person_key")["unique_id"].transform("size")
    big = clusters[sizes >= 3]
    if big.empty:
        return clusters, 0
    floor = threshold_weight(threshold)
    person_of = pd.Series(big["person_key"].to_numpy(), index=big["unique_id"].to_numpy())
    left = pairs["unique_id_l"].map(person_of)
    right = pairs["unique_id_r"].map(person_of)
    inside = pairs.loc[left.notna() & (left == right), ["unique_id_l", "unique_id_r"]].copy()
    inside["weight"] = pairs.loc[inside.index, "match_weight"].astype(float)
    inside["person"] = left[inside.index].astype(big["person_key"].dtype)
    inside["lo"] = np.minimum(inside["unique_id_l"], inside["unique_id_r"])
    inside["hi"] = np.maximum(inside["unique_id_l"], inside["unique_id_r"])
    inside = inside.drop_duplicates(["lo", "hi"])
    # Most candidate people are sound: every pair inside was scored and clears the threshold,
    # so average linkage would merge them all. Only the others go through the check.
    stats = inside.groupby("person")["weight"].agg(["size", "min"])
    size = big.groupby("person_key").size()
    stats = stats.reindex(size.index)
    complete = stats["size"].fillna(0).to_numpy() == size.to_numpy() * (size.to_numpy() - 1) // 2
    sound = complete & (stats["min"].fillna(-np.inf).to_numpy() >= floor)
    decided = {r for pair in accepted | rejected for r in pair}
    touched = set(person_of[person_of.index.isin(list(decided))].tolist())
    suspect = {k for k, ok in zip(size.index, sound, strict=True) if not ok or k in touched}
    inside = inside[inside["person"].isin(suspect)]
    by_person: dict[Any, list[tuple[int, int, float]]] = {}
    for a, b, w, key in zip(
        inside["lo"], inside["hi"], inside["weight"], inside["person"], strict=True
    ):
        by_person.setdefault(key, []).append((int(a), int(b), float(w)))
    new_key = dict(zip(clusters["unique_id"], clusters["person_key"], strict=True))
    split = 0
    checked = big[big["person_key"].isin(suspect)].sort_values(["person_key", "unique_id"])
    keys = checked["person_key"].to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, int)
    members_of = np.split(checked["unique_id"].to_numpy(dtype=np.int64), starts[1:])
    for key, members in zip(keys[starts], members_of[: len(starts)], strict=True):
        ids = members.tolist()
        if len(ids) > MAX_CHECKED_SIZE:
            continue
        pos = {m: i for i, m in enumerate(ids)}
        n = len(ids)
        if n <= SMALL_SIZE and key not in touched:
            small = [(pos[a], pos[b], w) for a, b, w in by_person.get(key, [])]
            split += _relabel(ids, _average_linkage_small(n, small, [], floor), new_key)
            continue
        weights = np.zeros((n, n))
        known = np.zeros((n, n), dtype=bool)
        for a, b, w in by_person.get(key, []):
            i, j = pos[a], pos[b]
            weights[i, j] = weights[j, i] = w
            known[i, j] = known[j, i] = True
        cannot = np.zeros((n, n), dtype=bool)
        must: list[tuple[int, int]] = []
        if key in touched:
            for a, b in rejected:
                if a in pos and b in pos:
                    cannot[pos[a], pos[b]] = cannot[pos[b], pos[a]] = True
            must = [(pos[a], pos[b]) for a, b in accepted if a in pos and b in pos]
        labels = _average_linkage(weights, known, cannot, must, floor)
        split += _relabel(ids, labels.tolist(), new_key)
    out = clusters.copy()
    out["person_key"] = out["unique_id"].map(new_key).astype("int64")
    return out, split


def score_within_people(linker: Linker, prepared: pd.DataFrame, clusters: pd.DataFrame) -> Any:
    """Score every pair of records inside each candidate person of three or more records.

    Blocking left many of these pairs unscored (and the floor dropped the weak ones); the
    person check needs them all.

    Returns:
        A pandas frame of pairs (``unique_id_l``, ``unique_id_r``, ``match_probability``,
        ``match_weight``), possibly empty.
    """
    sizes = clusters.groupby("person_key")["unique_id"].transform("size")
    big = clusters.loc[sizes >= 3, ["unique_id", "person_key"]]
    columns = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    if big.empty:
        return pd.DataFrame(columns=columns)
    source = prepared.set_index("unique_id")["source_dataset"]
    table = pd.DataFrame(
        {
            "unique_id": big["unique_id"].astype("int64").to_numpy(),
            "source_dataset": source.loc[big["unique_id"]].to_numpy(),
            "cluster_id": big["person_key"].astype("int64").to_numpy(),
        }
    )
    registered = linker.table_management.register_table(
        table, "__sijill_candidate_people", overwrite=True
    )
    scored = linker.inference._score_missing_cluster_edges(registered)
    frame = scored.as_pandas_dataframe()[columns]
    scored.drop_table_from_database_and_remove_from_cache()
    registered.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    return frame.astype({"unique_id_l": "int64", "unique_id_r": "int64"})


def check_people(
    clustering: Clustering,
    pairs: pd.DataFrame,
    threshold: float,
    decisions: Decisions | None = None,
) -> Clustering:
    """Apply the person check (:func:`split_weak_people`) to a clustering.

    Args:
        clustering: Connected components after human decisions.
        pairs: Scored pairs, including those scored inside candidate people.
        threshold: The clustering threshold.
        decisions: Accepted and rejected pairs.

    Returns:
        The clustering with weak candidate people split (conflicts and edge count kept).
    """
    decisions = decisions or Decisions()
    if "match_weight" not in pairs.columns:
        p = pairs["match_probability"].astype(float).clip(1e-12, 1 - 1e-12)
        pairs = pairs.assign(match_weight=np.log2(p / (1 - p)))
    clusters, _split = split_weak_people(
        clustering.clusters, pairs, threshold, decisions.accepted, decisions.rejected
    )
    return Clustering(clusters, clustering.conflicts, clustering.edges_used)
