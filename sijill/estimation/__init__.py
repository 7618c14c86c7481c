"""Population estimation: capture-history tables, estimators and their frozen results.

``ESTIMATORS`` maps each ``--method`` name to its estimator class; every class can be built
with no arguments (its defaults) and fitted with ``fit(CaptureHistory)``.
"""

from __future__ import annotations

from sijill.estimation.base import EstimationResult, Estimator
from sijill.estimation.closed_models import STANDARD_MODELS, ModelFit, fit_standard_models
from sijill.estimation.loglinear import LogLinearAveragedEstimator, LogLinearEstimator
from sijill.estimation.standard import STANDARD_ESTIMATORS, StandardModelEstimator
from sijill.estimation.stratified import StratifiedEstimator, StratifiedResult
from sijill.estimation.table import CaptureHistory
from sijill.estimation.testimony import (
    Period,
    TestimonyResult,
    WitnessReport,
    estimate_from_testimony,
)
from sijill.estimation.testimony_inputs import UncertainDate, UncertainQuantity
from sijill.estimation.two_list import ChapmanEstimator, LincolnPetersenEstimator

ESTIMATORS: dict[str, type[Estimator]] = {
    ChapmanEstimator.name: ChapmanEstimator,
    LincolnPetersenEstimator.name: LincolnPetersenEstimator,
    LogLinearEstimator.name: LogLinearEstimator,
    LogLinearAveragedEstimator.name: LogLinearAveragedEstimator,
    **STANDARD_ESTIMATORS,
}


def register(*estimators: type[Estimator]) -> None:
    """Add estimator classes to ``ESTIMATORS`` under their ``name``."""
    for estimator in estimators:
        ESTIMATORS[estimator.name] = estimator


# --- Latent-class (LCMCR) and graphical-model (dga) estimators: their engineer edits only the
# --- lines between these markers, e.g. `from sijill.estimation.dga import DgaEstimator` and
# --- `register(DgaEstimator)`.
from sijill.estimation.dga import DgaEstimator  # noqa: E402
from sijill.estimation.lcmcr import LcmcrEstimator  # noqa: E402

register(LcmcrEstimator, DgaEstimator)
# --- end of the latent-class / dga block.

__all__ = [
    "ESTIMATORS",
    "STANDARD_MODELS",
    "CaptureHistory",
    "ChapmanEstimator",
    "EstimationResult",
    "Estimator",
    "LincolnPetersenEstimator",
    "LogLinearAveragedEstimator",
    "LogLinearEstimator",
    "ModelFit",
    "Period",
    "StandardModelEstimator",
    "StratifiedEstimator",
    "StratifiedResult",
    "TestimonyResult",
    "UncertainDate",
    "UncertainQuantity",
    "WitnessReport",
    "estimate_from_testimony",
    "fit_standard_models",
    "register",
]
