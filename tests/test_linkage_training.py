"""Linkage training: the default EM sessions and the record of levels no session learnt."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sijill.linkage import LinkageResult, LinkageSettings, link_records
from sijill.linkage.quality import linkage_quality, untrained_levels
from sijill.linkage.simulated import records_from_simulation
from sijill.simulate import preset_config, simulate

FAST = LinkageSettings(u_max_pairs=1e5, seed=7)
GIVEN_FAMILY_ONLY = LinkageSettings(
    u_max_pairs=1e5, seed=7, training_rules=(("given_skel", "family_skel"),)
)


@pytest.fixture(scope="module")
def hard_records() -> pd.DataFrame:
    result = simulate(preset_config("hard", people=300, lists=3, seed=3))
    return records_from_simulation(result).drop(columns="unique_id")


@pytest.fixture(scope="module")
def hard_result(hard_records: pd.DataFrame) -> LinkageResult:
    return link_records(hard_records, FAST)


@pytest.fixture(scope="module")
def hard_model(hard_result: LinkageResult) -> dict:
    return hard_result.model


def _given_levels(model: dict) -> set[str]:
    return {lv["level"] for lv in model["sijill_untrained_levels"] if lv["comparison"] == "given"}


def test_family_and_death_day_session_trains_given_name_levels(
    hard_records: pd.DataFrame, hard_model: dict
) -> None:
    # On `hard` many records lack a father, so given + family blocks alone hold few matches
    # differing in the given name; the default second session (family + death day) sees them.
    single = link_records(hard_records, GIVEN_FAMILY_ONLY).model
    assert _given_levels(hard_model) < _given_levels(single)
    assert hard_model["sijill_skipped_training_rules"] == single["sijill_skipped_training_rules"]


def test_untrained_levels_are_exactly_the_levels_without_a_learnt_m(hard_model: dict) -> None:
    stored = hard_model["sijill_untrained_levels"]
    assert stored, "a 300-person hard simulation leaves some levels untrained"
    by_comparison = {c["output_column_name"]: c for c in hard_model["comparisons"]}
    expected = []
    for name, comparison in by_comparison.items():
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for position, level in enumerate(levels):
            if "m_probability" in level:
                continue
            # Splink's default: 0.95 for the top level, 0.05 shared by the others.
            default = 0.95 if position == 0 else 0.05 / (len(levels) - 1)
            expected.append((name, level["label_for_charts"], round(default, 6)))
    assert [(lv["comparison"], lv["level"], lv["default_m"]) for lv in stored] == expected
    json.dumps(hard_model)  # stored with the run as JSON


def test_quality_report_lists_untrained_levels_for_new_and_old_runs(
    hard_records: pd.DataFrame, hard_model: dict
) -> None:
    pairs = pd.DataFrame(
        {"match_probability": [0.9, 0.15], "match_weight": [5.0, -2.0], "in_review": [False, True]}
    )
    clusters = pd.DataFrame({"person_key": [1, 1, 2], "list_name": ["A", "B", "A"]})
    report = linkage_quality(pairs, clusters, FAST, hard_model)
    assert report["untrained_levels"] == hard_model["sijill_untrained_levels"]
    assert report["untrained_comparisons"] == hard_model["sijill_untrained_comparisons"]
    assert "untrained_levels" not in linkage_quality(pairs, clusters, FAST)
    # A run stored before the list existed: read off the model's levels without an m.
    old = {k: v for k, v in hard_model.items() if k != "sijill_untrained_levels"}
    assert untrained_levels(old) == [
        {"comparison": lv["comparison"], "level": lv["level"]}
        for lv in hard_model["sijill_untrained_levels"]
    ]


def test_notes_do_not_blame_comparisons_a_session_blocks_on(
    hard_records: pd.DataFrame, hard_result: LinkageResult
) -> None:
    # The family + death day session sees only same-day pairs; Splink's warning that the
    # other death-date levels went unobserved is about estimates the model discards.
    assert not any("comparison death_date not observed" in n for n in hard_result.notes)
    assert not any("comparison lineage not observed" in n for n in hard_result.notes)
