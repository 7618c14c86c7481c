"""Record linkage of victim lists on Splink (DuckDB by default): prepare, train, score, cluster.

Example:
    >>> from sijill.linkage import LinkageSettings, link_records
    >>> result = link_records(records_frame, LinkageSettings(threshold=0.9))  # doctest: +SKIP
    >>> result.clusters  # one row per record: unique_id, person_key  # doctest: +SKIP
"""

from sijill.linkage.cluster import Clustering, Decisions, cluster_records
from sijill.linkage.evaluate import LinkageAccuracy, evaluate_clusters, read_truth
from sijill.linkage.prepare import prepare_records
from sijill.linkage.review import PairDecision
from sijill.linkage.run import LinkageResult, link_records, recluster
from sijill.linkage.settings import LinkageSettings, NameComparison

__all__ = [
    "Clustering",
    "Decisions",
    "LinkageAccuracy",
    "LinkageResult",
    "LinkageSettings",
    "NameComparison",
    "PairDecision",
    "cluster_records",
    "evaluate_clusters",
    "link_records",
    "prepare_records",
    "read_truth",
    "recluster",
]
