"""Linkage services on a workspace: runs stored, decisions survive re-runs, export, capture history."""

from __future__ import annotations

import csv
import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import insert, select

from sijill.errors import InputError, PermissionDeniedError
from sijill.linkage import LinkageSettings
from sijill.linkage.simulated import records_from_simulation
from sijill.services import linkage as service
from sijill.services.session import open_session
from sijill.simulate import preset_config, simulate
from sijill.store import cases as case_store
from sijill.store import linkage as store
from sijill.store.schema import audit_log, list_records, victim_lists
from sijill.workspace import Workspace

FAST = LinkageSettings(u_max_pairs=1e5, seed=5)
_FIELDS = (
    "given",
    "father",
    "grandfather",
    "family",
    "mother",
    "full_name",
    "sex",
    "governorate_pcode",
    "place_text",
)


def _value(v: object) -> object:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def load_simulated_lists(ws: Workspace, people: int = 150, seed: int = 11) -> pd.DataFrame:
    """Store a small simulation's lists as imported list records; return its truth."""
    result = simulate(preset_config("realistic", people=people, lists=3, seed=seed))
    records = records_from_simulation(result)
    with ws.engine.begin() as conn:
        for name, group in records.groupby("list_name"):
            list_id = conn.execute(
                insert(victim_lists).values(
                    name=name,
                    file_name=f"{name}.csv",
                    file_sha256=hashlib.sha256(name.encode()).hexdigest(),
                    row_count=len(group),
                    imported_at=datetime.now(UTC),
                )
            ).inserted_primary_key[0]
            rows = []
            for i, r in enumerate(group.itertuples(index=False), start=1):
                row = {f: _value(getattr(r, f)) or "" for f in _FIELDS}
                row["governorate_pcode"] = row["governorate_pcode"] or None
                for f in ("birth_earliest", "birth_latest", "death_earliest", "death_latest"):
                    value = _value(getattr(r, f))
                    row[f] = value if isinstance(value, date) else None
                rows.append(
                    {
                        **row,
                        "list_id": list_id,
                        "row_number": i,
                        "record_id": r.record_id,
                        "raw": {},
                    }
                )
            conn.execute(insert(list_records), rows)
    return result.truth


def _ids(ws: Workspace, lst: str, record_id: str) -> int:
    with ws.engine.connect() as conn:
        return int(
            conn.execute(
                select(list_records.c.id)
                .join(victim_lists, victim_lists.c.id == list_records.c.list_id)
                .where(victim_lists.c.name == lst, list_records.c.record_id == record_id)
            ).scalar_one()
        )


def test_link_review_rerun_export_and_capture_history(workspace: Workspace, tmp_path: Path) -> None:
    truth = load_simulated_lists(workspace)
    with open_session(workspace) as s:
        summary = service.link_lists(s, FAST)
    assert summary.records == len(truth)
    assert 0.8 * truth.person_id.nunique() < summary.people <= summary.records
    assert set(summary.input_hashes) == set(truth["list"])

    # An unsure pair stays in the queue, marked, and changes nothing.
    with open_session(workspace) as s:
        queue = service.review_queue(s, limit=5)
        assert queue, "the default review band leaves pairs to review"
        service.decide(s, queue[0].pair_id, "unsure", "cannot read the date on the scan")
        again = service.review_queue(s, limit=5)
    assert again[0].pair_id == queue[0].pair_id and again[0].current_decision == "unsure"

    # A true pair that was merged: reject it, and it must stay apart after a full re-run.
    with open_session(workspace) as s:
        clusters = store.load_clusters(s.conn, summary.run_id)
    keyed = clusters.merge(
        truth, left_on=["list_name", "record_id"], right_on=["list", "record_id"]
    )
    multi = keyed.groupby("person_key").filter(lambda g: len(g) >= 2)
    first = sorted(multi.groupby("person_key")["unique_id"].apply(sorted).iloc[0])
    a, b = int(first[0]), int(first[1])
    with open_session(workspace) as s:
        out = service.decide(s, f"{a}:{b}", "reject", "different mothers on the paper files")
    assert out["same_person"] is False
    with open_session(workspace) as s:
        rerun = service.link_lists(s, FAST)
        people = store.load_clusters(s.conn, rerun.run_id).set_index("unique_id")["person_key"]
        assert people[a] != people[b]
        # Reversible: accepting again merges them (history kept).
        out = service.decide(s, f"{b}:{a}", "accept", "checked the birth register")
        assert out["same_person"] is True and out["history"] == 2
        assert [d.decision.value for d in store.decision_history(s.conn, a, b)] == [
            "reject",
            "accept",
        ]
        # An accepted pair of unrelated records merges even though it was never scored.
        x, y = _ids(workspace, "A", "A-000001"), _ids(workspace, "C", "C-000002")
        assert service.decide(s, f"{x}:{y}", "accept", "same ID card")["same_person"] is True
        actions = [r.action for r in s.conn.execute(select(audit_log.c.action))]
    assert {"linkage.run", "linkage.decide", "linkage.split", "linkage.merge"} <= set(actions)

    out_file = tmp_path / "people.csv"
    with open_session(workspace) as s:
        written = service.export_people(s, out_file)
        history = service.capture_history(s)
        stratified = service.capture_history(s, strata=["sex", "year"])
        table = service.capture_history_table(s)
        found = service.people(s)
        report = service.quality_report(s)
        figures = service.evaluate(s, _truth_file(truth, tmp_path))
    with out_file.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert written == len(truth) == len(rows)
    assert list(rows[0]) == ["list", "record_id", "person_id"]
    persons = {r["person_id"] for r in rows}
    assert history["count"].sum() == len(persons) == len(found) == stratified["count"].sum()
    lists = sorted(truth["list"].unique())
    assert list(history.columns) == [*lists, "count"]
    for lst in lists:  # people on each list = distinct person ids among its rows
        on_list = {r["person_id"] for r in rows if r["list"] == lst}
        assert int(history.loc[history[lst] == 1, "count"].sum()) == len(on_list)
    assert table.n_observed == len(persons)
    assert report["records"] == len(truth) and sum(report["cluster_sizes"].values()) == len(persons)
    assert report["untrained_levels"], "small lists leave levels unobserved in training"
    assert all({"comparison", "level"} <= set(level) for level in report["untrained_levels"])
    assert figures["bcubed_f1"] > 0.9


def _truth_file(truth: pd.DataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "truth.csv"
    truth[["list", "record_id", "person_id"]].to_csv(path, index=False)
    return path


def test_queue_and_refusals(workspace: Workspace) -> None:
    with open_session(workspace) as s:
        with pytest.raises(InputError, match="fewer than two"):
            service.link_lists(s)
        case_store.add_user(s.conn, "rev", "reviewer")
    with open_session(workspace, "rev") as s, pytest.raises(PermissionDeniedError):
        service.link_lists(s)
    with open_session(workspace) as s, pytest.raises(InputError, match="not a pair"):
        service.decide(s, "x-y", "accept", "because")
    with open_session(workspace) as s, pytest.raises(InputError, match="reason"):
        service.decide(s, "1:2", "accept", " ")
