"""Simulated lists hold what they were configured to: truth, duplicates, scripts, schemes, fields."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sijill.simulate import SimulationResult, preset_config, simulate

ARABIC = re.compile(r"[\u0621-\u064a]")


@pytest.fixture(scope="module")
def result() -> SimulationResult:
    return simulate(preset_config("realistic", people=4000, lists=5, seed=21))


def _conf(result: SimulationResult, name: str):  # type: ignore[no-untyped-def]
    return next(lst for lst in result.config.lists if lst.name == name)


def test_truth_matches_the_lists_and_the_capture_table(result: SimulationResult) -> None:
    truth = result.truth
    assert not truth.duplicated(["list", "record_id"]).any()
    for name, table in result.lists.items():
        ids = table[result.columns[name]["id"]]
        assert set(ids) == set(truth.loc[truth["list"] == name, "record_id"])
        assert ids.is_unique
    assert truth["person_id"].isin(result.persons["person_id"]).all()
    unique = truth.drop_duplicates(["list", "person_id"])
    wide = pd.crosstab(unique["person_id"], unique["list"]).reindex(
        columns=result.config.list_names
    )
    patterns = wide.astype(str).agg("".join, axis=1).value_counts()
    history = result.capture_history
    names = result.config.list_names
    for _, row in history.iterrows():
        key = "".join(str(int(row[n])) for n in names)
        assert patterns.get(key, 0) == row["count"]
    assert history["count"].sum() == result.observed_n
    captured = result.persons[names].to_numpy().astype(bool)
    assert np.array_equal(captured, result.captures.captured)


def test_duplicate_rate_is_as_configured(result: SimulationResult) -> None:
    truth = result.truth
    for lst in result.config.lists:
        mine = truth[truth["list"] == lst.name]
        persons = mine["person_id"].nunique()
        rate = mine["duplicate"].sum() / persons
        se = np.sqrt(lst.duplicate_rate * (1 - lst.duplicate_rate) / persons)
        assert abs(rate - lst.duplicate_rate) < 4.5 * se
        assert (mine.groupby("person_id").size() - 1).sum() == mine["duplicate"].sum()


def _name_cells(result: SimulationResult, name: str) -> pd.Series:
    columns = result.columns[name]
    keys = [k for k in ("given", "full_name", "family") if k in columns]
    return result.lists[name][[columns[k] for k in keys]].stack()


def test_each_list_uses_its_script(result: SimulationResult) -> None:
    for lst in result.config.lists:
        cells = _name_cells(result, lst.name)
        arabic = cells.map(lambda s: bool(ARABIC.search(s)))
        if lst.scheme == "arabic_script":
            assert arabic.all(), lst.name
        else:
            assert not arabic.any(), lst.name
    assert "الاسم" in result.lists["A"].columns and "First Name" in result.lists["D"].columns


def test_french_list_spells_muhammad_the_french_way(result: SimulationResult) -> None:
    french = next(lst for lst in result.config.lists if lst.scheme == "french")
    table = result.lists[french.name]
    truth = result.truth[result.truth["list"] == french.name].set_index("record_id")
    people = result.persons.set_index("person_id")
    person = truth.loc[table[result.columns[french.name]["id"]], "person_id"].to_numpy()
    is_muhammad = (people.loc[person, "given_name"] == "Muhammad").to_numpy()
    given = table[result.columns[french.name]["given"]].to_numpy()[is_muhammad]
    assert is_muhammad.sum() > 50
    french_forms = np.isin(given, ["Mohamed", "Mohammed", "Mohamad"])
    assert french_forms.mean() > 0.9
    english = result.lists["B"][result.columns["B"]["given"]]
    assert not english.str.contains("Abdel|Abde[rsnt]", regex=True).all()


def test_copied_records_repeat_the_source_spelling(result: SimulationResult) -> None:
    target = _conf(result, "C")
    assert target.copies_from == "A"
    truth = result.truth
    a = truth[truth["list"] == "A"].merge(
        result.lists["A"], left_on="record_id", right_on=result.columns["A"]["id"]
    )
    a = a[~a["duplicate"]].set_index("person_id")
    c = truth[(truth["list"] == "C") & truth["copied"]].merge(
        result.lists["C"], left_on="record_id", right_on=result.columns["C"]["id"]
    )
    assert len(c) > 50
    full = c[result.columns["C"]["full_name"]].to_numpy()
    given = a.loc[c["person_id"], result.columns["A"]["given"]].str.replace("ی", "ي").to_numpy()
    family = a.loc[c["person_id"], result.columns["A"]["family"]].str.replace("ی", "ي").to_numpy()
    starts = [
        f.startswith(g + " ") and f.endswith(" " + fam)
        for f, g, fam in zip(full, given, family, strict=True)
    ]
    assert np.mean(starts) > 0.97


def test_missing_values_and_date_precision(result: SimulationResult) -> None:
    lst = _conf(result, "B")
    table = result.lists["B"]
    father = table[result.columns["B"]["father"]]
    assert abs((father == "").mean() - lst.missing_rate) < 0.02
    dates = table[result.columns["B"]["date_of_death"]]
    dates = dates[dates != ""]
    day_share = dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}").mean()
    assert abs(day_share - lst.date_precision["day"]) < 0.04
    assert dates.str.fullmatch(r"\d{4}(-\d{2}){0,2}").all()
    sexes = set(result.lists["A"][result.columns["A"]["sex"]]) - {""}
    assert sexes == {"ذكر", "أنثى"}
    ages = pd.to_numeric(result.lists["D"][result.columns["D"]["age"]].replace("", np.nan))
    assert ages.dropna().between(10, 90).all()


def test_given_name_frequencies_survive_into_the_lists(result: SimulationResult) -> None:
    given = result.lists["B"][result.columns["B"]["given"]].value_counts(normalize=True)
    muhammad = given[given.index.isin(["Mohammad", "Mohammed", "Muhammad", "Mohamad"])].sum()
    men = (result.persons["sex"] == "M").mean()
    assert given.index[0] in ("Mohammad", "Mohammed", "Muhammad", "Mohamad")
    assert abs(muhammad - 0.125 * men) < 0.03
