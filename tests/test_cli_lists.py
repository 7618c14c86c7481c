"""The import-list and lists commands, run in-process as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sijill.workspace import Workspace
from tests.clihelp import CliResult, run_cli

DATA = Path(__file__).parent / "data" / "lists"


def _cli(capsys: pytest.CaptureFixture[str], ws: Workspace, *args: str) -> CliResult:
    return run_cli(capsys, "-w", str(ws.root), *args)


def test_preview_save_mapping_then_import_with_it(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "mapping.json"
    r = _cli(
        capsys,
        workspace,
        "import-list",
        str(DATA / "victims_ar.csv"),
        "--list",
        "SNHR",
        "--preview",
        "--save-mapping",
        str(saved),
    )
    assert r.code == 0, r.err
    assert "Preview only: nothing was imported." in r.out
    assert "الاسم الكامل" in r.out and "full_name" in r.out
    assert json.loads(saved.read_text("utf-8"))["fields"]["record_id"] == "الرقم"
    r = _cli(capsys, workspace, "lists", "list", "--json")
    assert r.code == 0 and json.loads(r.out) == []

    r = _cli(
        capsys,
        workspace,
        "import-list",
        str(DATA / "victims_ar.csv"),
        "--list",
        "SNHR",
        "--mapping",
        str(saved),
        "--organisation",
        "synthetic group",
    )
    assert r.code == 0, r.err
    assert "Imported list 'SNHR': 4 records." in r.out
    assert "approximate spelling" in r.err  # "Dayr Az Zor" is reported, not rejected


def test_json_output_and_lists_commands(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    r = _cli(
        capsys, workspace, "import-list", str(DATA / "victims_en.tsv"), "--list", "VDC", "--json"
    )
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["imported"] is True and doc["rows"] == 4 and doc["id_column"] == "Record ID"
    assert doc["file"]["delimiter"] == "tab" and len(doc["file"]["sha256"]) == 64
    assert doc["mapping"]["fields"]["father"] == "Father's Name"

    r = _cli(capsys, workspace, "lists", "list", "--json")
    assert [v["name"] for v in json.loads(r.out)] == ["VDC"]
    r = _cli(capsys, workspace, "lists", "show", "VDC")
    assert r.code == 0 and "4 records from victims_en.tsv" in r.out
    r = _cli(capsys, workspace, "lists", "records", "VDC", "--limit", "2", "--json")
    records = json.loads(r.out)
    assert [x["record_id"] for x in records] == ["V-001", "V-002"]
    assert records[0]["raw"]["First Name"] == "Mohammad"
    r = _cli(capsys, workspace, "lists", "records", "VDC")
    assert r.code == 0 and "V-004" in r.out


def test_rejections_print_rows_and_columns_without_traceback(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,date of death\n1,Ali,31/02/2013\n2,Omar,2013,x\n", "utf-8")
    r = _cli(capsys, workspace, "import-list", str(bad), "--list", "bad", "--id-column", "id")
    assert r.code != 0
    assert "Traceback" not in r.err
    assert "nothing was imported" in r.err
    assert "row 1, column 'date of death'" in r.err and "row 2: 4 cells" in r.err
    r = _cli(capsys, workspace, "lists", "list", "--json")
    assert json.loads(r.out) == []


def test_name_taken_replace_and_unknown_list(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["import-list", str(DATA / "victims.jsonl"), "--list", "J"]
    assert _cli(capsys, workspace, *args).code == 0
    r = _cli(capsys, workspace, *args)
    assert r.code != 0 and "already exists" in r.err and "--replace" in r.err
    r = _cli(capsys, workspace, *args, "--preview")
    assert r.code == 0 and "importing will need --replace" in r.out
    r = _cli(capsys, workspace, *args, "--replace")
    assert r.code == 0
    assert "Replaced list 'J': 3 records (3 updated in place, 0 added, 0 removed)." in r.out
    r = _cli(capsys, workspace, "lists", "show", "nope")
    assert r.code != 0 and "no list 'nope'" in r.err


def test_wrong_encoding_preview_warns_garbled(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    r = _cli(
        capsys,
        workspace,
        "import-list",
        str(DATA / "victims_ar.csv"),
        "--list",
        "X",
        "--encoding",
        "windows-1256",
        "--preview",
    )
    assert r.code == 0
    assert "garbled" in r.err and "--encoding" in r.err


def test_a_file_above_the_size_limit_is_refused_clearly(
    workspace: Workspace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SIJILL_IMPORT_MAX_BYTES", "200")
    r = _cli(capsys, workspace, "import-list", str(DATA / "victims_ar.csv"), "--list", "big")
    assert r.code != 0 and "Traceback" not in r.err
    assert "above the import limit" in r.err and "SIJILL_IMPORT_MAX_BYTES" in r.err
