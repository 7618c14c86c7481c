"""Linkage core on DataFrames: cross-script links, namesakes, decisions in clustering, metrics."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from sijill.errors import InputError
from sijill.linkage import (
    Decisions,
    LinkageSettings,
    cluster_records,
    evaluate_clusters,
    link_records,
    prepare_records,
)
from sijill.linkage.backends import DuckDBBackend, make_backend
from sijill.linkage.simulated import records_from_simulation
from sijill.simulate import preset_config, simulate

FAST = LinkageSettings(u_max_pairs=1e5, seed=7)


def _planted() -> pd.DataFrame:
    """Four hand-written records: one person in two scripts, and two namesakes of another."""
    rows = [
        ("X", "x1", "محمد", "خالد", "الحمصي", "2013-05-14", "2013-05-14", 1984, "SY04"),
        ("Y", "y1", "Mohamed", "Khaled", "Al-Homsi", "2013-05-14", "2013-05-14", 1984, "SY04"),
        ("X", "x2", "محمد", "أحمد", "العلي", "2012-02-01", "2012-02-29", 1970, "SY02"),
        ("Y", "y2", "Muhammad", "Yusuf", "Al-Ali", "2015-09-03", "2015-09-03", 1995, "SY02"),
    ]
    return pd.DataFrame(
        [
            {
                "list_name": lst,
                "record_id": rid,
                "given": g,
                "father": f,
                "family": fam,
                "sex": "male",
                "death_earliest": date.fromisoformat(d0),
                "death_latest": date.fromisoformat(d1),
                "birth_earliest": date(by, 1, 1),
                "birth_latest": date(by, 12, 31),
                "governorate_pcode": gov,
            }
            for lst, rid, g, f, fam, d0, d1, by, gov in rows
        ]
    )


@pytest.fixture(scope="module")
def linked() -> tuple[pd.DataFrame, pd.DataFrame, object]:
    result = simulate(preset_config("realistic", people=300, lists=3, seed=3))
    records = pd.concat(
        [records_from_simulation(result).drop(columns="unique_id"), _planted()],
        ignore_index=True,
    )
    records.insert(0, "unique_id", range(1, len(records) + 1))
    return records, result.truth, link_records(records, FAST)


def _person(records: pd.DataFrame, res: object, lst: str, rid: str) -> int:
    uid = int(
        records.loc[(records.list_name == lst) & (records.record_id == rid), "unique_id"].iloc[0]
    )
    keys = dict(zip(res.clusters.unique_id, res.clusters.person_key, strict=True))  # type: ignore[attr-defined]
    return int(keys[uid])


def test_arabic_script_and_latin_spelling_of_one_person_link(linked: tuple) -> None:
    records, _truth, res = linked
    assert _person(records, res, "X", "x1") == _person(records, res, "Y", "y1")


def test_namesakes_with_different_fathers_and_dates_stay_apart(linked: tuple) -> None:
    records, _truth, res = linked
    assert _person(records, res, "X", "x2") != _person(records, res, "Y", "y2")


def test_simulated_lists_link_accurately(linked: tuple) -> None:
    records, truth, res = linked
    sim = records[records.list_name.isin(truth["list"].unique())]
    keys = dict(zip(res.clusters.unique_id, res.clusters.person_key, strict=True))
    predicted = pd.Series(
        sim["unique_id"].map(keys).to_numpy(),
        index=pd.MultiIndex.from_arrays([sim.list_name, sim.record_id]),
    )
    true = truth.set_index(["list", "record_id"])["person_id"]
    accuracy = evaluate_clusters(predicted, true)
    assert accuracy.records == len(truth)
    assert accuracy.bcubed_f1 > 0.95
    assert accuracy.pairwise_f1 > 0.9


def test_same_seed_same_people(linked: tuple) -> None:
    records, _truth, res = linked
    again = link_records(records, FAST)
    pd.testing.assert_frame_equal(again.clusters, res.clusters)
    assert again.pairs["match_probability"].round(6).equals(res.pairs["match_probability"].round(6))


def test_prepare_gives_both_scripts_the_same_keys() -> None:
    prepared = prepare_records(_planted())
    x1, y1 = prepared.iloc[0], prepared.iloc[1]
    for col in ("given_skel", "father_skel", "family_skel", "given_rom", "family_rom"):
        assert x1[col] == y1[col], col
    assert x1["death_width"] == 0 and x1["death_year"] == 2013
    assert prepared.iloc[2]["death_width"] == 28 and prepared.iloc[2]["death_day"] is pd.NA
    assert x1["birth_lo"] == 1984 and x1["birth_year"] == 1984


def test_prepare_splits_full_names_and_refuses_repeated_ids() -> None:
    frame = pd.DataFrame(
        {"list_name": ["C"], "record_id": ["1"], "full_name": ["أحمد حمزة عبد الحكيم الكيال"]}
    )
    prepared = prepare_records(frame)
    assert prepared.loc[0, "given_rom"] == "ahmad"
    assert (
        prepared.loc[0, "family_skel"]
        == prepare_records(
            pd.DataFrame({"list_name": ["D"], "record_id": ["1"], "family": ["Al-Kayyal"]})
        ).loc[0, "family_skel"]
    )
    with pytest.raises(InputError, match="appears twice"):
        prepare_records(pd.concat([frame, frame]))


def _pairs(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])


@pytest.fixture(scope="module")
def db_api():  # type: ignore[no-untyped-def]
    backend = DuckDBBackend("1GB", 1)
    yield backend.database_api()
    backend.close()


def test_rejected_pair_never_merges_even_through_a_chain(db_api: object) -> None:
    # 1–3 and 3–2 are strong; 1–2 rejected: the weaker link (3–2) is dropped.
    pairs = _pairs([(1, 3, 0.99), (2, 3, 0.97), (1, 2, 0.98), (4, 5, 0.95)])
    result = cluster_records(
        range(1, 7), pairs, 0.9, db_api, Decisions.from_pairs(rejected=[(2, 1)])
    )
    people = dict(zip(result.clusters.unique_id, result.clusters.person_key, strict=True))
    assert people[1] == people[3] != people[2]
    assert people[4] == people[5] and people[6] == 6
    (conflict,) = result.conflicts
    assert conflict.records == (1, 2, 3) and conflict.dropped == ((2, 3),)
    assert not conflict.contradictory


def test_accepted_pair_always_merges_and_contradictions_are_flagged(db_api: object) -> None:
    pairs = _pairs([(1, 2, 0.2)])
    merged = cluster_records([1, 2, 3], pairs, 0.9, db_api, Decisions.from_pairs(accepted=[(1, 3)]))
    people = dict(zip(merged.clusters.unique_id, merged.clusters.person_key, strict=True))
    assert people[1] == people[3] != people[2]
    clash = Decisions.from_pairs(accepted=[(1, 2), (2, 3)], rejected=[(1, 3)])
    result = cluster_records([1, 2, 3], _pairs([]), 0.9, db_api, clash)
    people = dict(zip(result.clusters.unique_id, result.clusters.person_key, strict=True))
    assert people[1] != people[3]
    assert result.conflicts[0].contradictory


def test_evaluation_on_a_hand_made_truth() -> None:
    index = pd.MultiIndex.from_tuples([("A", str(i)) for i in range(5)])
    truth = pd.Series(["p", "p", "p", "q", "r"], index=index)
    predicted = pd.Series([1, 1, 2, 2, 3], index=index)
    acc = evaluate_clusters(predicted, truth)
    # predicted pairs {01, 23}: one true; true pairs {01, 02, 12}.
    assert acc.pairwise_precision == pytest.approx(0.5)
    assert acc.pairwise_recall == pytest.approx(1 / 3)
    assert acc.pairwise_f1 == pytest.approx(0.4)
    # B-cubed precision per record: 1, 1, 1/2, 1/2, 1; recall: 2/3, 2/3, 1/3, 1, 1.
    assert acc.bcubed_precision == pytest.approx(4 / 5)
    assert acc.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert (acc.predicted_people, acc.true_people) == (3, 3)


def test_settings_round_trip_and_refuse_unknown_keys() -> None:
    settings = LinkageSettings(threshold=0.8, blocking_rules=(("given_skel", "family_skel"),))
    assert LinkageSettings.from_json(settings.to_json()) == settings
    assert json.loads(settings.to_json())["blocking_rules"] == [["given_skel", "family_skel"]]
    with pytest.raises(InputError, match="unknown linkage setting"):
        LinkageSettings.from_dict({"treshold": 0.8})
    with pytest.raises(InputError, match="unknown column"):
        LinkageSettings(blocking_rules=(("given",),))
    with pytest.raises(InputError, match="review_low"):
        LinkageSettings(review_low=0.9, review_high=0.5)


def test_spark_backend_names_the_extra_when_pyspark_is_missing() -> None:
    pytest.importorskip("duckdb")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        with pytest.raises(InputError, match="spark"):
            make_backend("spark")
    else:
        pytest.skip("pyspark is installed")
