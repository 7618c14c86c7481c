"""The estimation use cases: method choice, strata, and the LCMCR cross-check."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sijill.estimation import CaptureHistory
from sijill.services import estimates

MSE = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"


@pytest.fixture
def kosovo() -> CaptureHistory:
    path = MSE / "kosovo_1999.csv"
    if not path.exists():
        pytest.skip("shared reference data not present")
    return CaptureHistory.from_csv(path)


def test_default_method_is_the_latent_class_model() -> None:
    assert estimates.default_method() == "lcmcr"


def test_cross_check_warns_when_the_reference_falls_outside(kosovo: CaptureHistory) -> None:
    base = estimates.estimate_table(kosovo, "m0")
    agreeing = dataclasses.replace(base, estimate=12000.0, lower=9000.0, upper=16000.0)
    checked = estimates.cross_check(agreeing, kosovo, 0.95)
    assert checked.diagnostics["cross_check"]["method"] == "loglinear-averaged"
    assert checked.warnings == agreeing.warnings
    far = dataclasses.replace(base, estimate=50000.0, lower=45000.0, upper=55000.0)
    warned = estimates.cross_check(far, kosovo, 0.95)
    assert any("do not even overlap" in w for w in warned.warnings)
    reference = warned.diagnostics["cross_check"]["estimate"]
    # Overlapping intervals still warn when the reference estimate lies outside (the old rule
    # waited for disjoint intervals and almost never fired when LCMCR was wrong).
    near = dataclasses.replace(
        base, estimate=reference * 0.7, lower=reference * 0.6, upper=reference * 0.95
    )
    flagged = estimates.cross_check(near, kosovo, 0.95)
    assert flagged.diagnostics["cross_check"]["outside"]
    assert any("outside" in w for w in flagged.warnings)


def test_lcmcr_through_the_service_carries_the_cross_check(kosovo: CaptureHistory) -> None:
    result = estimates.estimate_table(
        kosovo, "lcmcr", seed=3, burn_in=500, samples=300, thin=2, chains=2
    )
    assert result.method == "lcmcr" and "cross_check" in result.diagnostics
    assert result.lower <= 10401 <= result.upper * 1.2  # the census count, loosely: short chains


def test_unknown_settings_are_ignored_and_unknown_methods_refused(kosovo: CaptureHistory) -> None:
    with pytest.raises(Exception, match="unknown method"):
        estimates.estimate_table(kosovo, "no-such-method")
    result = estimates.estimate_table(kosovo, "m0", not_a_setting=1)
    assert result.n_observed > 0


def test_strata_use_the_lists_that_cover_them_and_pool_the_rest() -> None:
    import pandas as pd

    rows = []
    for region, lists in (("north", "abc"), ("south", "ab"), ("east", "c"), ("west", "a")):
        for pattern, count in (
            (("1", "0", "0"), 30),
            (("0", "1", "0"), 25),
            (("0", "0", "1"), 20),
            (("1", "1", "0"), 12),
            (("1", "0", "1"), 9),
            (("0", "1", "1"), 7),
            (("1", "1", "1"), 5),
        ):
            on = dict(zip("abc", pattern, strict=True))
            if all(on[x] == "0" for x in lists):
                continue
            cells = {x: int(on[x]) if x in lists else 0 for x in "abc"}
            if any(cells.values()):
                rows.append({**cells, "region": region, "count": count})
    frame = pd.DataFrame(rows).groupby(["a", "b", "c", "region"], as_index=False)["count"].sum()
    tables = estimates.split_strata(frame, "region")
    assert isinstance(tables, dict)
    assert tables["north"].lists == ("a", "b", "c")
    assert tables["south"].lists == ("a", "b")  # list c recorded nobody in the south
    assert "east" not in tables and "west" not in tables
    assert tables["other (2 strata pooled)"].lists == ("a", "c")
    lonely = frame[frame["region"].isin(["north", "east"])]
    with pytest.raises(Exception, match="fewer than two lists even when pooled"):
        estimates.split_strata(lonely, "region")
