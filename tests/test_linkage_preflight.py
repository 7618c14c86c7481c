"""The candidate-pair count before scoring: equal to a SQL self-join per rule; a runaway run is refused."""

from __future__ import annotations

import dataclasses

import duckdb
import pandas as pd
import pytest

from sijill.errors import InputError
from sijill.linkage import LinkageSettings, link_records, prepare_records
from sijill.linkage.preflight import count_candidate_pairs
from sijill.linkage.simulated import records_from_simulation
from sijill.simulate import preset_config, simulate


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return records_from_simulation(
        simulate(preset_config("realistic", people=600, lists=3, seed=21))
    )


def test_counts_equal_a_self_join_per_rule(records: pd.DataFrame) -> None:
    settings = LinkageSettings()
    prepared = prepare_records(records, settings.extra_columns)
    counted = count_candidate_pairs(prepared, settings)
    con = duckdb.connect()
    con.register("t", prepared)
    union = []
    for rule, count in counted.per_rule:
        on = " and ".join(f"l.{c} = r.{c}" for c in rule)  # NULL never equals NULL, as in Splink
        joined = f"select l.unique_id a, r.unique_id b from t l join t r on {on} and l.unique_id < r.unique_id"
        assert con.execute(f"select count(*) from ({joined})").fetchone()[0] == count, rule
        union.append(joined)
    distinct = con.execute(f"select count(*) from ({' union '.join(union)})").fetchone()[0]
    assert 0 < distinct <= counted.upper_bound == sum(c for _, c in counted.per_rule)


def test_a_run_over_the_limit_is_refused_before_scoring(records: pd.DataFrame) -> None:
    settings = LinkageSettings(u_max_pairs=1e5, max_candidate_pairs=100)
    with pytest.raises(InputError, match="candidate pairs") as refused:
        link_records(records, settings)
    assert "given_skel + family_skel" in refused.value.message
    assert "max_candidate_pairs" in (refused.value.hint or "")
    with pytest.raises(InputError):
        dataclasses.replace(settings, max_candidate_pairs=0)
    assert LinkageSettings.from_json(settings.to_json()).max_candidate_pairs == 100
