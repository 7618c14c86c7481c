"""The Spark linkage backend (local mode) gives the same people as DuckDB on the same lists."""

from __future__ import annotations

import pandas as pd
import pytest

from sijill.linkage import LinkageSettings, link_records
from sijill.linkage.simulated import records_from_simulation
from sijill.simulate import preset_config, simulate

pytest.importorskip("pyspark")


@pytest.mark.slow
def test_spark_links_like_duckdb() -> None:
    records = records_from_simulation(
        simulate(preset_config("realistic", people=100, lists=3, seed=3))
    )
    duck = link_records(records, LinkageSettings(u_max_pairs=1e5, seed=7))
    spark = link_records(records, LinkageSettings(u_max_pairs=1e5, seed=7, backend="spark"))

    both = duck.pairs.merge(
        spark.pairs, on=["unique_id_l", "unique_id_r"], how="outer", suffixes=("_d", "_s")
    )
    assert len(both) == len(duck.pairs) == len(spark.pairs) > 0
    assert (both["match_probability_d"] - both["match_probability_s"]).abs().max() < 1e-9
    people = pd.merge(duck.clusters, spark.clusters, on="unique_id", suffixes=("_d", "_s"))
    assert len(people) == len(records)
    # Same partition of records into people (person keys may be named differently).
    assert people.groupby("person_key_d")["person_key_s"].nunique().max() == 1
    assert people.groupby("person_key_s")["person_key_d"].nunique().max() == 1
    assert spark.n_people == duck.n_people < len(records)
