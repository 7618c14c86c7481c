"""The simulation's name tables: sizes, scripts, published frequencies, canonical Latin."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sijill.simulate.config import PopulationConfig
from sijill.simulate.names import canonical_latin, name_table
from sijill.simulate.population import simulate_population

ARABIC = re.compile(r"[\u0621-\u064a]")


@pytest.mark.parametrize(
    ("kind", "low", "high"),
    [("given_male", 140, 170), ("given_female", 75, 95), ("family", 380, 450)],
)
def test_tables_have_the_planned_sizes_and_both_scripts(kind: str, low: int, high: int) -> None:
    table = name_table(kind)
    assert low <= len(table) <= high
    assert all(ARABIC.search(a) and not re.search(r"[A-Za-z]", a) for a in table.arabic)
    assert all(re.fullmatch(r"[A-Za-z' -]+", s) for s in table.latin)
    assert len(set(table.arabic)) == len(table) and len(set(table.scholarly)) == len(table)
    assert table.probability.sum() == pytest.approx(1.0)
    assert np.all(table.probability > 0)


def test_common_given_names_have_their_published_shares() -> None:
    male = dict(
        zip(name_table("given_male").latin, name_table("given_male").probability, strict=True)
    )
    assert male["Muhammad"] == pytest.approx(1 / 8, abs=0.002)
    assert male["Ahmad"] == pytest.approx(1 / 13, abs=0.002)
    others = [p for n, p in male.items() if n not in ("Muhammad", "Ahmad")]
    assert max(others) < male["Ahmad"]
    family = name_table("family").probability
    assert family.max() < 0.03, "no family name should dominate"


def test_canonical_latin_drops_diacritics_and_initial_ayn() -> None:
    assert canonical_latin("ʿAbd al-Raḥmān") == "Abd al-Rahman"
    assert canonical_latin("Saʿīd") == "Sa'id"
    assert canonical_latin("al-Ḥamwī") == "al-Hamwi"
    assert canonical_latin("Ḍiyāʾ") == "Diya"


def test_population_given_names_follow_the_table_and_siblings_share_names() -> None:
    rng = np.random.default_rng(3)
    persons = simulate_population(PopulationConfig(people=20_000, sibling_share=0.3), rng)
    male = persons[persons["sex"] == "M"]
    muhammad = name_table("given_male").latin.index("Muhammad")
    share = float((male["given_idx"] == muhammad).mean())
    # Men named after their grandfather shift the share slightly; stay within a few SE.
    se = np.sqrt(0.125 * 0.875 / len(male))
    assert abs(share - 0.125) < 5 * se + 0.01
    sizes = persons.groupby("family_id").size()
    with_sibling = float(sizes[sizes > 1].sum() / len(persons))
    assert with_sibling == pytest.approx(0.3, abs=0.03)
    shared = persons.groupby("family_id")[["family_idx", "father_idx", "mother_idx"]].nunique()
    assert (shared == 1).all().all()
    assert (persons["sex"] == "M").mean() == pytest.approx(0.9, abs=0.01)
