"""Name-part frequencies and the evidence weights they imply."""

from __future__ import annotations

import math

import pytest

from sijill.errors import InputError
from sijill.names.frequency import NameFrequencies
from sijill.names.keys import skeleton_key


def _corpus() -> list[str | None]:
    return ["Muhammad"] * 5 + ["محمد"] * 3 + ["Mohamed", "Khaled", "خالد", "Rami"] + [None, ""]


def test_counts_merge_spellings_across_scripts() -> None:
    freq = NameFrequencies.from_names(_corpus())
    assert freq.total == 12
    assert freq.count("Mhd") == 9
    assert freq.count("Khalid") == 2
    assert freq.count("Zaynab") == 0
    assert freq.most_common(1) == [("muhamad", 9)]


def test_common_names_weigh_less_than_rare_ones() -> None:
    freq = NameFrequencies.from_names(_corpus())
    assert freq.u_probability("Muhammad") == pytest.approx(9 / 12)
    assert freq.weight("Rami") == pytest.approx(math.log2(12))
    assert freq.weight("Muhammad") < freq.weight("Khaled") < freq.weight("Rami")
    # An unseen name counts as seen once: as strong as the rarest seen name, never infinite.
    assert freq.weight("Zaynab") == freq.weight("Rami")


def test_custom_key_gives_coarser_counts() -> None:
    freq = NameFrequencies.from_names(["Hasan", "Husayn", "حسين"], key=skeleton_key)
    assert freq.count("Hassan") == 3


def test_no_names_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no names to count"):
        NameFrequencies.from_names([None, "", "  "])
