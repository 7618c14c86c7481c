"""One conformance suite run over every registered estimator (lcmcr/dga join when registered)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from sijill.errors import EstimationError
from sijill.estimation import ESTIMATORS, CaptureHistory, EstimationResult, Estimator

MSE = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"
REQUIRED_KEYS = {"method", "estimate", "lower", "upper", "level", "n_observed"}


def build(name: str) -> Estimator:
    estimator_class = ESTIMATORS[name]
    return estimator_class(**estimator_class.fast_settings())


def table_for(estimator: Estimator) -> CaptureHistory:
    kosovo = CaptureHistory.from_csv(MSE / "kosovo_1999.csv")
    if estimator.max_lists is not None and estimator.max_lists < kosovo.n_lists:
        return kosovo.collapse(list(kosovo.lists[: estimator.max_lists]))
    return kosovo


@pytest.fixture(scope="module")
def fitted() -> dict[str, tuple[CaptureHistory, EstimationResult]]:
    results = {}
    for name in ESTIMATORS:
        estimator = build(name)
        table = table_for(estimator)
        results[name] = (table, estimator.fit(table))
    return results


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_result_contract(
    name: str, fitted: dict[str, tuple[CaptureHistory, EstimationResult]]
) -> None:
    table, result = fitted[name]
    assert result.method == name == ESTIMATORS[name].name
    assert result.n_observed == table.n_observed
    assert result.lower <= result.estimate <= result.upper
    assert result.estimate >= result.n_observed
    assert 0 < result.level < 1
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) >= REQUIRED_KEYS
    assert result.input_hash == table.input_hash()
    assert name in result.summary()
    assert "<table>" in result.summary_html()


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_result_is_immutable(
    name: str, fitted: dict[str, tuple[CaptureHistory, EstimationResult]]
) -> None:
    _table, result = fitted[name]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.estimate = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.diagnostics["tampered"] = True  # type: ignore[index]
    with pytest.raises(TypeError):
        result.settings["tampered"] = True  # type: ignore[index]


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_deterministic_given_settings(
    name: str, fitted: dict[str, tuple[CaptureHistory, EstimationResult]]
) -> None:
    table, result = fitted[name]
    again = build(name).fit(table)
    assert again.to_dict() == result.to_dict()


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_rejects_what_it_cannot_use(name: str) -> None:
    estimator = build(name)
    with pytest.raises(EstimationError):
        estimator.fit(pd.DataFrame({"A": [1], "B": [1], "count": [3]}))  # type: ignore[arg-type]
    if estimator.min_lists > 2:
        two = CaptureHistory.from_dataframe(
            pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "count": [30, 20, 10]})
        )
        with pytest.raises(EstimationError):
            estimator.fit(two)


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_settings_are_json_and_recorded(
    name: str, fitted: dict[str, tuple[CaptureHistory, EstimationResult]]
) -> None:
    _table, result = fitted[name]
    estimator = build(name)
    assert dict(result.settings) == json.loads(json.dumps(estimator.settings()))
