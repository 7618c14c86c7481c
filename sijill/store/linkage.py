"""Linkage runs, scored pairs, review decisions and clusters in the workspace database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, func, insert, select, update

from sijill.domain.lists import RECORD_FIELDS
from sijill.errors import NotFoundError
from sijill.linkage.cluster import Decisions, ordered_pair
from sijill.linkage.review import LinkageRun, PairDecision, ReviewDecision
from sijill.store.rows import insert_id
from sijill.store.schema import (
    linkage_pairs,
    linkage_runs,
    list_records,
    record_clusters,
    review_decisions,
    victim_lists,
)

_CHUNK = 5000

#: Record columns read for linkage, in the layout `sijill.linkage.prepare` expects.
_RECORD_COLUMNS = RECORD_FIELDS


def load_records(conn: Connection, ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Every list record (or those with `ids`) with its list name, as a linkage frame."""
    cols = [list_records.c[c] for c in _RECORD_COLUMNS]
    query = (
        select(
            list_records.c.id.label("unique_id"),
            victim_lists.c.name.label("list_name"),
            list_records.c.record_id,
            *cols,
        )
        .join(victim_lists, victim_lists.c.id == list_records.c.list_id)
        .order_by(list_records.c.id)
    )
    if ids is not None:
        wanted = sorted(set(ids))
        frames = [
            pd.DataFrame(conn.execute(query.where(list_records.c.id.in_(part))).mappings().all())
            for part in (wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK))
        ]
        rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    else:
        rows = pd.DataFrame(conn.execute(query).mappings().all())
    if rows.empty:
        return pd.DataFrame(columns=["unique_id", "list_name", "record_id", *_RECORD_COLUMNS])
    return rows


def list_inputs(conn: Connection) -> dict[str, dict[str, Any]]:
    """Per list: the SHA-256 of the imported file and its row count (a run's input hashes)."""
    rows = conn.execute(
        select(victim_lists.c.name, victim_lists.c.file_sha256, victim_lists.c.row_count).order_by(
            victim_lists.c.name
        )
    )
    return {r.name: {"sha256": r.file_sha256, "rows": r.row_count} for r in rows}


def create_run(
    conn: Connection,
    created_by: str,
    settings: dict[str, Any],
    input_hashes: dict[str, Any],
) -> int:
    """Start a run record (status ``running``) and return its id."""
    return insert_id(
        conn,
        insert(linkage_runs).values(
            created_at=datetime.now(UTC),
            created_by=created_by,
            settings=settings,
            input_hashes=input_hashes,
            status="running",
            metrics={},
        ),
    )


def finish_run(conn: Connection, run_id: int, status: str, metrics: dict[str, Any]) -> None:
    """Set a run's final status and figures."""
    conn.execute(
        update(linkage_runs)
        .where(linkage_runs.c.id == run_id)
        .values(status=status, metrics=metrics)
    )


def _run(row: Any) -> LinkageRun:
    return LinkageRun(
        row.id,
        row.created_at,
        row.created_by,
        dict(row.settings),
        dict(row.input_hashes),
        row.status,
        dict(row.metrics or {}),
    )


def get_run(conn: Connection, run_id: int | None = None) -> LinkageRun:
    """A run by id, or the latest finished run when `run_id` is None.

    Raises:
        NotFoundError: No such run, or no run yet.
    """
    query = select(linkage_runs)
    if run_id is None:
        query = query.where(linkage_runs.c.status == "done").order_by(linkage_runs.c.id.desc())
    else:
        query = query.where(linkage_runs.c.id == run_id)
    row = conn.execute(query.limit(1)).first()
    if row is None:
        what = f"linkage run {run_id}" if run_id is not None else "finished linkage run"
        raise NotFoundError(f"no {what}", hint="run `sijill link` first")
    return _run(row)


def list_runs(conn: Connection) -> list[LinkageRun]:
    """All runs, newest first."""
    return [_run(r) for r in conn.execute(select(linkage_runs).order_by(linkage_runs.c.id.desc()))]


def save_pairs(conn: Connection, run_id: int, pairs: pd.DataFrame) -> None:
    """Store a run's scored pairs (``unique_id_l/_r``, probability, weight, ``in_review``)."""
    rows = [
        {
            "run_id": run_id,
            "record_a_id": int(min(a, b)),
            "record_b_id": int(max(a, b)),
            "match_probability": float(p),
            "match_weight": float(w),
            "in_review": bool(r),
        }
        for a, b, p, w, r in pairs[
            ["unique_id_l", "unique_id_r", "match_probability", "match_weight", "in_review"]
        ].itertuples(index=False)
    ]
    for i in range(0, len(rows), _CHUNK):
        conn.execute(insert(linkage_pairs), rows[i : i + _CHUNK])


def load_pairs(conn: Connection, run_id: int) -> pd.DataFrame:
    """A run's stored pairs as ``pair_id``, ``unique_id_l``, ``unique_id_r``, probability, weight."""
    query = select(
        linkage_pairs.c.id.label("pair_id"),
        linkage_pairs.c.record_a_id.label("unique_id_l"),
        linkage_pairs.c.record_b_id.label("unique_id_r"),
        linkage_pairs.c.match_probability,
        linkage_pairs.c.match_weight,
        linkage_pairs.c.in_review,
    ).where(linkage_pairs.c.run_id == run_id)
    frame = pd.DataFrame(conn.execute(query).mappings().all())
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "pair_id",
                "unique_id_l",
                "unique_id_r",
                "match_probability",
                "match_weight",
                "in_review",
            ]
        )
    return frame


def get_pair(conn: Connection, pair_id: int) -> tuple[int, int, int, float, float]:
    """A stored pair: (run id, record a, record b, probability, weight).

    Raises:
        NotFoundError: No such pair.
    """
    row = conn.execute(select(linkage_pairs).where(linkage_pairs.c.id == pair_id)).first()
    if row is None:
        raise NotFoundError(f"no pair {pair_id}", hint="`sijill review list` shows the pairs")
    return (
        row.run_id,
        row.record_a_id,
        row.record_b_id,
        row.match_probability,
        row.match_weight,
    )


def find_pair(conn: Connection, run_id: int, a: int, b: int) -> int | None:
    """The id of the stored pair of two records in a run, if it was scored."""
    lo, hi = ordered_pair(a, b)
    row = conn.execute(
        select(linkage_pairs.c.id).where(
            linkage_pairs.c.run_id == run_id,
            linkage_pairs.c.record_a_id == lo,
            linkage_pairs.c.record_b_id == hi,
        )
    ).first()
    return None if row is None else int(row.id)


def records_exist(conn: Connection, ids: Iterable[int]) -> set[int]:
    """Which of these list-record ids exist."""
    wanted = list(set(ids))
    return {
        int(r.id)
        for r in conn.execute(select(list_records.c.id).where(list_records.c.id.in_(wanted)))
    }


def save_clusters(conn: Connection, run_id: int, clusters: pd.DataFrame) -> None:
    """Replace a run's clustering (``unique_id`` → ``person_key``)."""
    conn.execute(delete(record_clusters).where(record_clusters.c.run_id == run_id))
    rows = [
        {"run_id": run_id, "list_record_id": int(u), "person_key": int(p)}
        for u, p in clusters[["unique_id", "person_key"]].itertuples(index=False)
    ]
    for i in range(0, len(rows), _CHUNK):
        conn.execute(insert(record_clusters), rows[i : i + _CHUNK])


def load_clusters(conn: Connection, run_id: int) -> pd.DataFrame:
    """A run's clustering with each record's list and id: ``unique_id``, ``person_key``,
    ``list_name``, ``record_id``."""
    query = (
        select(
            record_clusters.c.list_record_id.label("unique_id"),
            record_clusters.c.person_key,
            victim_lists.c.name.label("list_name"),
            list_records.c.record_id,
        )
        .join(list_records, list_records.c.id == record_clusters.c.list_record_id)
        .join(victim_lists, victim_lists.c.id == list_records.c.list_id)
        .where(record_clusters.c.run_id == run_id)
        .order_by(record_clusters.c.person_key, record_clusters.c.list_record_id)
    )
    frame = pd.DataFrame(conn.execute(query).mappings().all())
    if frame.empty:
        return pd.DataFrame(columns=["unique_id", "person_key", "list_name", "record_id"])
    return frame


def add_decision(
    conn: Connection, a: int, b: int, decision: PairDecision, reason: str, decided_by: str
) -> ReviewDecision:
    """Record a decision on a pair; the pair's previous decision stays, marked superseded."""
    lo, hi = ordered_pair(a, b)
    now = datetime.now(UTC)
    conn.execute(
        update(review_decisions)
        .where(
            review_decisions.c.record_a_id == lo,
            review_decisions.c.record_b_id == hi,
            review_decisions.c.current.is_(True),
        )
        .values(current=False)
    )
    new_id = insert_id(
        conn,
        insert(review_decisions).values(
            record_a_id=lo,
            record_b_id=hi,
            decision=decision.value,
            reason=reason,
            decided_by=decided_by,
            decided_at=now,
            current=True,
        ),
    )
    return ReviewDecision(new_id, lo, hi, decision, reason, decided_by, now, True)


def _decision(row: Any) -> ReviewDecision:
    return ReviewDecision(
        row.id,
        row.record_a_id,
        row.record_b_id,
        PairDecision(row.decision),
        row.reason,
        row.decided_by,
        row.decided_at,
        bool(row.current),
    )


def decision_history(conn: Connection, a: int, b: int) -> list[ReviewDecision]:
    """Every decision ever taken on a pair, oldest first."""
    lo, hi = ordered_pair(a, b)
    query = (
        select(review_decisions)
        .where(review_decisions.c.record_a_id == lo, review_decisions.c.record_b_id == hi)
        .order_by(review_decisions.c.id)
    )
    return [_decision(r) for r in conn.execute(query)]


def current_decisions(conn: Connection) -> Decisions:
    """The current accept and reject decisions (unsure ones do not act on clustering)."""
    rows = conn.execute(
        select(
            review_decisions.c.record_a_id,
            review_decisions.c.record_b_id,
            review_decisions.c.decision,
        ).where(review_decisions.c.current.is_(True))
    ).all()
    accepted = [(r.record_a_id, r.record_b_id) for r in rows if r.decision == "accept"]
    rejected = [(r.record_a_id, r.record_b_id) for r in rows if r.decision == "reject"]
    return Decisions.from_pairs(accepted, rejected)


def current_decision_map(conn: Connection) -> dict[tuple[int, int], str]:
    """Pair → its current decision (accept, reject or unsure)."""
    rows = conn.execute(
        select(
            review_decisions.c.record_a_id,
            review_decisions.c.record_b_id,
            review_decisions.c.decision,
        ).where(review_decisions.c.current.is_(True))
    )
    return {(r.record_a_id, r.record_b_id): r.decision for r in rows}


def count_decisions(conn: Connection) -> int:
    """Number of decisions ever recorded (history included)."""
    return int(conn.execute(select(func.count()).select_from(review_decisions)).scalar_one())
