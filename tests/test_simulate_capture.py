"""Captures have the configured probabilities per list, class and covariate, and the copying."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sijill.simulate import LatentClass, ListConfig, PopulationConfig, SimulationConfig
from sijill.simulate.capture import capture_history, capture_probabilities, draw_captures
from sijill.simulate.population import simulate_population

N = 30_000


def _config(**list_changes: object) -> SimulationConfig:
    lists = [ListConfig(name=n) for n in ("A", "B", "C")]
    for key, value in list_changes.items():
        name, attr = key.split("__")
        setattr(next(lst for lst in lists if lst.name == name), attr, value)
    return SimulationConfig(
        seed=0,
        population=PopulationConfig(people=N),
        lists=lists,
        latent_classes=[LatentClass(0.7, [0.6, 0.4, 0.3]), LatentClass(0.3, [0.2, 0.1, 0.05])],
    )


def _within(observed: float, expected: float, n: int, z: float = 4.5) -> bool:
    return abs(observed - expected) <= z * np.sqrt(expected * (1 - expected) / n) + 1e-9


@pytest.fixture(scope="module")
def persons() -> pd.DataFrame:
    return simulate_population(PopulationConfig(people=N), np.random.default_rng(11))


def test_rates_per_list_and_class_match_the_configuration(persons: pd.DataFrame) -> None:
    config = _config()
    captures = draw_captures(persons, config, np.random.default_rng(1))
    shares = np.bincount(captures.latent_class) / N
    assert _within(shares[0], 0.7, N)
    for c, lc in enumerate(config.latent_classes):
        members = captures.latent_class == c
        for j, p in enumerate(lc.capture):
            assert _within(captures.captured[members, j].mean(), p, int(members.sum()))
    for j in range(3):
        expected = (
            0.7 * config.latent_classes[0].capture[j] + 0.3 * config.latent_classes[1].capture[j]
        )
        assert _within(captures.captured[:, j].mean(), expected, N)


def test_covariate_effects_shift_the_log_odds(persons: pd.DataFrame) -> None:
    config = _config(A__governorate_effects={"SY01": 1.5}, B__sex_effects={"F": -2.0})
    captures = draw_captures(persons, config, np.random.default_rng(2))
    damascus = (persons["governorate"] == "SY01").to_numpy()
    p = captures.probability
    assert p[damascus, 0].mean() > p[~damascus, 0].mean() + 0.15
    assert _within(
        captures.captured[damascus, 0].mean(), p[damascus, 0].mean(), int(damascus.sum())
    )
    women = (persons["sex"] == "F").to_numpy()
    assert _within(captures.captured[women, 1].mean(), p[women, 1].mean(), int(women.sum()))
    base = capture_probabilities(persons, captures.latent_class, _config())
    assert np.array_equal(base[:, 2], p[:, 2]), "a list without effects keeps its class rates"


def test_copying_adds_the_source_lists_people(persons: pd.DataFrame) -> None:
    config = _config(C__copies_from="A", C__copy_fraction=0.5)
    captures = draw_captures(persons, config, np.random.default_rng(3))
    on_a = captures.captured[:, 0]
    copied = captures.copied[:, 2]
    assert not copied[~on_a].any()
    assert _within(copied[on_a].mean(), 0.5, int(on_a.sum()))
    assert np.array_equal(captures.captured[:, 2], captures.own[:, 2] | copied)


def test_capture_history_has_every_pattern_in_binary_order() -> None:
    captured = np.array([[1, 0, 1], [1, 0, 1], [0, 0, 1], [0, 0, 0], [1, 1, 1]], dtype=bool)
    table = capture_history(captured, ["A", "B", "C"])
    assert list(table.columns) == ["A", "B", "C", "count"]
    assert len(table) == 7
    codes = table["A"] * 4 + table["B"] * 2 + table["C"]
    assert list(codes) == list(range(1, 8))
    assert dict(zip(codes, table["count"], strict=True)) == {
        1: 1,
        2: 0,
        3: 0,
        4: 0,
        5: 2,
        6: 0,
        7: 1,
    }
