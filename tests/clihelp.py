"""Run the CLI in-process, as a user would, and capture what it prints."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sijill.cli import main


@dataclass
class CliResult:
    """Exit code and captured output of one command."""

    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> CliResult:
    """Run `sijill ARGS` and return its exit code, stdout and stderr."""
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)
