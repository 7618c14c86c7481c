"""`sijill corroborate` and `sijill corroborate resolve`, run in-process as a user would."""

from __future__ import annotations

import json

import pytest

from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace
from tests.clihelp import run_cli
from tests.test_corroboration_service import SECRETS, _build

FINDING_KEYS = {
    "id",
    "subject",
    "attribute",
    "value",
    "status",
    "support",
    "claims",
    "groups",
    "independent_direct",
    "score",
    "reasons",
    "contested_by",
    "sources",
}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_corroborate_json_shape_and_no_identity(
    workspace_and_key: tuple[Workspace, WorkspaceKey], capsys: pytest.CaptureFixture[str]
) -> None:
    ws, key = workspace_and_key
    _build(ws, key)
    for user in ("sami", "admin"):
        r = run_cli(capsys, "-w", str(ws.root), "--user", user, "corroborate", "--json")
        assert r.code == 0, r.err
        data = json.loads(r.out)
        assert set(data) == {
            "case",
            "settings",
            "weights",
            "summary",
            "findings",
            "contradictions",
            "to_review",
            "excluded",
            "matrix",
            "sources",
        }
        assert data["case"] == "TST" and data["settings"] == {"min_independent": 2}
        assert set(data["findings"][0]) == FINDING_KEYS
        assert data["summary"]["by_status"]["contested"] == 2
        assert data["matrix"]["sources"] == ["W-001", "W-002", "W-003", "W-004"]
        assert len(data["matrix"]["rows"]) == len(data["findings"])
        assert {"claim_a", "claim_b", "reason", "resolutions", "resolved"} <= set(
            data["contradictions"][0]
        )
        for secret in SECRETS:
            assert secret not in r.out


@pytest.mark.parametrize("backend", ["sqlite"])
def test_corroborate_table_then_resolve(
    workspace_and_key: tuple[Workspace, WorkspaceKey], capsys: pytest.CaptureFixture[str]
) -> None:
    ws, key = workspace_and_key
    built = _build(ws, key)
    root = str(ws.root)
    r = run_cli(capsys, "-w", root, "--user", "sami", "corroborate", "--min-independent", "3")
    assert r.code == 0, r.err
    assert "Corroboration matrix" in r.out and "below threshold" in r.out
    assert "W-003" in r.out and "unresolved" in r.out
    for secret in SECRETS:
        assert secret not in r.out
    a, _, _, d = built.claim_ids
    denied = run_cli(
        capsys,
        "-w",
        root,
        "--user",
        "sami",
        "corroborate",
        "resolve",
        str(a),
        str(d),
        "--note",
        "x",
    )
    assert denied.code == 5 and "may not" in denied.err
    done = run_cli(
        capsys, "-w", root, "corroborate", "resolve", str(d), str(a), "--note", "two events"
    )
    assert done.code == 0 and "resolved" in done.out
    after = json.loads(run_cli(capsys, "-w", root, "corroborate", "--json").out)
    resolved = [c for c in after["contradictions"] if c["resolved"]]
    assert len(resolved) == 1 and resolved[0]["resolutions"][0]["resolution"] == "two events"
    bad = run_cli(capsys, "-w", root, "corroborate", "--min-independent", "0")
    assert bad.code == 2 and "at least 1" in bad.err
