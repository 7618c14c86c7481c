"""The README cannot drift: its two set-up commands are the Makefile's, CI runs the test one,
and every top-level command is mentioned."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def _setup_commands() -> list[str]:
    section = README.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^    (\S.*)$", section, flags=re.M)


def test_readme_gives_exactly_two_setup_commands_and_the_makefile_has_them() -> None:
    commands = _setup_commands()
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for command in commands:
        target = command.split()[1]
        assert re.search(rf"^{target}:", makefile, flags=re.M), f"Makefile lacks target {target}"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert re.search(r"^make test$", ci, flags=re.M)


def test_the_makefile_targets_install_what_they_need() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in ("demo", "test"):
        line = re.search(rf"^{target}:(.*)$", makefile, flags=re.M)
        assert line and "$(STAMP)" in line.group(1), f"{target} must depend on the virtualenv"
    assert "pip install" in makefile and "-m venv" in makefile


def test_every_top_level_command_is_documented() -> None:
    from typer.main import get_command

    from sijill.cli import app

    group = get_command(app)
    names = set(group.commands)  # type: ignore[attr-defined]
    missing = sorted(n for n in names if f"sijill {n}" not in README and f"`{n}`" not in README)
    assert not missing, f"README does not mention: {missing}"
