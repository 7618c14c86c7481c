"""Linkage speed-ups keep results: one-table dedupe equals link_and_dedupe; dates and keys by value."""

from __future__ import annotations

import copy
from datetime import date

import pandas as pd
import pytest

from sijill.errors import InputError
from sijill.linkage import LinkageSettings, link_records, prepare_records
from sijill.linkage.backends import DuckDBBackend, _jvm_memory
from sijill.linkage.model import (
    CODE_SUFFIX,
    make_linker,
    register_lists,
    score_pairs,
    train_model,
)
from sijill.linkage.prepare import _text
from sijill.linkage.simulated import records_from_simulation
from sijill.simulate import preset_config, simulate

FAST = LinkageSettings(u_max_pairs=1e5, seed=5)


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return records_from_simulation(
        simulate(preset_config("realistic", people=400, lists=3, seed=11))
    )


def _scored(linker: object) -> pd.DataFrame:
    frame = score_pairs(linker, FAST).as_pandas_dataframe()  # type: ignore[arg-type]
    pairs = frame[["unique_id_l", "unique_id_r", "match_probability"]].astype(
        {"unique_id_l": "int64", "unique_id_r": "int64"}
    )
    # link_and_dedupe orders a pair by "list-__-id" strings, dedupe by id: compare unordered.
    low = pairs[["unique_id_l", "unique_id_r"]].min(axis=1)
    high = pairs[["unique_id_l", "unique_id_r"]].max(axis=1)
    pairs = pairs.assign(unique_id_l=low, unique_id_r=high)
    return pairs.sort_values(["unique_id_l", "unique_id_r"], ignore_index=True)


def test_one_table_dedupe_scores_the_pairs_link_and_dedupe_scores(records: pd.DataFrame) -> None:
    model = {k: v for k, v in link_records(records, FAST).model.items() if "sijill" not in k}
    prepared = prepare_records(records)
    backend = DuckDBBackend("1GB", 1)
    try:
        one = _scored(make_linker(register_lists(prepared, backend), copy.deepcopy(model)))
        db_api = backend.database_api()
        per_list = [
            db_api.register(group.reset_index(drop=True), table_name=f"list_{i}")
            for i, (_name, group) in enumerate(prepared.groupby("source_dataset"))
        ]
        assert len(per_list) == 3
        linked = copy.deepcopy(model) | {"link_type": "link_and_dedupe"}
        several = _scored(make_linker(per_list, linked))
    finally:
        backend.close()
    assert len(one) > 0
    pd.testing.assert_frame_equal(one, several, check_exact=False, atol=1e-12)
    # Within-list duplicates and cross-list links are both among the pairs.
    source = prepared.set_index("unique_id")["source_dataset"]
    same = source.loc[one["unique_id_l"]].to_numpy() == source.loc[one["unique_id_r"]].to_numpy()
    assert same.any() and (~same).any()


def test_dates_repeat_and_fail_by_value() -> None:
    frame = pd.DataFrame(
        {
            "list_name": "L",
            "record_id": ["1", "2", "3", "4", "5"],
            "given": "Ahmad",
            "death_earliest": [date(2013, 5, 1), date(2013, 5, 1), None, "2012-02-29", "bad"],
            "death_latest": [date(2013, 5, 31), date(2013, 5, 1), None, "2012-02-29", "bad"],
            "birth_earliest": [date(1850, 1, 1), None, None, None, None],
            "birth_latest": [date(1850, 12, 31), None, None, None, None],
        }
    )
    prepared = prepare_records(frame)
    epoch = date(1970, 1, 1)
    assert prepared["death_lo"].tolist()[:2] == [(date(2013, 5, 1) - epoch).days] * 2
    assert prepared["death_hi"].iloc[0] == (date(2013, 5, 31) - epoch).days
    assert prepared["death_day"].iloc[1] == (date(2013, 5, 1) - epoch).days
    assert pd.isna(prepared["death_day"].iloc[0])
    assert prepared["death_day"].iloc[3] == (date(2012, 2, 29) - epoch).days
    assert prepared["death_lo"].iloc[[2, 4]].isna().all()
    assert prepared["birth_lo"].iloc[0] == prepared["birth_hi"].iloc[0] == 1850


def test_full_name_skeleton_joins_the_parts() -> None:
    frame = pd.DataFrame(
        {
            "list_name": "L",
            "record_id": ["1", "2", "3"],
            "given": ["محمد", "Mohamed", ""],
            "father": ["خالد", "", ""],
            "family": ["الحمصي", "Al-Homsi", ""],
        }
    )
    prepared = prepare_records(frame)
    first, second, third = prepared["full_skel"].tolist()
    assert first == " ".join(prepared.loc[0, ["given_skel", "father_skel", "family_skel"]])
    assert second == f"{prepared.loc[1, 'given_skel']} {prepared.loc[1, 'family_skel']}"
    assert third is None


def test_jvm_memory_spelling() -> None:
    assert [_jvm_memory(v) for v in ("4GB", "800MB", "2g", "1GiB")] == ["4g", "800m", "2g", "1g"]
    with pytest.raises(InputError, match="Spark"):
        _jvm_memory("lots")


def test_blocking_on_integer_twins_scores_the_pairs_text_blocking_scores(
    records: pd.DataFrame,
) -> None:
    prepared = prepare_records(records)
    backend = DuckDBBackend("1GB", 1)
    try:
        tables = register_lists(prepared, backend, FAST.blocking_rules)
        linker, model = train_model(tables, FAST, prepared)
        rules = [
            r.blocking_rule_sql
            for r in linker._settings_obj._blocking_rules_to_generate_predictions
        ]
        assert all(CODE_SUFFIX in rule for rule in rules)
        # The stored model keeps the rules on the text columns.
        assert all(
            CODE_SUFFIX not in r["blocking_rule"]
            for r in model["blocking_rules_to_generate_predictions"]
        )
        coded = score_pairs(linker, FAST).as_pandas_dataframe()
        plain_model = {k: v for k, v in model.items() if not k.startswith("sijill")}
        plain = score_pairs(make_linker(tables, plain_model), FAST).as_pandas_dataframe()
    finally:
        backend.close()
    key = ["unique_id_l", "unique_id_r"]
    coded = coded.sort_values(key, ignore_index=True)
    plain = plain.sort_values(key, ignore_index=True)
    assert len(coded) > 0
    # Same pairs, same probabilities, and each pair found by the same (first) rule.
    pd.testing.assert_frame_equal(coded, plain)


def test_text_is_stripped_by_value_and_numbers_keep_their_spelling() -> None:
    frame = pd.DataFrame(
        {
            "names": [" Ahmad ", None, float("nan"), "Ahmad", "محمد ", "Ahmad"],
            "mixed": [" 7", 1, 1.0, True, None, "x "],
        }
    )
    assert _text(frame, "names").tolist() == ["Ahmad", "", "", "Ahmad", "محمد", "Ahmad"]
    assert _text(frame, "mixed").tolist() == ["7", "1", "1.0", "True", "", "x"]
    assert _text(frame, "absent").tolist() == [""] * 6
    assert _text(pd.DataFrame({"c": [None, None]}), "c").tolist() == ["", ""]
