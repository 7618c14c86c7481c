"""Comparison levels added for accuracy: typo tolerance, dates whole months apart, name prefixes."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from sijill.errors import InputError
from sijill.linkage import LinkageSettings
from sijill.linkage.model import build_splink_settings
from sijill.linkage.settings import NameComparison


def _levels(settings: LinkageSettings, comparison: str) -> list[dict[str, Any]]:
    built = build_splink_settings(settings, 2).get_settings("duckdb").as_dict()
    (found,) = [c for c in built["comparisons"] if c["output_column_name"] == comparison]
    return [lv for lv in found["comparison_levels"] if not lv.get("is_null_level")]


def _first_level(levels: list[dict[str, Any]], row: dict[str, Any]) -> str:
    """The label of the first level whose SQL holds for one pair (as Splink evaluates them)."""
    for level in levels:
        if level["sql_condition"] == "ELSE":
            return str(level["label_for_charts"])
        columns = ", ".join(
            f"{v!r} AS {k}" if v is not None else f"NULL AS {k}" for k, v in row.items()
        )
        query = f"SELECT ({level['sql_condition']}) FROM (SELECT {columns})"
        if duckdb.sql(query).fetchall() == [(True,)]:
            return str(level["label_for_charts"])
    raise AssertionError("no level matched")


def test_a_one_letter_slip_in_the_skeleton_has_its_own_level() -> None:
    levels = _levels(LinkageSettings(), "given")
    pair = {
        "given_rom_l": "muhamad",
        "given_rom_r": "mahd",
        "given_skel_l": "mhmd",
        "given_skel_r": "mhd",
    }
    assert _first_level(levels, pair) == "skeleton one edit apart"
    other = {**pair, "given_rom_r": "khalid", "given_skel_r": "xld"}
    assert _first_level(levels, other) == "All other comparisons"
    # Muhammad and Ahmad are one edit apart (mhmd / hmd) but different names, often brothers.
    brothers = {**pair, "given_rom_r": "ahmad", "given_skel_r": "hmd"}
    assert _first_level(levels, brothers) != "skeleton one edit apart"


def test_a_family_name_typo_still_counts_as_similar() -> None:
    levels = _levels(LinkageSettings(), "lineage")
    row = {
        "family_rom_l": "jar",
        "family_rom_r": "jazar",
        "family_skel_l": "gr",
        "family_skel_r": "gdr",
        "father_skel_l": "mhmd",
        "father_skel_r": "mhmd",
        "mother_skel_l": None,
        "mother_skel_r": None,
    }
    assert _first_level(levels, row) == "family similar, father agrees"


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (15000, 15030, "within 30 days"),
        (15000, 15061, "exact days 1 to 3 whole months apart"),
        (15000, 15045, "within 365 days"),
    ],
)
def test_death_days_a_whole_number_of_months_apart(left: int, right: int, expected: str) -> None:
    levels = _levels(LinkageSettings(), "death_date")
    row = {
        "death_lo_l": left,
        "death_hi_l": left,
        "death_mid_l": left,
        "death_width_l": 0,
        "death_lo_r": right,
        "death_hi_r": right,
        "death_mid_r": right,
        "death_width_r": 0,
    }
    assert _first_level(levels, row) == expected


def test_name_prefix_level_is_optional_and_round_trips() -> None:
    names = (NameComparison("given", prefix_letters=3),)
    settings = LinkageSettings(names=names)
    labels = [lv["label_for_charts"] for lv in _levels(settings, "given")]
    assert "first 3 letters agree" in labels
    assert "first 3 letters agree" not in [
        lv["label_for_charts"] for lv in _levels(LinkageSettings(), "given")
    ]
    assert LinkageSettings.from_json(settings.to_json()) == settings
    with pytest.raises(InputError, match="prefix_letters"):
        NameComparison("given", prefix_letters=-1)
