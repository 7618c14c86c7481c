"""A run's quality report: match-weight distribution, cluster sizes, pairs near the threshold."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sijill.linkage.settings import LinkageSettings

__all__ = ["linkage_quality"]


def linkage_quality(
    pairs: pd.DataFrame, clusters: pd.DataFrame, settings: LinkageSettings
) -> dict[str, Any]:
    """Figures a statistician reports beside an estimate made from linked lists.

    Args:
        pairs: Scored pairs (``match_probability``, ``match_weight``, ``in_review``).
        clusters: Every record's ``person_key`` (and ``list_name``).
        settings: The run's settings (threshold, review band).

    Returns:
        ``records``, ``people``, ``records_per_list``, ``people_per_list``,
        ``cluster_sizes`` (size → number of people), ``largest_cluster``,
        ``match_weight_histogram`` (2-bit bins: lower edge → pairs), ``pairs`` (scored,
        above threshold, in the review band, within 0.1 of the threshold) and
        ``threshold``/``review_band``.
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
    return {
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
