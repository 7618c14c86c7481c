"""Log-linear models against Rcapture 1.4-4 on every table of the shared reference (0.5%)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sijill.errors import EstimationError
from sijill.estimation.closed_models import STANDARD_MODELS, fit_standard_models
from sijill.estimation.glm import fit_poisson
from sijill.estimation.hierarchical import (
    ModelTable,
    design_for,
    enumerate_models,
    fit_all_models,
    model_name,
    parse_model_name,
)
from sijill.estimation.loglinear import LogLinearEstimator
from sijill.estimation.profile import profile_interval
from sijill.estimation.standard import STANDARD_ESTIMATORS, StandardModelEstimator
from sijill.estimation.table import CaptureHistory

MSE = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"
TOLERANCE = 0.005


@cache
def reference() -> list[dict[str, Any]]:
    return list(json.loads((MSE / "reference.json").read_text())["estimates"])


def entries(method: str) -> list[dict[str, Any]]:
    return [entry for entry in reference() if entry["method"] == method]


def table(dataset: str) -> CaptureHistory:
    return CaptureHistory.from_csv(MSE / f"{dataset}.csv")


def close(mine: float, theirs: float, floor: float = 1e-9) -> bool:
    return abs(mine - theirs) <= TOLERANCE * max(abs(theirs), floor)


@pytest.mark.parametrize(
    "entry", entries("Rcapture::closedp.t"), ids=lambda entry: entry["dataset"]
)
def test_twelve_standard_models_match_closedp_t(entry: dict[str, Any]) -> None:
    fits = {fit.model: fit for fit in fit_standard_models(table(entry["dataset"]))}
    assert set(fits) == set(STANDARD_MODELS)
    mismatches = []
    for row in entry["extra"]["models"]:
        fit = fits[row["model"]]
        figures = {
            "abundance": fit.abundance,
            "deviance": fit.deviance,
            "df": fit.df,
            "AIC": fit.aic,
            "BIC": fit.bic,
        }
        # Rcapture's Mbh standard error follows a formula its paper does not give; ours is a
        # removal-model approximation (documented), so only Mbh's stderr is left out here.
        if row["model"] != "Mbh":
            figures["stderr"] = fit.stderr
        for key, mine in figures.items():
            theirs = row[key]
            floor = 0.01 if key == "deviance" else 1e-9
            if theirs is not None and not close(mine, theirs, floor):
                mismatches.append((row["model"], key, mine, theirs))
    assert mismatches == []


@pytest.mark.parametrize(
    "entry", entries("Rcapture::closedpCI.t"), ids=lambda entry: entry["dataset"]
)
def test_profile_likelihood_matches_closedpci_t(entry: dict[str, Any]) -> None:
    model = entry["settings"]["model"]
    result = StandardModelEstimator(model=model).fit(table(entry["dataset"]))
    assert close(result.estimate, entry["point_estimate"]["value"])
    assert close(result.lower, entry["interval"]["lower"])
    if entry["extra"]["infoCI"] == "0":
        assert close(result.upper, entry["interval"]["upper"])
    else:
        # R flags this interval (infoCI != 0: its lower bound hit n); agree loosely only.
        assert abs(result.upper / entry["interval"]["upper"] - 1) < 0.02
    assert result.lower <= result.estimate <= result.upper


def test_registry_names_cover_the_twelve_models() -> None:
    assert len(STANDARD_ESTIMATORS) == 12
    assert STANDARD_ESTIMATORS["mth-chao"].model == "Mth Chao (LB)"
    result = STANDARD_ESTIMATORS["m0"]().fit(table("kosovo_1999"))
    assert result.method == "m0"
    assert result.diagnostics["model"] == "M0"


def test_poisson_fit_recovers_known_coefficients() -> None:
    rng = np.random.default_rng(7)
    design = np.column_stack([np.ones(400), rng.normal(size=400)])
    counts = rng.poisson(np.exp(design @ np.array([2.0, 0.5])))
    fit = fit_poisson(design, counts)
    assert fit.converged
    assert fit.coefficients == pytest.approx([2.0, 0.5], abs=0.05)
    information = design.T @ (design * fit.fitted[:, None])
    assert fit.covariance == pytest.approx(np.linalg.inv(information))
    assert fit.fitted.sum() == pytest.approx(counts.sum())  # intercept: totals are kept


# --------------------------------------------------------------- hierarchical search (closedpMS.t)

#: Tables where R's closedpMS.t leaves out, as failed fits (its infoFit), models that fit
#: cleanly here (converged, no zero mean, finite standard error), so its AIC-best differs. The
#: rule R uses is not documented in Baillargeon & Rivest (2007); these are recorded, not hidden.
SELECTION_DIFFERS = {
    ("rcapture_mvole_period3", "aic"),
    ("rcapture_mvole_period6", "aic"),
    ("rcapture_rbvole_period2", "aic"),
    ("rcapture_rbvole_period5", "aic"),
    ("rcapture_rbvole_period6", "aic"),
}


@cache
def searched(dataset: str) -> ModelTable:
    return fit_all_models(table(dataset))


def hierarchical_cases() -> list[Any]:
    cases = []
    for entry in reference():
        if not entry["method"].startswith("Rcapture::closedpMS"):
            continue
        criterion = "aic" if entry["variant"].startswith("AIC") else "bic"
        marks = []
        if (entry["dataset"], criterion) in SELECTION_DIFFERS:
            marks.append(pytest.mark.xfail(strict=True, reason="R excludes more models"))
        cases.append(
            pytest.param(entry, criterion, marks=marks, id=f"{entry['dataset']}-{criterion}")
        )
    return cases


def test_model_counts_match_rcapture() -> None:
    assert [len(enumerate_models(k)) for k in (3, 4, 5)] == [8, 113, 6893]


@pytest.mark.parametrize(("entry", "criterion"), hierarchical_cases())
def test_selected_model_matches_closedpms_t(entry: dict[str, Any], criterion: str) -> None:
    models = searched(entry["dataset"])
    best = models.best(criterion)
    assert models.name(best) == entry["settings"]["model"]
    poisson = entry["extra"]["poisson_fit"]
    assert close(float(models.abundance[best]), poisson["abundance"])
    assert close(float(models.stderr[best]), poisson["stderr"])
    assert close(float(models.deviance[best]), poisson["deviance"], 0.01)
    assert int(models.df[best]) == poisson["df"]
    assert close(float(models.aic[best]), poisson["AIC"])
    assert close(float(models.bic[best]), poisson["BIC"])
    design, zero_row = design_for(models.terms[best], models.n_lists)
    profile = profile_interval(
        design, zero_row, table(entry["dataset"]).full_counts(), float(models.abundance[best])
    )
    assert close(profile.estimate, entry["point_estimate"]["value"])
    assert close(profile.lower, entry["interval"]["lower"])
    assert close(profile.upper, entry["interval"]["upper"])


@pytest.mark.parametrize(
    "entry",
    [e for e in entries("Rcapture::closedpMS.t+closedpCI.t") if "top10_by_AIC" in e["extra"]],
    ids=lambda entry: entry["dataset"],
)
def test_every_model_in_r_top_ten_fits_alike(entry: dict[str, Any]) -> None:
    models = searched(entry["dataset"])
    for row in entry["extra"]["top10_by_AIC"]:
        index = models.find(row["model"])
        assert close(float(models.aic[index]), row["AIC"]), row["model"]
        assert close(float(models.abundance[index]), row["abundance"]), row["model"]
        assert int(models.df[index]) == row["df"]


def test_loglinear_estimator_end_to_end_on_kosovo() -> None:
    kosovo = table("kosovo_1999")
    result = LogLinearEstimator().fit(kosovo)
    assert result.diagnostics["model"] == "[123,134]"
    assert result.diagnostics["max_order_searched"] == 3
    assert result.lower < result.estimate < result.upper
    averaged = LogLinearEstimator(average=True).fit(kosovo)
    assert averaged.estimate == pytest.approx(result.diagnostics["averaged"]["estimate"])
    weights = [row["weight"] for row in result.diagnostics["top_models"]]
    assert weights == sorted(weights, reverse=True)
    assert 0 < sum(weights) <= 1.0 + 1e-9


def test_model_names_round_trip() -> None:
    for terms in enumerate_models(4):
        assert parse_model_name(model_name(terms, 4), 4) == terms


def test_loglinear_interval_covers_truth_with_independent_lists() -> None:
    rng = np.random.default_rng(2026)
    truth, covered, runs = 1500, 0, 40
    probabilities = np.array([0.25, 0.3, 0.2])
    for _ in range(runs):
        captured = rng.random((truth, 3)) < probabilities
        seen = captured.any(axis=1)
        sample = CaptureHistory.from_records(captured[seen].astype(int).tolist(), lists="ABC")
        result = LogLinearEstimator().fit(sample)
        covered += result.lower <= truth <= result.upper
    assert covered >= 0.85 * runs


def test_loglinear_absorbs_dependence_that_biases_independence() -> None:
    rng = np.random.default_rng(11)
    truth, runs = 1500, 20
    covered_loglinear = covered_independence = 0
    for _ in range(runs):
        first = rng.random(truth) < 0.3
        # List 2 copies most of list 1 (positive dependence), plus its own captures.
        second = (first & (rng.random(truth) < 0.6)) | (rng.random(truth) < 0.15)
        third = rng.random(truth) < 0.25
        captured = np.c_[first, second, third]
        seen = captured.any(axis=1)
        sample = CaptureHistory.from_records(captured[seen].astype(int).tolist(), lists="ABC")
        selected = LogLinearEstimator().fit(sample)
        independence = StandardModelEstimator(model="Mt").fit(sample)
        covered_loglinear += selected.lower <= truth <= selected.upper
        covered_independence += independence.lower <= truth <= independence.upper
        assert "12" in selected.diagnostics["model"]
    assert covered_loglinear >= 0.8 * runs
    assert covered_independence <= 0.2 * runs


def test_no_overlap_and_invalid_models_are_clear_errors() -> None:
    apart = CaptureHistory.from_dataframe(
        pd.DataFrame({"A": [1, 0, 0], "B": [0, 1, 0], "C": [0, 0, 1], "count": [40, 30, 20]})
    )
    for estimator in (LogLinearEstimator(), StandardModelEstimator(model="Mth Chao (LB)")):
        with pytest.raises(EstimationError, match="share nobody"):
            estimator.fit(apart)
    # Rcapture's Mb gives N = -241 on this table; as an estimate that is refused, not reported.
    vole = table("rcapture_rbvole_period1")
    assert {f.model: f for f in fit_standard_models(vole)}["Mb"].abundance < 0
    with pytest.raises(EstimationError, match="no valid estimate"):
        StandardModelEstimator(model="Mb").fit(vole)
