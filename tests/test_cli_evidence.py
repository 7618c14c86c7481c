"""Evidence through the CLI: stored read-only, custody logged, and a flipped byte is named."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sijill.workspace import Workspace
from tests.clihelp import run_cli


def test_verify_names_exactly_the_changed_original(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(workspace.root)
    assert (
        run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "Saydnaya").code == 0
    )
    files = []
    for n in range(3):
        f = tmp_path / f"photo-{n}.jpg"
        f.write_bytes(os.urandom(4096))
        files.append(f)
        assert (
            run_cli(
                capsys, "-w", ws, "evidence", "add", str(f), "--reason", "received from field team"
            ).code
            == 0
        )
    ok = run_cli(capsys, "-w", ws, "evidence", "verify")
    assert ok.code == 0 and "3 original(s) checked, 0 problem(s)" in ok.out

    listed = json.loads(run_cli(capsys, "-w", ws, "evidence", "list", "--json").out)
    target = next(i for i in listed if i["original_name"] == "photo-1.jpg")
    original = workspace.settings.evidence_dir / target["sha256"][:2] / target["sha256"]
    assert not os.access(original, os.W_OK) or os.geteuid() == 0  # read-only (root bypasses modes)
    original.chmod(0o600)
    data = bytearray(original.read_bytes())
    data[1000] ^= 0x01
    original.write_bytes(bytes(data))

    bad = run_cli(capsys, "-w", ws, "evidence", "verify")
    assert bad.code == 7
    assert "photo-1.jpg" in bad.err and target["code"] in bad.err
    assert "photo-0.jpg" not in bad.err and "photo-2.jpg" not in bad.err

    custody = json.loads(
        run_cli(capsys, "-w", ws, "evidence", "custody", target["code"], "--json").out
    )
    assert [c["action"] for c in custody] == ["acquired", "hashed"]
    assert custody[0]["reason"] == "received from field team"


def test_adding_the_same_file_twice_is_refused(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "Saydnaya")
    f = tmp_path / "doc.pdf"
    f.write_bytes(b"%PDF-1.4 synthetic")
    assert run_cli(capsys, "-w", ws, "evidence", "add", str(f)).code == 0
    again = run_cli(capsys, "-w", ws, "evidence", "add", str(f))
    assert again.code == 2 and "already evidence item EV-001" in again.err


def test_sensitive_evidence_is_encrypted_at_rest_and_still_verifiable(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "Saydnaya")
    canary = "Statement of Qxzwitness Haddad, phone 0999-123"
    f = tmp_path / "statement.txt"
    f.write_text(canary, "utf-8")
    assert run_cli(capsys, "-w", ws, "evidence", "add", str(f), "--sensitive").code == 0
    stored = b"".join(
        p.read_bytes() for p in workspace.settings.evidence_dir.rglob("*") if p.is_file()
    )
    assert canary.encode() not in stored and b"Qxzwitness" not in stored
    assert run_cli(capsys, "-w", ws, "evidence", "verify").code == 0
    item = json.loads(run_cli(capsys, "-w", ws, "evidence", "list", "--json").out)[0]
    original = next(p for p in workspace.settings.evidence_dir.rglob("*") if p.is_file())
    original.chmod(0o600)
    data = bytearray(original.read_bytes())
    data[-5] ^= 0x01
    original.write_bytes(bytes(data))
    bad = run_cli(capsys, "-w", ws, "evidence", "verify")
    assert bad.code == 7 and item["code"] in bad.err and "Qxzwitness" not in bad.err
