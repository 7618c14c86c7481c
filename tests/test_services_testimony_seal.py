"""Sealing a testimony kept in plain text: every version sealed, none unsealed, nothing left behind."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sijill.errors import InputError
from sijill.services import cases, sources, testimonies
from sijill.services.session import open_session
from sijill.store import audit
from sijill.store.schema import testimony_versions
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace

FIRST = "Zafirqa Canaryon saw the guard called Abu Wudhayf"
SECOND = "Zafirqa Canaryon, cell 4, saw the guard called Abu Wudhayf"


def _plain_testimony_with_two_versions(ws: Workspace, key: WorkspaceKey) -> str:
    with open_session(ws, "admin", key=key) as s:
        case = cases.create_case(s, "SAY", "Saydnaya 2011–2016")
        src = sources.add_source(s, case.id, "survivor")
        code = testimonies.add_testimony(s, src.code, transcript=FIRST, sensitive=False).code
        testimonies.edit_testimony(s, code, reason="follow-up", transcript=SECOND)
    return code


def test_sealing_seals_every_version_and_keeps_them_readable(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    code = _plain_testimony_with_two_versions(ws, key)
    with open_session(ws, "admin", key=key) as s:
        sealed = testimonies.edit_testimony(
            s, code, reason="the transcript names the witness", sensitive=True
        )
    assert sealed.current.version == 3 and sealed.current.sensitive
    with ws.engine.connect() as conn:
        stored = conn.execute(
            select(testimony_versions.c.transcript, testimony_versions.c.sensitive).order_by(
                testimony_versions.c.version
            )
        ).all()
        entries = audit.read_entries(conn)
    assert [(row.transcript, bool(row.sensitive)) for row in stored] == [("", True)] * 3
    seal = [e for e in entries if e.action == "testimony.seal"]
    assert len(seal) == 1 and seal[0].target == f"testimony:{code}"
    assert "Canaryon" not in repr(seal[0])
    with open_session(ws, "admin", key=key) as s:
        versions = testimonies.testimony_versions(s, code)
    assert [v.transcript for v in versions] == [FIRST, SECOND, SECOND]


def test_a_sealed_transcript_is_never_unsealed_by_an_edit(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    code = _plain_testimony_with_two_versions(ws, key)
    with open_session(ws, "admin", key=key) as s:
        testimonies.edit_testimony(s, code, reason="names the witness", sensitive=True)
    with open_session(ws, "admin", key=key) as s, pytest.raises(InputError, match="unseal"):
        testimonies.edit_testimony(s, code, reason="publish", sensitive=False)
    with open_session(ws, "admin", key=key) as s:
        again = testimonies.edit_testimony(s, code, reason="typo", summary="fixed", sensitive=True)
    assert again.current.version == 4 and again.current.sensitive


def test_no_plain_transcript_is_left_in_the_sqlite_files(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    if not ws.settings.is_sqlite:
        pytest.skip("checks the bytes of the SQLite database file")
    code = _plain_testimony_with_two_versions(ws, key)
    with open_session(ws, "admin", key=key) as s:
        testimonies.edit_testimony(s, code, reason="names the witness", sensitive=True)
    ws.close()
    files = [p for p in ws.root.rglob("*") if p.is_file() and "sijill.db" in p.name]
    assert files
    leaked = [p.name for p in files if b"Canaryon" in p.read_bytes()]
    assert leaked == []


def test_the_cli_seals_and_refuses_to_unseal(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.clihelp import run_cli

    ws = str(workspace.root)
    assert run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "t").code == 0
    assert run_cli(capsys, "-w", ws, "sources", "add", "--kind", "survivor").code == 0
    added = run_cli(
        capsys, "-w", ws, "testimonies", "add", "--source", "W-001", "--transcript", FIRST,
        "--not-sensitive",
    )  # fmt: skip
    assert added.code == 0
    sealed = run_cli(
        capsys, "-w", ws, "testimonies", "edit", "T-001", "--reason", "names", "--sensitive"
    )
    assert sealed.code == 0 and "version 2" in sealed.out
    refused = run_cli(
        capsys, "-w", ws, "testimonies", "edit", "T-001", "--reason", "x", "--not-sensitive"
    )
    assert refused.code != 0 and "unseal" in refused.err and "Canaryon" not in refused.err
    shown = run_cli(capsys, "-w", ws, "testimonies", "show", "T-001", "--version", "1", "--json")
    assert FIRST in shown.out
