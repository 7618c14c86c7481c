"""The web commands: users set-password / totp enrol a user who can then sign in; serve exists."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest

from sijill.cli.web import _is_loopback
from sijill.services import cases, web_auth
from sijill.services.session import open_session
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace
from tests.clihelp import run_cli


@pytest.fixture
def backend() -> str:
    return "sqlite"


def test_set_password_and_totp_then_sign_in(
    capsys: pytest.CaptureFixture[str],
    workspace_and_key: tuple[Workspace, WorkspaceKey],
    tmp_path: Path,
) -> None:
    ws, key = workspace_and_key
    with open_session(ws, "admin", key=key) as s:
        cases.add_user(s, "nour", "investigator")
    secret_file = tmp_path / "pw.txt"
    secret_file.write_text("a long web password for nour\n")
    result = run_cli(
        capsys,
        "-w",
        str(ws.root),
        "users",
        "set-password",
        "nour",
        "--password-file",
        str(secret_file),
    )
    assert result.code == 0, result.err
    result = run_cli(capsys, "-w", str(ws.root), "users", "totp", "nour")
    assert result.code == 0, result.err
    secret = next(w for w in result.out.split() if len(w) == 32 and w.isalnum())
    signed_in = web_auth.login(
        ws, key, "nour", "a long web password for nour", pyotp.TOTP(secret).now()
    )
    assert signed_in.username == "nour"


def test_short_password_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
    workspace_and_key: tuple[Workspace, WorkspaceKey],
    tmp_path: Path,
) -> None:
    ws, _ = workspace_and_key
    short = tmp_path / "pw.txt"
    short.write_text("short")
    result = run_cli(
        capsys, "-w", str(ws.root), "users", "set-password", "admin", "--password-file", str(short)
    )
    assert result.code == 2 and "at least 12" in result.err and "Traceback" not in result.err


def test_serve_is_a_command_and_loopback_is_recognised(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "serve", "--help")
    assert result.code == 0 and "--host" in result.out and "--port" in result.out
    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.4")
