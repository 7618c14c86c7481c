"""The synthetic victim population: families, names, sex, birth year, date and place of death."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from sijill.geo import gazetteer
from sijill.simulate.config import PopulationConfig
from sijill.simulate.names import family_table, name_table

# Relative share of deaths by facility (matched on the facility's English name); facilities not
# listed get a small weight, burial sites none. Saydnaya and the Damascus security branches and
# military hospitals dominate the documented deaths in custody.
_FACILITY_WEIGHTS = (
    ("Saydnaya", 0.30),
    ("Branch 215", 0.12),
    ("Branch 227", 0.08),
    ("Branch 235", 0.10),
    ("Branch 248", 0.05),
    ("Branch 251", 0.04),
    ("Mezzeh Military Airport", 0.06),
    ("601", 0.10),
    ("Tishreen", 0.05),
    ("Harasta", 0.04),
    ("Adra", 0.06),
    ("mass-grave", 0.0),
)
_SIBLING_EXTRA_P = 0.6  # families with several victims: size 2 + Geometric(0.6) - 1


@cache
def admin_data() -> dict[str, Any]:
    """The bundled administrative-units JSON (governorates with aliases and population history)."""
    text = resources.files("sijill").joinpath("data/syria_admin.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def governorate_population() -> dict[str, int]:
    """Population of each governorate at the start of 2011 (p-code → people), from the gazetteer data."""
    out = {}
    for row in admin_data()["governorates"]:
        history = row["population_history"]
        out[row["ocha_pcode"]] = int(history.get("2011-01-01") or max(history.values()))
    return dict(sorted(out.items()))


def governorate_weights(config: PopulationConfig) -> tuple[list[str], np.ndarray]:
    """Governorate p-codes and the probability that a victim comes from each."""
    population = governorate_population()
    codes = list(population)
    share = np.array([population[c] for c in codes], dtype=float)
    share = (share / share.sum()) ** config.governorate_skew
    multipliers = np.array([config.governorate_weights.get(c, 1.0) for c in codes])
    weights = share * multipliers
    return codes, weights / weights.sum()


def facility_weights() -> tuple[list[str], np.ndarray]:
    """Facility codes (FAC-nn) and the share of in-custody deaths at each."""
    codes, weights = [], []
    for place in gazetteer().facilities:
        weight = next((w for key, w in _FACILITY_WEIGHTS if key in place.name_en), 0.02)
        if weight > 0:
            codes.append(place.pcode)
            weights.append(weight)
    arr = np.array(weights)
    return codes, arr / arr.sum()


def monthly_intensity(config: PopulationConfig) -> tuple[np.ndarray, np.ndarray]:
    """Month starts over the period and the share of deaths in each (a skewed bell at `peak`)."""
    first = np.datetime64(config.start[:7], "M")
    last = np.datetime64(config.end[:7], "M")
    months = np.arange(first, last + 1)
    offset = (months - np.datetime64(config.peak[:7], "M")).astype(float)
    width = np.where(offset < 0, config.rise_months, config.fall_months)
    weights = np.exp(-0.5 * (offset / width) ** 2)
    return months, weights / weights.sum()


def _family_sizes(n: int, sibling_share: float, rng: np.random.Generator) -> np.ndarray:
    mean_multi = 2.0 + (1.0 - _SIBLING_EXTRA_P) / _SIBLING_EXTRA_P
    q = sibling_share / (mean_multi - sibling_share * (mean_multi - 1.0))
    n_families = int(n / (1 - q + q * mean_multi) * 1.2) + 10
    multi = rng.random(n_families) < q
    sizes = np.where(multi, 1 + rng.geometric(_SIBLING_EXTRA_P, n_families), 1)
    cut = int(np.searchsorted(np.cumsum(sizes), n))
    sizes = sizes[: cut + 1].copy()
    sizes[-1] -= int(sizes.sum() - n)
    return sizes[sizes > 0]


def _draw(probability: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    drawn: np.ndarray = np.searchsorted(
        np.cumsum(probability), rng.random(size) * probability.sum()
    )
    return drawn


def simulate_population(config: PopulationConfig, rng: np.random.Generator) -> pd.DataFrame:
    """Draw the victims.

    Siblings share family name, father's, grandfather's and mother's names and governorate;
    given names follow the tables' Zipf-like frequencies, so namesakes are common.

    Returns:
        One row per person: person_id (1..N), family_id, sex (M/F), given_idx (index in the
        male or female table by sex), father_idx, grandfather_idx (male table), family_idx,
        mother_idx (female table), mother_family_idx (family_idx and mother_family_idx index
        `family_table(config.family_names)`), birth_year, death_date, governorate
        (p-code) and place_of_death (facility code or governorate p-code).
    """
    n = config.people
    male, female, family = (
        name_table("given_male"),
        name_table("given_female"),
        family_table(config.family_names),
    )
    sizes = _family_sizes(n, config.sibling_share, rng)
    n_fam = len(sizes)
    fam_of = np.repeat(np.arange(n_fam), sizes)
    first_of_family = np.r_[True, fam_of[1:] != fam_of[:-1]]

    fam_family = _draw(family.probability, n_fam, rng)
    fam_father = _draw(male.probability, n_fam, rng)
    fam_grandfather = _draw(male.probability, n_fam, rng)
    fam_mother = _draw(female.probability, n_fam, rng)
    fam_mother_family = _draw(family.probability, n_fam, rng)
    codes, gov_p = governorate_weights(config)
    fam_gov = _draw(gov_p, n_fam, rng)

    sex_male = rng.random(n) < config.male_share
    given = np.where(sex_male, _draw(male.probability, n, rng), _draw(female.probability, n, rng))
    after_grandfather = sex_male & (rng.random(n) < config.named_after_grandfather)
    given = np.where(after_grandfather, fam_grandfather[fam_of], given)
    # Parents rarely give two children the same name: redraw clashes within a family.
    for _ in range(4):
        key = pd.DataFrame({"f": fam_of, "m": sex_male, "g": given})
        clash = key.duplicated().to_numpy()
        if not clash.any():
            break
        redraw = np.where(
            sex_male, _draw(male.probability, n, rng), _draw(female.probability, n, rng)
        )
        given = np.where(clash, redraw, given)

    months, month_p = monthly_intensity(config)
    month = months[_draw(month_p, n, rng)]
    days_in_month = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(
        int
    )
    death = month.astype("datetime64[D]") + (rng.random(n) * days_in_month).astype(int)
    death = np.clip(death, np.datetime64(config.start, "D"), np.datetime64(config.end, "D"))
    death_year = death.astype("datetime64[Y]").astype(int) + 1970

    age = np.clip(np.round(15 + rng.gamma(3.0, 5.0, n)), 13, 85).astype(int)
    birth_year = death_year - age - (rng.random(n) < 0.5)
    # Siblings are born a few years apart around the first sibling's birth year.
    first_index = np.flatnonzero(first_of_family)[fam_of]
    sibling_birth = birth_year[first_index] + np.round(rng.normal(0, 4, n)).astype(int)
    sibling_birth = np.clip(sibling_birth, death_year - 85, death_year - 13)
    birth_year = np.where(first_of_family, birth_year, sibling_birth)

    fac_codes, fac_p = facility_weights()
    in_facility = rng.random(n) < config.facility_share
    facility = np.array(fac_codes, dtype=object)[_draw(fac_p, n, rng)]
    gov = np.array(codes, dtype=object)[fam_gov[fam_of]]
    place = np.where(in_facility, facility, gov)

    return pd.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "family_id": fam_of + 1,
            "sex": np.where(sex_male, "M", "F"),
            "given_idx": given,
            "father_idx": fam_father[fam_of],
            "grandfather_idx": fam_grandfather[fam_of],
            "family_idx": fam_family[fam_of],
            "mother_idx": fam_mother[fam_of],
            "mother_family_idx": fam_mother_family[fam_of],
            "birth_year": birth_year.astype(int),
            "death_date": death,
            "governorate": gov,
            "place_of_death": place,
        }
    )
