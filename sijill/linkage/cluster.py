"""Pairs into people: human decisions first, then connected components, then rejected-pair repair.

How decisions act (documented for users in ``sijill review --help``):

1. A pair a person rejected is removed from the edges, whatever its probability.
2. A pair a person accepted is added as an edge (probability 1), even if it was never scored.
3. Splink's connected components join every pair at or above the threshold.
4. A component may still hold both records of a rejected pair through a chain of other
   records (A–C and C–B high, A–B rejected). Such a component is rebuilt edge by edge:
   accepted edges first, then the others from the most to the least probable; an edge is
   skipped when it would put the two records of a rejected pair into one person. The weakest
   links of the chain are the ones dropped. The component is reported as a *conflict*, with
   the edges dropped, so a reviewer can look at it. If two accepted pairs would join a
   rejected pair, the rejection wins and the conflict says so (contradictory decisions).
5. With ``check_people`` (the default), each person of three or more records is then checked
   as a whole and split where its records do not, on average, match
   (:mod:`sijill.linkage.split`); accepted pairs stay together and rejected pairs apart there
   too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from splink.internals.database_api import DatabaseAPISubClass

__all__ = ["ClusterConflict", "Clustering", "Decisions", "cluster_records", "ordered_pair"]

Pair = tuple[int, int]


def ordered_pair(a: int, b: int) -> Pair:
    """A record pair in canonical order (smaller id first), as decisions are stored."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Decisions:
    """The current human decisions on record pairs (ids of list records).

    Attributes:
        accepted: Pairs that must be one person.
        rejected: Pairs that must never be one person.
    """

    accepted: frozenset[Pair] = frozenset()
    rejected: frozenset[Pair] = frozenset()

    @classmethod
    def from_pairs(cls, accepted: Iterable[Pair] = (), rejected: Iterable[Pair] = ()) -> Decisions:
        """Build from pairs in any order."""
        return cls(
            frozenset(ordered_pair(a, b) for a, b in accepted),
            frozenset(ordered_pair(a, b) for a, b in rejected),
        )


@dataclass(frozen=True)
class ClusterConflict:
    """A group that connected components would have merged across a rejected pair.

    Attributes:
        records: The records of the original component.
        rejected: The rejected pairs inside it.
        dropped: The edges left out to keep those pairs apart.
        contradictory: Whether an accepted pair had to be left out (the decisions disagree).
    """

    records: tuple[int, ...]
    rejected: tuple[Pair, ...]
    dropped: tuple[Pair, ...]
    contradictory: bool


@dataclass(frozen=True)
class Clustering:
    """Every record's person.

    Attributes:
        clusters: One row per record: ``unique_id`` and ``person_key`` (the smallest record id
            in the person, stable while that record stays in it).
        conflicts: Components split to honour rejected pairs.
        edges_used: Number of edges joined (after decisions).
    """

    clusters: pd.DataFrame
    conflicts: tuple[ClusterConflict, ...] = field(default=())
    edges_used: int = 0


def _edges(
    pairs: pd.DataFrame, threshold: float, decisions: Decisions, ids: set[int]
) -> pd.DataFrame:
    keep = pairs[pairs["match_probability"] >= threshold][
        ["unique_id_l", "unique_id_r", "match_probability"]
    ].copy()
    lo = np.minimum(keep["unique_id_l"], keep["unique_id_r"]).astype("int64")
    hi = np.maximum(keep["unique_id_l"], keep["unique_id_r"]).astype("int64")
    keep["unique_id_l"], keep["unique_id_r"] = lo, hi
    if decisions.rejected:
        rejected = pd.MultiIndex.from_tuples(sorted(decisions.rejected))
        keep = keep[~pd.MultiIndex.from_arrays([lo, hi]).isin(rejected)]
    accepted = [p for p in sorted(decisions.accepted) if p[0] in ids and p[1] in ids]
    if accepted:
        extra = pd.DataFrame(accepted, columns=["unique_id_l", "unique_id_r"])
        extra["match_probability"] = 1.0
        keep = extra if keep.empty else pd.concat([keep, extra], ignore_index=True)
    keep = keep.sort_values("match_probability", ascending=False)
    return keep.drop_duplicates(["unique_id_l", "unique_id_r"]).reset_index(drop=True)


def _find(parent: dict[int, int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _repair(
    members: list[int], edges: pd.DataFrame, decisions: Decisions
) -> tuple[dict[int, int], ClusterConflict]:
    """Rebuild one component without merging any rejected pair (see the module docstring)."""
    inside = set(members)
    rejected = [p for p in sorted(decisions.rejected) if p[0] in inside and p[1] in inside]
    parent = {m: m for m in members}
    apart: dict[int, set[int]] = {m: set() for m in members}  # root -> roots it must not join
    for a, b in rejected:
        apart[a].add(b)
        apart[b].add(a)
    mine = edges[edges["unique_id_l"].isin(inside)]
    ordered = sorted(
        zip(mine["unique_id_l"], mine["unique_id_r"], mine["match_probability"], strict=True),
        key=lambda e: (
            (int(e[0]), int(e[1])) not in decisions.accepted,
            -float(e[2]),
            int(e[0]),
            int(e[1]),
        ),
    )
    dropped: list[Pair] = []
    contradictory = False
    for a, b, _p in ordered:
        ra, rb = _find(parent, int(a)), _find(parent, int(b))
        if ra == rb:
            continue
        if rb in apart[ra]:
            dropped.append((int(a), int(b)))
            contradictory |= (int(a), int(b)) in decisions.accepted
            continue
        parent[rb] = ra
        for other in apart.pop(rb):
            apart[other].discard(rb)
            apart[other].add(ra)
            apart[ra].add(other)
    roots = {m: _find(parent, m) for m in members}
    conflict = ClusterConflict(
        tuple(sorted(members)), tuple(rejected), tuple(dropped), contradictory
    )
    return roots, conflict


def cluster_records(
    ids: Iterable[int],
    pairs: pd.DataFrame,
    threshold: float,
    db_api: DatabaseAPISubClass,
    decisions: Decisions | None = None,
) -> Clustering:
    """Group records into people with Splink's connected components, honouring decisions.

    Args:
        ids: Every record id to place (records with no edge become people of their own).
        pairs: Scored pairs: ``unique_id_l``, ``unique_id_r``, ``match_probability``.
        threshold: Pairs at or above this probability join.
        db_api: The Splink database API to run connected components on.
        decisions: Accepted and rejected pairs (see the module docstring).

    Returns:
        The :class:`Clustering`.
    """
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    decisions = decisions or Decisions()
    nodes = pd.DataFrame({"unique_id": np.asarray(sorted(set(ids)), dtype="int64")})
    edges = _edges(pairs, threshold, decisions, set(nodes["unique_id"].tolist()))
    if edges.empty:
        clusters = nodes.assign(person_key=nodes["unique_id"])
        return Clustering(clusters, (), 0)
    result = cluster_pairwise_predictions_at_threshold(
        nodes,
        edges,
        db_api=db_api,
        node_id_column_name="unique_id",
        edge_id_column_name_left="unique_id_l",
        edge_id_column_name_right="unique_id_r",
    )
    frame = result.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    result.drop_table_from_database_and_remove_from_cache()
    frame = frame.astype({"unique_id": "int64"})
    cluster_of = dict(zip(frame["unique_id"], frame["cluster_id"], strict=True))
    conflicts: list[ClusterConflict] = []
    broken = sorted(
        {
            cluster_of[a]
            for a, b in decisions.rejected
            if a in cluster_of and b in cluster_of and cluster_of[a] == cluster_of[b]
        },
        key=str,
    )
    if broken:
        members = frame.groupby("cluster_id")["unique_id"].apply(list)
        for cluster_id in broken:
            roots, conflict = _repair(sorted(members[cluster_id]), edges, decisions)
            conflicts.append(conflict)
            for record, root in roots.items():
                cluster_of[record] = f"{cluster_id}#{root}"
    frame["cluster_id"] = frame["unique_id"].map(cluster_of)
    frame["person_key"] = frame.groupby("cluster_id")["unique_id"].transform("min")
    clusters = frame[["unique_id", "person_key"]].sort_values("unique_id").reset_index(drop=True)
    return Clustering(clusters, tuple(conflicts), len(edges))


def conflict_to_dict(conflict: ClusterConflict) -> dict[str, Any]:
    """A conflict as plain JSON values (for run metrics)."""
    return {
        "records": list(conflict.records),
        "rejected": [list(p) for p in conflict.rejected],
        "dropped": [list(p) for p in conflict.dropped],
        "contradictory": conflict.contradictory,
    }
