"""The latent-class (LCMCR) estimator against R's LCMCR 0.4.14 and on its own guarantees."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.special import betaln, gammaln

from sijill.errors import EstimationError
from sijill.estimation.lcmcr import LcmcrEstimator, independence_start
from sijill.estimation.table import CaptureHistory

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"
REFERENCE = DATA / "reference.json"

pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data missing")

#: Settings of the agreement tests: 2 chains x 2,000 draws (thin 2) after 2,000 sweeps, < 1 s.
FAST = {"burn_in": 2000, "samples": 2000, "thin": 2, "chains": 2}
#: Between-seed SD of our median / 2.5% / 97.5% quantiles at FAST settings on these small tables,
#: measured over seeds 1-3 (bench/RESULTS-estimation-bayes.md): at most 0.6 people.
OUR_SEED_SD = 0.6
#: Small tables where R's chains mix well (ESS of N > 4,000 per 10,000 draws).
TABLES = ["rcapture_mvole_period1", "rcapture_mvole_period5", "rcapture_rbvole_period4"]


def r_pooled(dataset: str) -> dict[str, Any]:
    estimates = json.loads(REFERENCE.read_text())["estimates"]
    return next(
        e
        for e in estimates
        if e["dataset"] == dataset
        and e["method"] == "LCMCR"
        and e["variant"] == "K10_burn10k_10k_samples_thin10_pooled_5_seeds"
    )


def tolerance(per_seed: list[dict[str, Any]], key: str) -> float:
    """Three SDs of the difference of two independent runs, plus one person for rounding.

    R's SD is the spread of its five seeds; ours is OUR_SEED_SD. The +1 covers integer N and the
    interpolation between neighbouring draws in the quantiles.
    """
    r_sd = float(np.std([p[key] for p in per_seed], ddof=1))
    return 3.0 * math.hypot(r_sd, OUR_SEED_SD) + 1.0


@pytest.mark.parametrize("dataset", TABLES)
def test_agrees_with_r_lcmcr_within_monte_carlo_error(dataset: str) -> None:
    reference = r_pooled(dataset)
    per_seed = reference["extra"]["per_seed"]
    table = CaptureHistory.from_csv(DATA / f"{dataset}.csv")
    result = LcmcrEstimator(seed=7, **FAST).fit(table)
    assert abs(result.estimate - reference["point_estimate"]["value"]) <= tolerance(
        per_seed, "median"
    )
    assert abs(result.lower - reference["interval"]["lower"]) <= tolerance(per_seed, "q025")
    assert abs(result.upper - reference["interval"]["upper"]) <= tolerance(per_seed, "q975")
    assert result.diagnostics["rhat_N"] < 1.05
    assert result.diagnostics["bound_hits"] == 0


@pytest.mark.parametrize("collapsed", [False, True])
@pytest.mark.parametrize("dataset", ["kosovo_1999", "rcapture_rbvole_period5"])
def test_one_class_matches_the_exact_posterior(dataset: str, collapsed: bool) -> None:
    """With K = 1 the model is list independence and the posterior of N has a closed form.

    p(N | data) ∝ (1/N) N!/(N - n)! prod_j B(1 + n_j, 1 + N - n_j): this checks the random
    numbers, the data augmentation and the collapsed move against exact quantiles.
    """
    table = CaptureHistory.from_csv(DATA / f"{dataset}.csv")
    n = table.n_observed
    list_totals = np.asarray(table.patterns).T @ np.asarray(table.counts)
    population = np.arange(n, 20 * n + 1000, dtype=np.float64)
    log_post = -np.log(population) + gammaln(population + 1) - gammaln(population - n + 1)
    log_post += sum(betaln(1 + x, 1 + population - x) for x in list_totals)
    cumulative = np.cumsum(np.exp(log_post - log_post.max()))
    cumulative /= cumulative[-1]
    exact = [population[np.searchsorted(cumulative, q)] for q in (0.025, 0.5, 0.975)]
    result = LcmcrEstimator(
        n_classes=1,
        burn_in=1000,
        samples=20_000,
        thin=1,
        chains=2,
        seed=1,
        collapsed_update=collapsed,
    ).fit(table)
    sd = float(result.diagnostics["posterior_sd"])
    # ESS > 5,000 here: Monte-Carlo SD of a quantile < 0.05 posterior SDs; allow 0.1 SD + 1.
    for ours, truth in zip((result.lower, result.estimate, result.upper), exact, strict=True):
        assert abs(ours - truth) <= 0.1 * sd + 1


def test_same_seed_same_result_other_seed_other_draws() -> None:
    table = CaptureHistory.from_csv(DATA / "rcapture_rbvole_period4.csv")
    estimator = LcmcrEstimator(seed=3, burn_in=200, samples=300, thin=1, chains=2)
    first, figures = estimator.sample_population(table)
    again, _ = estimator.sample_population(table)
    other, _ = LcmcrEstimator(seed=4, burn_in=200, samples=300, thin=1, chains=2).sample_population(
        table
    )
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
    assert first.shape == (2, 300)
    assert not np.array_equal(first[0], first[1])
    assert np.all(first >= table.n_observed)
    assert figures["sweeps"] == 2 * (200 + 300)


def test_plain_and_collapsed_samplers_target_the_same_posterior() -> None:
    table = CaptureHistory.from_csv(DATA / "rcapture_mvole_period5.csv")
    plain = LcmcrEstimator(seed=5, collapsed_update=False, **FAST).fit(table)
    collapsed = LcmcrEstimator(seed=5, **FAST).fit(table)
    assert abs(plain.estimate - collapsed.estimate) <= 1
    assert abs(plain.upper - collapsed.upper) <= 2
    assert plain.diagnostics["collapsed_acceptance"] is None
    assert 0.0 < collapsed.diagnostics["collapsed_acceptance"] < 1.0


def test_a_hit_bound_is_reported_not_hidden() -> None:
    table = CaptureHistory.from_csv(DATA / "rcapture_HIV_rome.csv")
    # n = 1,896 and R's posterior median is ~10,900: a bound of 2n unobserved must be hit.
    result = LcmcrEstimator(
        seed=1, burn_in=300, samples=300, thin=1, chains=2, max_unobserved_factor=2
    ).fit(table)
    assert result.diagnostics["bound_hits"] > 0
    assert result.upper <= table.n_observed + 2 * table.n_observed
    assert any("reached its bound" in w for w in result.warnings)


def test_no_bound_warning_when_the_bound_is_far() -> None:
    table = CaptureHistory.from_csv(DATA / "rcapture_mvole_period1.csv")
    result = LcmcrEstimator(seed=2, **FAST).fit(table)
    assert result.diagnostics["unobserved_bound"] == 1000 * 100
    assert not any("bound" in w for w in result.warnings)
    data = result.to_dict()
    assert data["method"] == "lcmcr"
    assert data["settings"]["n_classes"] == 10
    assert data["lower"] <= data["estimate"] <= data["upper"]


def test_short_chains_are_flagged() -> None:
    table = CaptureHistory.from_csv(DATA / "kosovo_1999.csv")
    result = LcmcrEstimator(seed=1, burn_in=50, samples=100, thin=1, chains=2).fit(table)
    assert any("effective draws" in w for w in result.warnings)


def test_independence_start_solves_the_fixed_point() -> None:
    table = CaptureHistory.from_csv(DATA / "kosovo_1999.csv")
    rates, unobserved = independence_start(table)
    population = table.n_observed + unobserved
    assert rates.min() > 0.0 and rates.max() < 1.0
    assert population * (1.0 - np.prod(1.0 - rates)) == pytest.approx(table.n_observed, rel=1e-3)


@pytest.mark.parametrize(
    "kwargs",
    [{"n_classes": 0}, {"a_alpha": 0.0}, {"samples": 2}, {"thin": 0}, {"seed": -1}],
)
def test_bad_settings_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(EstimationError):
        LcmcrEstimator(**kwargs)


def test_needs_three_lists() -> None:
    table = CaptureHistory(("a", "b"), np.array([[1, 0], [0, 1], [1, 1]]), np.array([5, 6, 2]))
    with pytest.raises(EstimationError, match="at least 3 lists"):
        LcmcrEstimator().fit(table)
