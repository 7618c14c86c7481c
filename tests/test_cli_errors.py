"""Bad input answered with a clear message, a non-zero exit, no traceback, and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sijill.workspace import Workspace
from tests.clihelp import run_cli


def _no_traceback(text: str) -> bool:
    return "Traceback" not in text


def test_uninitialised_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "-w", str(tmp_path), "cases", "list")
    assert (
        result.code == 4 and "not a Sijill workspace" in result.err and "sijill init" in result.err
    )
    assert _no_traceback(result.err)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["events", "add", "--type", "torture", "--title", "x", "--date", "31/02/2013"],
            2,
            "not a real date",
        ),
        (
            ["events", "add", "--type", "torture", "--title", "x", "--date", "2013-13"],
            2,
            "month 13",
        ),
        (["events", "add", "--type", "beheading", "--title", "x"], 2, "unknown violation type"),
        (
            ["events", "add", "--type", "torture", "--title", "x", "--place", "Atlantis"],
            2,
            "unknown place",
        ),
        (["sources", "add", "--kind", "spy"], 2, "unknown source kind"),
        (["evidence", "add", "/nonexistent/file.jpg"], 3, "no file"),
        (["testimonies", "add", "--source", "W-404", "--summary", "x"], 3, "no source"),
        (["sources", "consent", "W-001", "--scope", "everyone"], 3, "no source"),
        (
            [
                "claims",
                "add",
                "--testimony",
                "T-404",
                "--subject",
                "s",
                "--attribute",
                "count",
                "--value",
                "3",
                "--basis",
                "saw",
            ],
            3,
            "no testimony",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    workspace: Workspace,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "Saydnaya")
    before = json.loads(run_cli(capsys, "-w", ws, "info", "--json").out)
    result = run_cli(capsys, "-w", ws, *args)
    assert result.code == code, result.err
    assert message in result.err and _no_traceback(result.err)
    after = json.loads(run_cli(capsys, "-w", ws, "info", "--json").out)
    assert after == before


def test_wrong_passphrase_is_refused(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "Saydnaya")
    monkeypatch.setenv("SIJILL_PASSPHRASE", "wrong")
    result = run_cli(
        capsys, "-w", ws, "sources", "add", "--kind", "survivor", "--name-latin", "Someone"
    )
    assert (
        result.code == 6
        and "wrong passphrase" in result.err
        and "Someone" not in result.err + result.out
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "add"], "Missing option '--type'"),
        (["nosuch"], "No such command"),
        (["cases", "add", "--bogus"], "No such option"),
    ],
)
def test_usage_errors_are_clear_without_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    result = run_cli(capsys, *args)
    assert result.code == 2 and message in result.err and _no_traceback(result.err)


def test_user_text_is_never_read_as_markup(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "Saydnaya")
    result = run_cli(
        capsys,
        "-w",
        ws,
        "events",
        "add",
        "--type",
        "torture",
        "--title",
        "x",
        "--place",
        "[bold]X[/bold]",
    )
    assert "'[bold]X[/bold]'" in result.err
