"""A run's quality report: match-weight distribution, cluster sizes, pairs near the threshold."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sijill.linkage.settings import LinkageSettings

__all__ = ["linkage_quality", "untrained_levels"]


def linkage_quality(
    pairs: pd.DataFrame,
    clusters: pd.DataFrame,
    settings: LinkageSettings,
    model: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Figures a statistician reports beside an estimate made from linked lists.

    Args:
        pairs: Scored pairs (``match_probability``, ``match_weight``, ``in_review``).
        clusters: Every record's ``person_key`` (and ``list_name``).
        settings: The run's settings (threshold, review band).
        model: The run's stored model (``LinkageResult.model``), if at hand: adds which
            parts of it no training session learnt.

    Returns:
        ``records``, ``people``, ``records_per_list``, ``people_per_list``,
        ``cluster_sizes`` (size → number of people), ``largest_cluster``,
        ``match_weight_histogram`` (2-bit bins: lower edge → pairs), ``pairs`` (scored,
        above threshold, in the review band, within 0.1 of the threshold) and
        ``threshold``/``review_band``; with a model also ``untrained_comparisons`` and
        ``untrained_levels`` (see :func:`untrained_levels`).
    """
    sizes = clusters.groupby("person_key").size()
    size_counts = sizes.value_counts().sort_index()
    weights = pairs["match_weight"].astype(float).to_numpy()
    histogram: dict[str, int] = {}
    if len(weights):
        low = 2 * np.floor(weights.min() / 2)
        high = 2 * np.floor(weights.max() / 2) + 2
        counts, edges = np.histogram(weights, bins=np.arange(low, high + 2, 2))
        histogram = {f"{e:g}": int(c) for e, c in zip(edges[:-1], counts, strict=True) if c}
    prob = pairs["match_probability"].astype(float)
    per_list = clusters.groupby("list_name")
    report: dict[str, Any] = {
        "records": len(clusters),
        "people": int(sizes.size),
        "records_per_list": {str(k): int(v) for k, v in per_list.size().items()},
        "people_per_list": {str(k): int(v) for k, v in per_list["person_key"].nunique().items()},
        "cluster_sizes": {str(int(k)): int(v) for k, v in size_counts.items()},
        "largest_cluster": int(sizes.max()) if len(sizes) else 0,
        "match_weight_histogram": histogram,
        "pairs": {
            "scored": len(pairs),
            "above_threshold": int((prob >= settings.threshold).sum()),
            "in_review_band": int(pairs["in_review"].astype(bool).sum()),
            "near_threshold": int(((prob - settings.threshold).abs() <= 0.1).sum()),
        },
        "threshold": settings.threshold,
        "review_band": [settings.review_low, settings.review_high],
    }
    if model is not None:
        report["untrained_comparisons"] = list(model.get("sijill_untrained_comparisons", []))
        report["untrained_levels"] = untrained_levels(model)
    return report


def untrained_levels(model: dict[str, Any]) -> list[dict[str, Any]]:
    """Levels of a stored model whose m probability is Splink's default, not learnt.

    Runs since the third session store the list (with the default m each level scored
    with) as ``sijill_untrained_levels``; for older runs it is read off the model itself: a
    level that is not the null level and carries no m probability was never trained.

    Returns:
        One dict per level: ``comparison``, ``level`` and, when stored, ``default_m``.
    """
    stored = model.get("sijill_untrained_levels")
    if stored is not None:
        return [dict(level) for level in stored]
    return [
        {
            "comparison": comparison.get("output_column_name", ""),
            "level": level.get("label_for_charts", level.get("sql_condition", "")),
        }
        for comparison in model.get("comparisons", [])
        for level in comparison.get("comparison_levels", [])
        if not level.get("is_null_level") and "m_probability" not in level
    ]
