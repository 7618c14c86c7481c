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
    FLAG_REASONS,
    LARGE_BIAS,
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

#: Tables where the number of clean fits (R's infoFit 0) differs from R's by one model:
#: mvole_period3 (R 2,744 clean, here 2,745). [1345,125] fits towards the boundary, where its
#: N tends to exactly 70 and its bias to exactly 7, so |bias| / N tends to R's 10% line itself:
#: here it ends at 0.0999999998 (clean), with numpy's LAPACK QR at 0.1000000004 (flagged);
#: R's count says its LINPACK QR ends above. Its AIC (108.05) is far from the pick (93.91).
COUNT_OFF_BY_ONE = {"rcapture_mvole_period3"}


@cache
def searched(dataset: str) -> ModelTable:
    return fit_all_models(table(dataset))


def hierarchical_cases() -> list[Any]:
    cases = []
    for entry in reference():
        if not entry["method"].startswith("Rcapture::closedpMS"):
            continue
        criterion = "aic" if entry["variant"].startswith("AIC") else "bic"
        cases.append(pytest.param(entry, criterion, id=f"{entry['dataset']}-{criterion}"))
    return cases


def search_entries() -> list[Any]:
    return [
        pytest.param(entry, id=entry["dataset"])
        for entry in entries("Rcapture::closedpMS.t+closedpCI.t")
        if "n_models_fit_ok" in entry["extra"]
    ]


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


@pytest.mark.parametrize("entry", search_entries())
def test_every_model_in_r_top_ten_fits_and_is_flagged_alike(entry: dict[str, Any]) -> None:
    models = searched(entry["dataset"])
    for row in entry["extra"]["top10_by_AIC"]:
        index = models.find(row["model"])
        assert close(float(models.aic[index]), row["AIC"]), row["model"]
        assert close(float(models.abundance[index]), row["abundance"]), row["model"]
        assert int(models.df[index]) == row["df"]
        assert bool(models.ok[index]) == (row["infoFit"] == 0), (row, models.reasons(index))


@pytest.mark.parametrize("entry", search_entries())
def test_clean_fits_and_bic_pick_match_closedpms_t(entry: dict[str, Any]) -> None:
    models = searched(entry["dataset"])
    expected = entry["extra"]["n_models_fit_ok"]
    slack = 1 if entry["dataset"] in COUNT_OFF_BY_ONE else 0
    assert abs(int(models.ok.sum()) - expected) <= slack
    assert models.name(models.best("bic")) == entry["extra"]["bic_best_model"]


def test_large_bias_flag_follows_the_first_order_bias_formula() -> None:
    vole = table("rcapture_rbvole_period6")
    models = searched("rcapture_rbvole_period6")
    counts = vole.full_counts().astype(np.float64)
    for index, terms in enumerate(models.terms):
        design, _zero = design_for(terms, vole.n_lists)
        fit = fit_poisson(design, counts)
        # Cox & Snell's O(1/n) bias of β, carried to exp(β0), with plain matrices.
        covariance = np.linalg.inv(design.T @ (design * fit.fitted[:, None]))
        leverage = np.einsum("ij,jk,ik->i", design, covariance, design)
        beta_bias = -0.5 * covariance @ design.T @ (fit.fitted * leverage)
        mu0 = np.exp(fit.coefficients[0])
        bias = mu0 * (beta_bias[0] + 0.5 * covariance[0, 0])
        # The kernel's covariance uses the last IRLS weights (as glm's vcov): 1e-3 covers it.
        assert float(models.bias[index]) == pytest.approx(bias, rel=1e-3)
        assert bool(models.flags[index] & LARGE_BIAS) == (abs(bias) > 0.1 * (counts.sum() + mu0))
    # R keeps 6 of the 8 models: [12,13] and [12,13,23] have a bias over 10% of N.
    assert sorted(models.name(i) for i in np.flatnonzero(~models.ok)) == ["[12,13,23]", "[12,13]"]


def test_estimator_names_the_excluded_models_and_can_let_them_compete() -> None:
    vole = table("rcapture_rbvole_period6")
    result = LogLinearEstimator().fit(vole)
    assert result.diagnostics["model"] == "[1,2,3]"
    assert result.diagnostics["n_models_usable"] == 6
    excluded = result.diagnostics["excluded_models"]
    # Only the flagged models that beat the pick are listed: [12,13] (AIC 44.77) does not.
    assert [row["model"] for row in excluded] == ["[12,13,23]"]
    assert list(excluded[0]["reasons"]) == [FLAG_REASONS[LARGE_BIAS]]
    assert excluded[0]["bias"] > 0.1 * excluded[0]["abundance"]
    assert any(w.startswith("model [12,13,23] (AIC ") and "excluded" in w for w in result.warnings)
    assert result.diagnostics["n_models_flagged"] == {FLAG_REASONS[LARGE_BIAS]: 2}
    shown = [row["model"] for row in result.diagnostics["top_models"]]
    assert "[12,13]" not in shown and len(shown) == 6
    anyway = LogLinearEstimator(include_large_bias=True).fit(vole)
    assert anyway.diagnostics["model"] == "[12,13,23]"
    assert len(anyway.diagnostics["excluded_models"]) == 0
    assert anyway.settings["include_large_bias"] is True
    assert anyway.estimate != pytest.approx(result.estimate, rel=0.05)


def test_estimator_falls_back_with_a_warning_when_every_fit_is_biased() -> None:
    barely = CaptureHistory.from_dataframe(
        pd.DataFrame(
            {
                "A": [1, 0, 0, 1, 1, 0, 1],
                "B": [0, 1, 0, 1, 0, 1, 1],
                "C": [0, 0, 1, 0, 1, 1, 1],
                "count": [30, 30, 30, 1, 1, 1, 0],
            }
        )
    )
    models = fit_all_models(barely)
    assert not models.ok.any()  # all 8 fit, all with |bias| > 10% of N
    result = LogLinearEstimator().fit(barely)
    assert result.diagnostics["large_bias_models_compete"] is True
    assert result.diagnostics["model"] == models.name(models.best(include_large_bias=True))
    assert "unreliable" in result.warnings[0]
    strict = LogLinearEstimator().fit(table("rcapture_rbvole_period6"))
    assert strict.diagnostics["large_bias_models_compete"] is False


def test_all_biased_fits_is_a_clear_error() -> None:
    models = searched("rcapture_rbvole_period6")
    only_biased = ModelTable(**{**models.__dict__, "flags": np.full_like(models.flags, LARGE_BIAS)})
    with pytest.raises(EstimationError, match="asymptotic bias"):
        only_biased.best()
    assert only_biased.best(include_large_bias=True) == models.best(include_large_bias=True)


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
