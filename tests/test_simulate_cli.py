"""The `simulate` command: writes the files and a summary, and reports bad options clearly."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from sijill.cli.simulate import register
from sijill.errors import InputError


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def root() -> None:
        """Test root, so `simulate` stays a subcommand."""

    return app


def test_simulate_writes_files_and_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    args = ["simulate", "--people", "300", "--lists", "3", "--seed", "1", "--preset", "hard"]
    result = CliRunner().invoke(_app(), [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "True N: 300" in result.output
    assert {p.name for p in out.iterdir()} >= {
        "A.csv",
        "B.csv",
        "C.csv",
        "truth.csv",
        "config.json",
    }
    again = CliRunner().invoke(
        _app(), ["simulate", "--config", str(out / "config.json"), "--out", str(tmp_path / "again")]
    )
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again" / "truth.csv").read_bytes() == (out / "truth.csv").read_bytes()


def test_bad_options_raise_input_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["simulate", "--preset", "medium", "--out", str(tmp_path)])
    assert isinstance(result.exception, InputError)
    assert "unknown preset" in str(result.exception)


def test_the_sijill_app_has_the_simulate_command() -> None:
    from typer.main import get_command

    from sijill.cli import app

    assert "simulate" in get_command(app).commands  # type: ignore[attr-defined]
