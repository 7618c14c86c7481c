"""Corroboration: findings from claims, independence between sources, contradictions, scores.

A pure library (no database): `corroborate_case(CaseEvidence(...))` returns a frozen
`CorroborationReport`. The service `sijill.services.corroboration` feeds it from the store.
"""

from sijill.corroboration.model import (
    CaseEvidence,
    ClaimRef,
    Contradiction,
    CorroborationMatrix,
    CorroborationSettings,
    ExcludedClaim,
    Finding,
    FindingStatus,
    MatrixRow,
    Resolution,
    SourceGroup,
    SourceRef,
)
from sijill.corroboration.report import CorroborationReport, corroborate_case
from sijill.corroboration.values import Comparison, Verdict, compare_values

__all__ = [
    "CaseEvidence",
    "ClaimRef",
    "Comparison",
    "Contradiction",
    "CorroborationMatrix",
    "CorroborationReport",
    "CorroborationSettings",
    "ExcludedClaim",
    "Finding",
    "FindingStatus",
    "MatrixRow",
    "Resolution",
    "SourceGroup",
    "SourceRef",
    "Verdict",
    "compare_values",
    "corroborate_case",
]
