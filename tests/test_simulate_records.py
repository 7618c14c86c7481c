"""Recording errors: typos are single edits, date errors shift or swap, ages match birth years."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sijill.simulate import ListConfig, PopulationConfig
from sijill.simulate.population import simulate_population
from sijill.simulate.records import _recorded_dates, add_typos, record_values


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def test_typos_are_single_character_edits_in_the_names_script() -> None:
    names = np.array(
        ["Muhammad", "Khaled", "Abd al-Rahman", "محمود", "عبد الرحمن"] * 40, dtype=object
    )
    typed = add_typos(names, 1.0, np.random.default_rng(0))
    changed = 0
    for before, after in zip(names, typed, strict=True):
        if before != after:
            changed += 1
            # A swap of two letters is two substitutions for plain Levenshtein.
            assert _edit_distance(before, after) <= 2
            if "\u0600" <= before[0] <= "\u06ff":
                assert not any("a" <= c <= "z" for c in after)
    assert changed > 0.7 * len(names)
    assert list(add_typos(names, 0.0, np.random.default_rng(0))) == list(names)


def test_date_errors_shift_or_swap_and_clean_dates_stay_exact() -> None:
    rng = np.random.default_rng(1)
    death = np.datetime64("2012-01-01") + rng.integers(0, 1400, 5000).astype("timedelta64[D]")
    year, month, day = _recorded_dates(death, np.zeros(5000), rng)
    recorded = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}))
    assert (recorded.to_numpy().astype("datetime64[D]") == death).all()
    year, month, day = _recorded_dates(death, np.ones(5000), rng)
    true = pd.DatetimeIndex(death)
    swapped = (month == true.day) & (day == true.month) & (true.day != true.month)
    assert 0.1 < swapped.mean() < 0.4
    recorded = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}))
    gap = np.abs((recorded.to_numpy().astype("datetime64[D]") - death).astype(int))
    assert (gap[~swapped] > 0).all() and (gap[~swapped] <= 100).all()


def test_ages_agree_with_birth_years_and_every_captured_person_has_a_record() -> None:
    persons = simulate_population(PopulationConfig(people=3000), np.random.default_rng(2))
    on_list = np.random.default_rng(3).random(3000) < 0.5
    lst = ListConfig(name="A", duplicate_rate=0.1, age_error_rate=0.0)
    values = record_values(
        persons, on_list, np.zeros(3000, bool), lst, np.random.default_rng(4), None
    )
    assert set(values.person) == set(np.flatnonzero(on_list))
    assert values.duplicate.sum() == len(values.person) - on_list.sum()
    death_year = pd.DatetimeIndex(persons["death_date"].to_numpy()[values.person]).year.to_numpy()
    gap = death_year - values.birth_year - values.age
    assert set(np.unique(gap)) <= {0, 1}
    assert values.age.min() >= 11
