"""Simulation settings: JSON round trips, presets and clear errors for settings that cannot work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sijill.errors import InputError
from sijill.simulate import PRESETS, SimulationConfig, preset_config, resolve_config


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_round_trip_through_json(name: str) -> None:
    config = preset_config(name, people=1234, lists=5, seed=9)
    again = SimulationConfig.from_json(config.to_json())
    assert again == config
    assert again.to_json() == config.to_json()
    assert config.preset == name and len(config.lists) == 5


def _data(**changes: Any) -> dict[str, Any]:
    data = preset_config("realistic", people=100, lists=4, seed=1).to_dict()
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latent_classes__0__share": 0.9}, "sum to 1"),
        ({"latent_classes__1__capture": [0.1, 0.2]}, "2 probabilities for 4 lists"),
        ({"lists__1__encoding": "cp1256"}, "Windows-1256 is for Arabic-script"),
        ({"lists__0__copies_from": "D"}, "not an earlier list"),
        ({"lists__0__scheme": "klingon"}, "scheme must be one of"),
        ({"lists__0__fields": ["father", "sex"]}, "must include 'given' and 'family'"),
        ({"lists__0__date_precision": {"day": 0.5}}, "must sum to 1"),
        ({"lists__0__typo_rate": 1.5}, "typo_rate must be a probability"),
        ({"population__people": 0}, "positive integer"),
        ({"population__end": "2010-01-01"}, "must come after"),
        ({"population__colour": "red"}, "unknown setting(s) colour"),
        ({"lists__3__year_effects": {"soon": 1.0}}, "keys must be years"),
    ],
)
def test_invalid_settings_name_the_setting(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as info:
        SimulationConfig.from_dict(_data(**changes))
    assert message in str(info.value)


def test_unknown_preset_and_bad_json_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown preset"):
        preset_config("medium")
    with pytest.raises(InputError, match="not valid JSON"):
        SimulationConfig.from_json("{")


def test_resolve_config_reads_files_and_overrides(tmp_path: Path) -> None:
    assert resolve_config().preset == "realistic"
    assert resolve_config(preset="hard", people=50, lists=3, seed=4).population.people == 50
    path = tmp_path / "config.json"
    path.write_text(preset_config("easy", lists=2).to_json(), "utf-8")
    config = resolve_config(config_file=path, people=77, seed=5)
    assert (config.population.people, config.seed, len(config.lists)) == (77, 5, 2)
    wrapped = tmp_path / "run.json"
    wrapped.write_text(json.dumps({"format_version": 1, "config": config.to_dict()}), "utf-8")
    assert resolve_config(config_file=wrapped) == config
    with pytest.raises(InputError, match="--lists only applies to presets"):
        resolve_config(config_file=path, lists=3)
    with pytest.raises(InputError, match="cannot read"):
        resolve_config(config_file=tmp_path / "missing.json")
