"""The lcmcr / log-linear cross-check: when it fires, what it records, what it refuses."""

from __future__ import annotations

import numpy as np
import pytest

from sijill.errors import EstimationError
from sijill.estimation.base import EstimationResult
from sijill.estimation.cross_check import REFERENCE_METHOD, compare_estimates, cross_check
from sijill.estimation.loglinear import LogLinearAveragedEstimator
from sijill.estimation.table import CaptureHistory


def result(
    estimate: float,
    lower: float,
    upper: float,
    method: str = "lcmcr",
    level: float = 0.95,
    input_hash: str = "table-1",
    warnings: tuple[str, ...] = (),
) -> EstimationResult:
    return EstimationResult(
        method,
        estimate,
        lower,
        upper,
        level,
        5_000,
        diagnostics={"ess_N": 900.0},
        input_hash=input_hash,
        warnings=warnings,
    )


@pytest.mark.parametrize(
    ("reference", "outside", "disjoint"),
    [
        ((9_000, 8_500, 9_800), False, False),  # estimate inside the primary's interval
        ((11_000, 9_500, 14_000), True, False),  # outside, intervals overlap
        ((10_000, 10_000, 14_000), False, False),  # estimate on the upper bound: inside
        ((13_000, 10_001, 16_000), True, True),  # entirely above
        ((5_000, 4_000, 7_999), True, True),  # entirely below
    ],
)
def test_compare_estimates_flags(
    reference: tuple[float, float, float], outside: bool, disjoint: bool
) -> None:
    primary = result(9_000, 8_000, 10_000)
    agreement = compare_estimates(primary, result(*reference, method=REFERENCE_METHOD))
    assert (agreement.outside, agreement.disjoint) == (outside, disjoint)
    assert agreement.lower == min(8_000, reference[1])
    assert agreement.upper == max(10_000, reference[2])


def test_cross_check_warns_with_the_span_and_keeps_the_figures() -> None:
    primary = result(8_000, 7_000, 9_500, warnings=("only 300 effective draws",))
    reference = result(12_000, 9_000, 18_000, method=REFERENCE_METHOD)
    checked = cross_check(primary, reference)
    assert (checked.estimate, checked.lower, checked.upper) == (8_000, 7_000, 9_500)
    assert checked.warnings[0] == "only 300 effective draws"
    assert len(checked.warnings) == 2
    assert "12,000" in checked.warnings[1] and "7,000–18,000" in checked.warnings[1]
    assert "copies" in checked.warnings[1]
    check = checked.diagnostics["cross_check"]
    assert check["method"] == REFERENCE_METHOD
    assert check["outside"] is True and check["disjoint"] is False
    assert (check["span_lower"], check["span_upper"]) == (7_000, 18_000)
    assert checked.diagnostics["ess_N"] == 900.0
    assert checked.to_dict()["diagnostics"]["cross_check"]["estimate"] == 12_000


def test_cross_check_silent_when_the_reference_falls_inside() -> None:
    primary = result(10_000, 9_400, 10_600)
    checked = cross_check(primary, result(10_100, 9_300, 11_000, method=REFERENCE_METHOD))
    assert checked.warnings == ()
    assert checked.diagnostics["cross_check"]["outside"] is False


def test_cross_check_says_when_intervals_do_not_overlap() -> None:
    checked = cross_check(result(7_400, 6_700, 8_600), result(13_000, 9_600, 18_200, "x"))
    assert "do not even overlap" in checked.warnings[-1]


def test_cross_check_refuses_different_levels_or_tables() -> None:
    primary = result(8_000, 7_000, 9_500)
    with pytest.raises(EstimationError, match="90%"):
        cross_check(primary, result(12_000, 9_000, 18_000, REFERENCE_METHOD, level=0.90))
    with pytest.raises(EstimationError, match="different tables"):
        cross_check(primary, result(12_000, 9_000, 18_000, REFERENCE_METHOD, input_hash="other"))


def test_cross_check_on_real_fits_of_one_table() -> None:
    """Two real estimators on one table: the hashes match and the span holds both intervals."""
    patterns = ((np.arange(1, 8)[:, None] >> np.arange(2, -1, -1)) & 1).astype(np.int8)
    table = CaptureHistory(("A", "B", "C"), patterns, np.array([60, 50, 12, 70, 15, 14, 4]))
    averaged = LogLinearAveragedEstimator().fit(table)
    independent = LogLinearAveragedEstimator(max_order=1).fit(table)
    checked = cross_check(independent, averaged)
    check = checked.diagnostics["cross_check"]
    assert check["span_lower"] == min(independent.lower, averaged.lower)
    assert check["span_upper"] == max(independent.upper, averaged.upper)
    expected_outside = not independent.lower <= averaged.estimate <= independent.upper
    assert check["outside"] is expected_outside
    assert len(checked.warnings) == len(independent.warnings) + int(expected_outside)
