"""One linkage run in memory: prepare, train, score, cluster; no workspace needed.

The store and services wrap this for workspaces; tests, benchmarks and the demo call it on
DataFrames directly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sijill.errors import InputError
from sijill.linkage.backends import LinkageBackend, make_backend
from sijill.linkage.cluster import Clustering, Decisions, cluster_records, conflict_to_dict
from sijill.linkage.model import register_lists, score_pairs, train_model
from sijill.linkage.preflight import check_candidate_pairs
from sijill.linkage.prepare import prepare_records
from sijill.linkage.settings import LinkageSettings
from sijill.linkage.split import check_people, score_within_people

__all__ = ["LinkageResult", "link_records", "recluster"]


@dataclass(frozen=True)
class LinkageResult:
    """What a run produced.

    Attributes:
        settings: The settings used.
        pairs: Scored pairs at or above the floor: ``unique_id_l``, ``unique_id_r``,
            ``match_probability``, ``match_weight``, ``in_review`` (inside the review band).
        clustering: Every record's person and the conflicts repaired.
        model: The trained Splink model (JSON-ready), so the scores can be explained.
        timings: Seconds spent per step.
        notes: Splink's own warnings during training and scoring (e.g. parameters it could not
            estimate from these lists), kept with the run instead of printed.
    """

    settings: LinkageSettings
    pairs: pd.DataFrame
    clustering: Clustering
    model: dict[str, Any] = field(repr=False)
    timings: dict[str, float]
    notes: tuple[str, ...] = ()

    @property
    def clusters(self) -> pd.DataFrame:
        """One row per record: ``unique_id``, ``person_key``."""
        return self.clustering.clusters

    @property
    def n_people(self) -> int:
        """Number of distinct people found."""
        return int(self.clustering.clusters["person_key"].nunique())

    def summary(self) -> dict[str, Any]:
        """Counts and timings, JSON-ready (stored as the run's metrics)."""
        pairs = self.pairs
        return {
            "records": len(self.clustering.clusters),
            "people": self.n_people,
            "pairs_scored": len(pairs),
            "pairs_above_threshold": int(
                (pairs["match_probability"] >= self.settings.threshold).sum()
            ),
            "pairs_in_review": int(pairs["in_review"].sum()),
            "conflicts": [conflict_to_dict(c) for c in self.clustering.conflicts],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "notes": list(self.notes),
        }


def _mark_review(pairs: pd.DataFrame, settings: LinkageSettings) -> pd.DataFrame:
    p = pairs["match_probability"]
    pairs["in_review"] = (p >= settings.review_low) & (p <= settings.review_high)
    return pairs


def link_records(
    records: pd.DataFrame,
    settings: LinkageSettings | None = None,
    decisions: Decisions | None = None,
    backend: LinkageBackend | None = None,
) -> LinkageResult:
    """Deduplicate within lists and link across lists in one Splink run.

    Args:
        records: One row per list record (see :func:`sijill.linkage.prepare.prepare_records`).
        settings: Linkage settings; the defaults when None.
        decisions: Human decisions to honour while clustering.
        backend: The engine; made from the settings when None (and closed afterwards).

    Returns:
        The :class:`LinkageResult`.

    Raises:
        InputError: Fewer than two records, or bad record columns.
    """
    settings = settings or LinkageSettings()
    if len(records) < 2:
        raise InputError(
            f"linkage needs at least two records; got {len(records)}",
            hint="import the lists first (`sijill import-list FILE --list NAME`)",
        )
    timings: dict[str, float] = {}
    start = time.perf_counter()
    prepared = prepare_records(records, settings.extra_columns)
    check_candidate_pairs(prepared, settings)
    timings["prepare"] = time.perf_counter() - start
    own = backend is None
    engine = backend or make_backend(settings.backend, settings.memory_limit, settings.threads)
    with _splink_notes() as notes:
        try:
            result = _run(prepared, settings, decisions, engine, timings)
        finally:
            if own:
                engine.close()
    timings["total"] = time.perf_counter() - start
    return LinkageResult(settings, result[0], result[1], result[2], timings, tuple(notes))


class _NoteHandler(logging.Handler):
    def __init__(self, notes: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        text = " ".join(record.getMessage().replace("-- WARNING --", "").split())
        if text and text not in self.notes:
            self.notes.append(text)


@contextmanager
def _splink_notes() -> Iterator[list[str]]:
    """Collect Splink's warnings for the run's record instead of letting them reach the console."""
    notes: list[str] = []
    logger = logging.getLogger("splink")
    saved = (logger.handlers[:], logger.propagate)
    logger.handlers = [_NoteHandler(notes)]
    logger.propagate = False
    try:
        yield notes
    finally:
        logger.handlers, logger.propagate = saved


def _run(
    prepared: pd.DataFrame,
    settings: LinkageSettings,
    decisions: Decisions | None,
    engine: LinkageBackend,
    timings: dict[str, float],
) -> tuple[pd.DataFrame, Clustering, dict[str, Any]]:
    """Train, score and cluster on one engine."""
    db_api = engine.database_api()
    step = time.perf_counter()
    tables = register_lists(prepared, engine, settings.blocking_rules)
    linker, model = train_model(tables, settings, prepared)
    timings["train"] = time.perf_counter() - step
    step = time.perf_counter()
    scored = score_pairs(linker, settings)
    pairs = engine.to_pandas(scored)[
        ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    ]
    scored.drop_table_from_database_and_remove_from_cache()
    pairs = pairs.astype({"unique_id_l": "int64", "unique_id_r": "int64"})
    pairs = _mark_review(pairs, settings)
    pairs = pairs.sort_values(["unique_id_l", "unique_id_r"]).reset_index(drop=True)
    timings["predict"] = time.perf_counter() - step
    step = time.perf_counter()
    clustering = cluster_records(
        prepared["unique_id"], pairs, settings.threshold, db_api, decisions
    )
    if settings.check_people:
        inside = score_within_people(linker, prepared, clustering.clusters)
        pairs = _add_pairs(pairs, inside, settings)
        clustering = check_people(clustering, pairs, settings.threshold, decisions)
    timings["cluster"] = time.perf_counter() - step
    return pairs, clustering, model


def _add_pairs(pairs: pd.DataFrame, extra: pd.DataFrame, settings: LinkageSettings) -> pd.DataFrame:
    """Pairs scored inside candidate people join the run's pairs (kept for re-clustering)."""
    if extra.empty:
        return pairs
    both = pd.concat([pairs, _mark_review(extra.copy(), settings)], ignore_index=True)
    both = both.drop_duplicates(["unique_id_l", "unique_id_r"], keep="first")
    return both.sort_values(["unique_id_l", "unique_id_r"]).reset_index(drop=True)


def recluster(
    ids: pd.Series | list[int],
    pairs: pd.DataFrame,
    settings: LinkageSettings,
    decisions: Decisions,
) -> Clustering:
    """Cluster stored pairs again after a decision, without re-scoring (fast, same rules)."""
    engine = make_backend("duckdb", settings.memory_limit, settings.threads)
    try:
        clustering = cluster_records(
            ids, pairs, settings.threshold, engine.database_api(), decisions
        )
    finally:
        engine.close()
    if settings.check_people:
        clustering = check_people(clustering, pairs, settings.threshold, decisions)
    return clustering
