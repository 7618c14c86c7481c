"""The simulated population: deaths over time, governorates, places of death, ages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sijill.geo import gazetteer
from sijill.simulate import PopulationConfig
from sijill.simulate.population import governorate_population, simulate_population


@pytest.fixture(scope="module")
def persons() -> pd.DataFrame:
    return simulate_population(PopulationConfig(people=20_000), np.random.default_rng(5))


def test_deaths_rise_to_a_peak_in_2012_2013_and_fall(persons: pd.DataFrame) -> None:
    dates = pd.DatetimeIndex(persons["death_date"])
    assert dates.min() >= pd.Timestamp("2011-03-01") and dates.max() <= pd.Timestamp("2015-12-31")
    by_year = pd.Series(dates.year).value_counts()
    assert by_year.idxmax() in (2012, 2013)
    assert by_year[2011] < by_year[2012] and by_year[2015] < by_year[2013]
    peak_month = pd.Series(dates.to_period("M")).value_counts().idxmax()
    assert pd.Period("2012-06", "M") <= peak_month <= pd.Period("2013-09", "M")


def test_governorates_follow_population_with_the_configured_weights(persons: pd.DataFrame) -> None:
    share = persons["governorate"].value_counts(normalize=True)
    population = pd.Series(governorate_population())
    expected = population / population.sum()
    # Daraa is weighted 1.8x, Latakia not at all: their ratio to population share shows it.
    ratio = share / expected
    assert ratio["SY12"] > 1.3 * ratio["SY06"]
    assert set(share.index) <= set(population.index)
    flat = simulate_population(
        PopulationConfig(people=20_000, governorate_weights={}), np.random.default_rng(6)
    )
    flat_share = flat["governorate"].value_counts(normalize=True)
    assert flat_share["SY02"] == pytest.approx(expected["SY02"], abs=0.015)


def test_most_die_in_damascus_area_facilities(persons: pd.DataFrame) -> None:
    facilities = {p.pcode: p for p in gazetteer().facilities}
    in_facility = persons["place_of_death"].isin(list(facilities))
    assert in_facility.mean() == pytest.approx(0.85, abs=0.015)
    govs = persons.loc[in_facility, "place_of_death"].map(lambda c: facilities[c].governorate_pcode)
    assert govs.isin(["SY01", "SY03"]).all()
    saydnaya = next(c for c, p in facilities.items() if "Saydnaya" in p.name_en)
    assert persons["place_of_death"].value_counts().index[0] == saydnaya
    assert (
        persons.loc[~in_facility, "place_of_death"] == persons.loc[~in_facility, "governorate"]
    ).all()


def test_ages_at_death_are_plausible(persons: pd.DataFrame) -> None:
    age = pd.DatetimeIndex(persons["death_date"]).year - persons["birth_year"]
    assert age.between(12, 86).all()
    assert 25 <= age.median() <= 35
