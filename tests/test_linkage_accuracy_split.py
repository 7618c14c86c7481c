"""The person check: candidate people split by average linkage, decisions honoured, re-runnable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sijill.linkage import Decisions, LinkageSettings, evaluate_clusters, link_records, recluster
from sijill.linkage.cluster import Clustering
from sijill.linkage.simulated import records_from_simulation
from sijill.linkage.split import (
    SMALL_SIZE,
    _average_linkage,
    _average_linkage_small,
    check_people,
    split_weak_people,
    threshold_weight,
)
from sijill.simulate import preset_config, simulate


def _one_candidate(ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": ids, "person_key": min(ids)})


def _weights(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_weight"])


def _people(clusters: pd.DataFrame) -> dict[int, int]:
    return dict(zip(clusters["unique_id"], clusters["person_key"], strict=True))


def test_threshold_weight_is_log2_odds() -> None:
    assert threshold_weight(0.5) == 0
    assert threshold_weight(0.8) == pytest.approx(2.0)


def test_a_sparse_record_no_longer_chains_two_namesakes() -> None:
    # 1 (given + family only) matches 2 and 3; 2 and 3 are different men (fathers differ).
    pairs = _weights([(1, 2, 5.0), (1, 3, 4.0), (2, 3, -20.0)])
    clusters, split = split_weak_people(_one_candidate([1, 2, 3]), pairs, 0.5)
    people = _people(clusters)
    assert split == 1
    assert people[1] == people[2] != people[3]
    assert people[3] == 3


def test_one_weak_pair_inside_a_true_person_does_not_split_it() -> None:
    pairs = _weights([(1, 2, 10.0), (1, 3, 5.0), (2, 3, -1.0)])
    clusters, split = split_weak_people(_one_candidate([1, 2, 3]), pairs, 0.5)
    assert split == 0
    assert set(_people(clusters).values()) == {1}


def test_unscored_pairs_are_left_out_of_the_mean() -> None:
    pairs = _weights([(1, 2, 5.0), (2, 3, 5.0)])
    clusters, split = split_weak_people(_one_candidate([1, 2, 3]), pairs, 0.5)
    assert split == 0 and set(_people(clusters).values()) == {1}


def test_a_higher_threshold_splits_more() -> None:
    pairs = _weights([(1, 2, 5.0), (1, 3, 1.0), (2, 3, 1.0)])
    kept, _ = split_weak_people(_one_candidate([1, 2, 3]), pairs, 0.5)
    strict, _ = split_weak_people(_one_candidate([1, 2, 3]), pairs, 0.9)
    assert len(set(_people(kept).values())) == 1
    assert _people(strict) == {1: 1, 2: 1, 3: 3}


def test_decisions_win_over_the_weights() -> None:
    pairs = _weights([(1, 2, 5.0), (1, 3, 6.0), (2, 3, 4.0), (3, 4, -30.0), (1, 4, -30.0)])
    decisions = Decisions.from_pairs(accepted=[(4, 3)], rejected=[(2, 1)])
    clustering = Clustering(_one_candidate([1, 2, 3, 4]))
    people = _people(check_people(clustering, pairs, 0.5, decisions).clusters)
    assert people[3] == people[4]
    assert people[1] != people[2]


def test_probabilities_stand_in_for_missing_weights() -> None:
    pairs = pd.DataFrame(
        {"unique_id_l": [1, 1, 2], "unique_id_r": [2, 3, 3], "match_probability": [0.97, 0.9, 1e-6]}
    )
    people = _people(check_people(Clustering(_one_candidate([1, 2, 3])), pairs, 0.5).clusters)
    assert people[1] == people[2] != people[3]


@pytest.fixture(scope="module")
def simulated() -> tuple[pd.DataFrame, pd.Series]:
    result = simulate(preset_config("realistic", people=600, lists=4, seed=11))
    records = records_from_simulation(result)
    truth = result.truth.set_index(["list", "record_id"])["person_id"]
    person = truth.reindex(pd.MultiIndex.from_arrays([records.list_name, records.record_id]))
    return records, pd.Series(person.to_numpy(), index=records["unique_id"].to_numpy())


def test_the_check_raises_precision_on_simulated_lists(
    simulated: tuple[pd.DataFrame, pd.Series],
) -> None:
    records, person = simulated
    settings = LinkageSettings(u_max_pairs=1e5, seed=7, threshold=0.2)
    checked = link_records(records, settings)
    plain = recluster(
        checked.clusters["unique_id"],
        checked.pairs,
        LinkageSettings(u_max_pairs=1e5, seed=7, threshold=0.2, check_people=False),
        Decisions(),
    )

    def figures(clusters: pd.DataFrame) -> tuple[float, float]:
        predicted = pd.Series(clusters["person_key"].to_numpy(), index=clusters["unique_id"])
        acc = evaluate_clusters(predicted, person)
        return acc.pairwise_precision, acc.pairwise_f1

    (p_checked, f1_checked), (p_plain, f1_plain) = (
        figures(checked.clusters),
        figures(plain.clusters),
    )
    assert p_checked > p_plain
    assert f1_checked > f1_plain
    # The pairs scored inside candidate people are kept, so re-clustering the stored pairs
    # (as a review decision does) gives the run's people again.
    again = recluster(checked.clusters["unique_id"], checked.pairs, settings, Decisions())
    pd.testing.assert_frame_equal(again.clusters, checked.clusters)


def test_a_sound_candidate_is_still_checked_when_a_decision_touches_it() -> None:
    pairs = _weights([(1, 2, 9.0), (1, 3, 8.0), (2, 3, 7.0)])
    untouched, split = split_weak_people(_one_candidate([1, 2, 3]), pairs, 0.5)
    assert split == 0 and set(_people(untouched).values()) == {1}
    kept_apart, split = split_weak_people(
        _one_candidate([1, 2, 3]), pairs, 0.5, rejected=frozenset({(1, 2)})
    )
    people = _people(kept_apart)
    assert split == 1 and people[1] != people[2]


def _partition(labels: list[int]) -> set[frozenset[int]]:
    return {frozenset(i for i, x in enumerate(labels) if x == g) for g in set(labels)}


def test_the_plain_python_path_merges_exactly_as_the_numpy_path() -> None:
    # Weights drawn from a few values force ties, the case where merge order could differ.
    rng = np.random.default_rng(3)
    for _ in range(400):
        n = int(rng.integers(3, 12))
        weights = np.zeros((n, n))
        known = np.zeros((n, n), dtype=bool)
        cannot = np.zeros((n, n), dtype=bool)
        pairs: list[tuple[int, int, float]] = []
        apart: list[tuple[int, int]] = []
        for i in range(n):
            for j in range(i + 1, n):
                if rng.random() < 0.7:
                    w = float(rng.choice([-9.5, -2.0, 0.3, 1.7, 4.0, 4.0, 8.25]))
                    weights[i, j] = weights[j, i] = w
                    known[i, j] = known[j, i] = True
                    pairs.append((i, j, w))
                if rng.random() < 0.05:
                    cannot[i, j] = cannot[j, i] = True
                    apart.append((i, j))
        floor = float(rng.choice([-1.0, 0.0, 2.0]))
        numpy_labels = _average_linkage(weights, known, cannot, [], floor)
        plain_labels = _average_linkage_small(n, pairs, apart, floor)
        assert _partition(numpy_labels.tolist()) == _partition(plain_labels)


def test_large_and_small_candidates_split_alike() -> None:
    # One sparse record chaining two namesakes, as a small candidate and inside a large one.
    chain = [(1, 2, 5.0), (1, 3, 4.0), (2, 3, -20.0)]
    big_ids = list(range(100, 100 + SMALL_SIZE + 1))
    chain_big = [(a, b, 6.0) for a in big_ids for b in big_ids if a < b]
    chain_big += [(big_ids[0], 1000, 5.0), (big_ids[1], 1000, -30.0)]
    clusters = pd.concat(
        [_one_candidate([1, 2, 3]), _one_candidate([*big_ids, 1000])], ignore_index=True
    )
    people = _people(split_weak_people(clusters, _weights(chain + chain_big), 0.5)[0])
    assert people[1] == people[2] != people[3]
    assert len({people[i] for i in big_ids}) == 1
