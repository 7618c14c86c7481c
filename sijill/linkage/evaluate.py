"""Linkage accuracy against a truth: pairwise precision/recall/F1 and B-cubed.

Pairwise counts every pair of records put together (a cluster of n records has n(n-1)/2
pairs), so big clusters dominate; B-cubed averages per record how much of its predicted
person is right (precision) and how much of its true person it found (recall), so every record
counts once. Statisticians report both beside estimates: false merges shrink an estimate,
missed links inflate it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sijill.errors import InputError, NotFoundError

__all__ = ["LinkageAccuracy", "evaluate_clusters", "pairwise_from_pairs", "read_truth"]


@dataclass(frozen=True)
class LinkageAccuracy:
    """Accuracy of a clustering against a truth.

    Attributes:
        records: Records evaluated (present in both).
        pairwise_precision: True pairs among predicted pairs.
        pairwise_recall: Predicted pairs among true pairs.
        pairwise_f1: Harmonic mean of the two.
        bcubed_precision: Mean over records of the share of its predicted cluster truly its.
        bcubed_recall: Mean over records of the share of its true cluster it was put with.
        bcubed_f1: Harmonic mean of the two.
        predicted_people: Distinct predicted people.
        true_people: Distinct true people.
        unmatched: Records in one table but not the other (left out).
    """

    records: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    predicted_people: int
    true_people: int
    unmatched: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures, rounded to 4 decimals."""
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _pairs_within(sizes: np.ndarray) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def evaluate_clusters(predicted: pd.Series, truth: pd.Series) -> LinkageAccuracy:
    """Compare two labellings of the same records.

    Args:
        predicted: Predicted person per record (index: record key).
        truth: True person per record (same index kind).

    Returns:
        The :class:`LinkageAccuracy`; records present in only one side are counted in
        ``unmatched`` and left out.
    """
    joined = pd.DataFrame({"pred": predicted, "true": truth}).dropna()
    unmatched = len(predicted.index.symmetric_difference(truth.index))
    if joined.empty:
        raise InputError(
            "no record of the truth file is in the linkage",
            hint="the truth file needs columns list, record_id, person_id for linked records",
        )
    pred_codes = pd.factorize(joined["pred"])[0]
    true_codes = pd.factorize(joined["true"])[0]
    both = pd.DataFrame({"p": pred_codes, "t": true_codes})
    inter = both.groupby(["p", "t"]).size().to_numpy()
    pred_sizes = both.groupby("p").size()
    true_sizes = both.groupby("t").size()
    tp = _pairs_within(inter)
    pred_pairs = _pairs_within(pred_sizes.to_numpy())
    true_pairs = _pairs_within(true_sizes.to_numpy())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    # B-cubed: for a record in (p, t): precision |p∩t|/|p|, recall |p∩t|/|t|.
    cell = both.groupby(["p", "t"]).size().rename("n").reset_index()
    cell["np"] = cell["p"].map(pred_sizes)
    cell["nt"] = cell["t"].map(true_sizes)
    n = len(both)
    b_precision = float((cell["n"] ** 2 / cell["np"]).sum() / n)
    b_recall = float((cell["n"] ** 2 / cell["nt"]).sum() / n)
    return LinkageAccuracy(
        records=n,
        pairwise_precision=float(precision),
        pairwise_recall=float(recall),
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        predicted_people=int(pred_sizes.size),
        true_people=int(true_sizes.size),
        unmatched=unmatched,
    )


def pairwise_from_pairs(
    predicted_pairs: set[tuple[Any, Any]], truth: pd.Series
) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a set of predicted record pairs (no clustering).

    Args:
        predicted_pairs: Pairs of record keys judged to match (either order).
        truth: True person per record key.
    """
    labels = truth.to_dict()
    tp = sum(
        1
        for a, b in predicted_pairs
        if labels.get(a) is not None and labels.get(a) == labels.get(b)
    )
    true_pairs = _pairs_within(truth.value_counts().to_numpy())
    precision = tp / len(predicted_pairs) if predicted_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    return precision, recall, _f1(precision, recall)


def read_truth(path: Path | str) -> pd.Series:
    """Read a truth CSV (``list``, ``record_id``, ``person_id``) as person per (list, record_id).

    Raises:
        NotFoundError: No such file.
        InputError: Missing columns or a record listed twice.
    """
    p = Path(path)
    if not p.is_file():
        raise NotFoundError(f"no truth file {p}", hint="give a CSV with list,record_id,person_id")
    frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = [c for c in ("list", "record_id", "person_id") if c not in frame.columns]
    if missing:
        raise InputError(
            f"{p}: truth file lacks column(s) {missing}",
            hint="the truth file needs columns list, record_id, person_id",
        )
    if frame.duplicated(["list", "record_id"]).any():
        row = frame[frame.duplicated(["list", "record_id"])].iloc[0]
        raise InputError(f"{p}: record {row['list']}/{row['record_id']} is listed twice")
    index = pd.MultiIndex.from_frame(frame[["list", "record_id"]])
    return pd.Series(frame["person_id"].to_numpy(), index=index, name="person_id")
