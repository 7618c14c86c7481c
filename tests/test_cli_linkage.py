"""CLI: link, review list/decide, link-report, link-eval and people export, in-process."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sijill.workspace import Workspace
from tests.clihelp import run_cli
from tests.test_linkage_services import load_simulated_lists


def test_link_review_report_eval_export(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = load_simulated_lists(workspace, people=120, seed=4)
    truth_file = tmp_path / "truth.csv"
    truth[["list", "record_id", "person_id"]].to_csv(truth_file, index=False)
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"u_max_pairs": 100000, "seed": 3, "review_low": 0.05}))
    ws = str(workspace.root)

    r = run_cli(capsys, "-w", ws, "link", "--settings", str(settings), "--json")
    assert r.code == 0, r.err
    summary = json.loads(r.out)
    assert summary["records"] == len(truth) and summary["settings"]["seed"] == 3

    r = run_cli(capsys, "-w", ws, "review", "list", "--json", "--limit", "5")
    assert r.code == 0, r.err
    queue = json.loads(r.out)
    assert queue, "a review band from 0.05 leaves pairs to review"
    first = queue[0]
    assert {"record_a", "record_b", "match_probability"} <= set(first)

    r = run_cli(
        capsys, "-w", ws, "review", "decide", str(first["pair_id"]), "--reject", "--reason", "x"
    )
    assert r.code == 0, r.err
    assert "different people" in r.out
    r = run_cli(
        capsys, "-w", ws, "review", "decide", "1:2", "--accept", "--reject", "--reason", "x"
    )
    assert r.code != 0 and "exactly one" in r.err

    r = run_cli(capsys, "-w", ws, "link-report", "--json")
    assert r.code == 0, r.err
    report = json.loads(r.out)
    assert report["decisions"] == 1
    text = run_cli(capsys, "-w", ws, "link-report")
    words = " ".join(text.out.split())  # the console wraps long lines
    assert text.code == 0 and f"{report['people']} people" in words
    assert report["untrained_levels"]  # these small lists leave levels unobserved in training
    assert f"{len(report['untrained_levels'])} comparison levels were never observed" in words

    r = run_cli(capsys, "-w", ws, "link-eval", "--truth", str(truth_file), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["records"] == len(truth)
    r = run_cli(capsys, "-w", ws, "link-eval", "--truth", str(tmp_path / "none.csv"))
    assert r.code != 0 and "no truth file" in r.err

    out = tmp_path / "people.csv"
    r = run_cli(capsys, "-w", ws, "people", "export", "--out", str(out))
    assert r.code == 0, r.err
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(truth) and set(rows[0]) == {"list", "record_id", "person_id"}


def test_review_and_export_before_any_run_say_what_to_do(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    r = run_cli(capsys, "-w", str(workspace.root), "review", "list")
    assert r.code != 0 and "sijill link" in r.err
