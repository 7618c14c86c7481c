"""Cross-check of a latent-class estimate against log-linear model averaging, and their span."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sijill.errors import EstimationError
from sijill.estimation.base import EstimationResult

#: The method fitted beside ``lcmcr``. In the simulation study (bench/RESULTS-estimation-bayes.md)
#: LCMCR ran low in both failure scenarios (heterogeneous visibility, and one list copying
#: another), while AIC-averaged log-linear models ran high under heterogeneity and held up under
#: copying: the truth lay between the two, and their disagreement is what flags either failure.
REFERENCE_METHOD = "loglinear-averaged"


@dataclass(frozen=True)
class Agreement:
    """How two estimates of the same table relate.

    Attributes:
        outside: the reference's point estimate lies outside the primary's interval (the
            cross-check's trigger).
        disjoint: the two intervals do not overlap at all (a stronger disagreement).
        lower: the smaller of the two lower bounds.
        upper: the larger of the two upper bounds; ``lower``-``upper`` is the range both models
            together span, the honest range to quote when they disagree.
    """

    outside: bool
    disjoint: bool
    lower: float
    upper: float


def compare_estimates(primary: EstimationResult, reference: EstimationResult) -> Agreement:
    """Compare two estimates of one table: does the reference fall outside, and what do both span.

    Raises:
        EstimationError: the two come from different tables, or their intervals have different
            levels (comparing them would mean nothing).
    """
    if primary.input_hash and reference.input_hash and primary.input_hash != reference.input_hash:
        raise EstimationError(
            f"{primary.method} and {reference.method} were fitted to different tables",
            hint="fit the reference method to the same capture history",
        )
    if abs(primary.level - reference.level) > 1e-9:
        raise EstimationError(
            f"cannot compare a {primary.level:.0%} interval ({primary.method}) with a "
            f"{reference.level:.0%} interval ({reference.method})",
            hint="fit both methods at the same level",
        )
    return Agreement(
        outside=not primary.lower <= reference.estimate <= primary.upper,
        disjoint=primary.upper < reference.lower or reference.upper < primary.lower,
        lower=min(primary.lower, reference.lower),
        upper=max(primary.upper, reference.upper),
    )


def cross_check(primary: EstimationResult, reference: EstimationResult) -> EstimationResult:
    """Return ``primary`` with the reference recorded and a warning when the two disagree.

    The reference's estimate and interval, the two flags of ``Agreement`` and the span of both
    intervals go into ``diagnostics["cross_check"]``, so a report can show both figures. When
    the reference's estimate falls outside the primary's interval a warning says so, names the
    likely causes and gives the span. Neither figure is changed: which model to believe is the
    analyst's call, and the warning gives the evidence for it.

    Args:
        primary: the estimate to be reported (usually ``lcmcr``).
        reference: the same table estimated by another method (usually ``loglinear-averaged``).

    Raises:
        EstimationError: the two come from different tables or have different levels.
    """
    agreement = compare_estimates(primary, reference)
    check = {
        "method": reference.method,
        "estimate": reference.estimate,
        "lower": reference.lower,
        "upper": reference.upper,
        "outside": agreement.outside,
        "disjoint": agreement.disjoint,
        "span_lower": agreement.lower,
        "span_upper": agreement.upper,
    }
    warnings = list(primary.warnings)
    if agreement.outside:
        how = "do not even overlap" if agreement.disjoint else "disagree"
        warnings.append(
            f"{reference.method} estimates {reference.estimate:,.0f}, outside {primary.method}'s "
            f"{primary.level:.0%} interval ({primary.lower:,.0f}–{primary.upper:,.0f}); the "
            f"two models {how}. In simulations a latent-class model ran low when one list "
            "copies another, and log-linear models ran high when some people are far more "
            "visible than others; the truth lay within the range both span, "
            f"{agreement.lower:,.0f}–{agreement.upper:,.0f}. Check how the lists were compiled "
            "(copying between them) and consider stratifying"
        )
    return dataclasses.replace(
        primary, diagnostics={**primary.diagnostics, "cross_check": check}, warnings=tuple(warnings)
    )
