"""Population estimation: capture-history tables, estimators and their frozen results."""

from __future__ import annotations

from sijill.estimation.base import EstimationResult, Estimator
from sijill.estimation.table import CaptureHistory

ESTIMATORS: dict[str, type[Estimator]] = {}

__all__ = ["ESTIMATORS", "CaptureHistory", "EstimationResult", "Estimator"]
