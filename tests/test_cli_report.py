"""`sijill report`, `sijill reproduce` and `sijill package [verify]` as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sijill.demo import DemoBuilder, build_demo
from sijill.services import cases, events
from sijill.services.session import open_session
from tests.clihelp import run_cli
from tests.conftest import TEST_KDF

PASSPHRASE = "demo passphrase"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DemoBuilder]:
    builder = build_demo(tmp_path / "demo", PASSPHRASE, kdf=TEST_KDF, only={"case"})
    monkeypatch.setenv("SIJILL_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SIJILL_USER", "nour")
    yield builder
    builder.workspace.close()


def test_report_reproduce_and_package_from_the_command_line(
    demo: DemoBuilder, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = str(demo.workspace.root)
    out = tmp_path / "report"
    r = run_cli(
        capsys,
        "-w",
        ws,
        "report",
        "--lang",
        "ar",
        "--for",
        "coi",
        "--out",
        str(out),
        "--on",
        "2026-01-15",
        "--json",
    )
    assert r.code == 0, r.err
    made = json.loads(r.out)
    assert Path(made["pdf"]).is_file() and made["settings"]["scope"] == "coi"
    r = run_cli(capsys, "-w", ws, "reproduce", str(out))
    assert r.code == 0 and "No differences" in r.out
    with open_session(demo.workspace, "nour", key=demo.key) as s:
        case = cases.get_case(s, "SAY")
        events.add_event(s, case.id, violation_type="torture", title="Beatings", date="2013")
    r = run_cli(capsys, "-w", ws, "reproduce", str(out / "report.json"))
    assert r.code == 1 and "timeline: changed" in r.out and "Differ: timeline" in r.out
    assert "file changed" not in r.out
    with (out / "report.pdf").open("ab") as pdf:
        pdf.write(b"%appended")
    r = run_cli(capsys, "-w", ws, "reproduce", str(out), "--json")
    assert r.code == 1 and json.loads(r.out)["files_changed"] == ["report.pdf"]

    package = tmp_path / "package"
    r = run_cli(capsys, "-w", ws, "package", "--for", "iiim", "--out", str(package))
    assert r.code == 0, r.err
    assert "signed by key" in r.out
    r = run_cli(capsys, "package", "verify", str(package))  # no workspace needed
    assert r.code == 0 and "package intact" in r.out
    (package / "evidence.json").write_text("[]")
    r = run_cli(capsys, "package", "verify", str(package), "--json")
    assert r.code == 1
    assert json.loads(r.out)["changed"] == ["evidence.json"]


def test_package_without_options_explains_and_reports_refuse_bad_input(
    demo: DemoBuilder, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = str(demo.workspace.root)
    r = run_cli(capsys, "-w", ws, "package")
    assert r.code == 2 and "--for SCOPE and --out DIR" in r.err
    r = run_cli(capsys, "-w", ws, "report", "--lang", "fr", "--out", str(tmp_path / "r"))
    assert r.code == 2 and "--lang ar" in r.err
    r = run_cli(capsys, "-w", ws, "report", "--for", "press", "--out", str(tmp_path / "r"))
    assert r.code == 2 and "consent scope" in r.err
    r = run_cli(capsys, "-w", ws, "report", "--method", "guess", "--out", str(tmp_path / "r"))
    assert r.code == 2 and "unknown estimation method guess" in r.err
    assert not (tmp_path / "r").exists()
    r = run_cli(capsys, "-w", ws, "reproduce", str(tmp_path))
    assert r.code == 3 and "report.json" in r.err
    r = run_cli(capsys, "--user", "sami", "-w", ws, "report", "--out", str(tmp_path / "r"))
    assert r.code == 5  # analysts may not export a case
