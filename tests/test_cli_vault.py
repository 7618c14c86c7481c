"""Witness protection through the normal commands: canaries never leak; audit, keys, consent, backup."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from sijill.workspace import Workspace
from tests.clihelp import run_cli
from tests.conftest import TEST_PASSPHRASE

GIVEN_AR = ["زهير", "نزار", "غسان", "وضاح", "مهند", "شادي", "عمار", "قصي", "لؤي", "رضوان"]
FAMILY_AR = ["الطرابيشي", "القباني", "الشهابي", "الموصلي", "الزعبي"]
GIVEN_LAT = [
    "Zuhair",
    "Nizar",
    "Ghassan",
    "Waddah",
    "Muhannad",
    "Shadi",
    "Ammar",
    "Qusay",
    "Louay",
    "Radwan",
]
FAMILY_LAT = ["Tarabishi", "Qabbani", "Shehabi", "Mousalli", "Zoubi"]


def _canaries() -> list[tuple[str, str]]:
    """50 distinctive synthetic names, each in Arabic and Latin script."""
    return [
        (f"{g} {f}", f"{gl} Xq{f2}{n}")
        for n, ((g, gl), (f, f2)) in enumerate(
            (a, b)
            for a in zip(GIVEN_AR, GIVEN_LAT, strict=True)
            for b in zip(FAMILY_AR, FAMILY_LAT, strict=True)
        )
    ]


def _forms(text: str) -> list[bytes]:
    out = []
    for variant in {
        text,
        unicodedata.normalize("NFD", text),
        unicodedata.normalize("NFKC", text),
        text.casefold(),
    }:
        out += [variant.encode("utf-8"), variant.encode("utf-16-le"), variant.encode("utf-16-be")]
    return out


def _scan(paths: list[Path], needles: list[str]) -> list[tuple[str, str]]:
    hits = []
    blobs = []
    for root in paths:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        blobs += [(str(f), f.read_bytes()) for f in files]
    for needle in needles:
        for form in _forms(needle):
            hits += [(needle, name) for name, blob in blobs if form in blob]
    return hits


def test_canary_names_never_appear_anywhere(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(workspace.root)
    if not workspace.settings.is_sqlite:
        pytest.skip("the file scan covers the embedded SQLite workspace")
    outputs = []

    def cli(*args: str) -> str:
        result = run_cli(capsys, "-w", ws, *args)
        outputs.append(result.out + result.err)
        return result.out

    cli("cases", "add", "--code", "SAY", "--title", "Canary case")
    cli("users", "add", "sami", "--role", "analyst", "--case", "SAY")
    names = _canaries()
    for n, (ar, lat) in enumerate(names):
        cli(
            "sources",
            "add",
            "--kind",
            "survivor",
            "--name-ar",
            ar,
            "--name-latin",
            lat,
            "--phone",
            f"+963-{n:04d}",
        )
        code = f"W-{n + 1:03d}"
        for scope in ("coi", "iiim", "public"):
            cli("sources", "consent", code, "--scope", scope)
        cli(
            "testimonies",
            "add",
            "--source",
            code,
            "--summary",
            "detention account",
            "--date",
            "2016",
        )
    cli("sources", "update", "W-001", "--name-latin", names[0][1] + " Jr")
    for code in ("W-002", "W-003", "W-004"):
        cli("sources", "delete", code, "--yes")
    cli("testimonies", "edit", "T-002", "--reason", "follow-up", "--summary", "corrected")
    assert (
        run_cli(
            capsys, "-w", ws, "--user", "sami", "sources", "show", "W-005", "--with-identity"
        ).code
        == 5
    )
    cli(
        "events", "add", "--type", "torture", "--title", "x", "--date", "31/02/2013"
    )  # provoked error
    cli("backup", "--out", str(tmp_path / "backup.sjb"))
    for scope in ("coi", "iiim", "public", "named"):
        cli("export", "--for", scope, "--out", str(tmp_path / f"export-{scope}"))
    cli("audit", "list", "--json")
    cli("sources", "list", "--json")
    (tmp_path / "outputs.txt").write_text("\n".join(outputs), "utf-8")

    needles = [part for ar, lat in names for part in (ar, lat, lat.split()[-1])] + [
        names[0][1] + " Jr"
    ]
    hits = _scan(
        [workspace.root, tmp_path / "backup.sjb", tmp_path / "outputs.txt"]
        + [tmp_path / f"export-{s}" for s in ("coi", "iiim", "public", "named")],
        needles,
    )
    assert hits == []
    shown = run_cli(capsys, "-w", ws, "sources", "show", "W-005", "--with-identity", "--json")
    assert (
        json.loads(shown.out)["identity"]["name_ar"] == names[4][0]
    )  # still readable by the cleared user


def test_audit_detects_tampering_and_truncation(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(workspace.root)
    for n in range(5):
        run_cli(capsys, "-w", ws, "cases", "add", "--code", f"C{n}", "--title", f"case {n}")
    assert run_cli(capsys, "-w", ws, "audit", "verify").code == 0
    head = tmp_path / "head.json"
    assert run_cli(capsys, "-w", ws, "audit", "export-head", "--out", str(head)).code == 0
    assert run_cli(capsys, "-w", ws, "audit", "verify", "--head", str(head)).code == 0
    from sqlalchemy import text

    with workspace.engine.begin() as conn:
        original = conn.execute(text("SELECT target FROM audit_log WHERE seq = 3")).scalar()
        conn.execute(text("UPDATE audit_log SET target = 'case:EVIL' WHERE seq = 3"))
    bad = run_cli(capsys, "-w", ws, "audit", "verify")
    assert bad.code == 7 and "seq 3" in bad.err
    with workspace.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET target = :t WHERE seq = 3"), {"t": original})
        conn.execute(
            text("DELETE FROM audit_log WHERE seq >= (SELECT MAX(seq) - 1 FROM audit_log)")
        )
    assert (
        run_cli(capsys, "-w", ws, "audit", "verify").code == 0
    )  # a clean cut is only caught by a head
    truncated = run_cli(capsys, "-w", ws, "audit", "verify", "--head", str(head))
    assert truncated.code == 7 and "removed" in truncated.err


def test_rotation_keeps_identities_readable_and_shares_recover(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "t")
    run_cli(capsys, "-w", ws, "sources", "add", "--kind", "family", "--name-latin", "Rotated Name")
    shares = run_cli(
        capsys, "-w", ws, "keys", "split", "--shares", "3", "--threshold", "2"
    ).out.split()
    assert len(shares) == 3
    from sqlalchemy import select

    from sijill.services import web_auth
    from sijill.services.session import open_session
    from sijill.store.schema import users
    from sijill.workspace import open_workspace

    with open_session(workspace, "admin", key=workspace.unlock(TEST_PASSPHRASE)) as s:
        secret = web_auth.enrol_totp(s, "admin").secret
    assert run_cli(capsys, "-w", ws, "keys", "rotate").code == 0
    listed = json.loads(
        run_cli(capsys, "-w", ws, "sources", "list", "--with-identity", "--json").out
    )
    assert listed[0]["identity"]["name_latin"] == "Rotated Name"
    fresh = open_workspace(ws)
    new_key = fresh.unlock(TEST_PASSPHRASE)
    with fresh.engine.connect() as conn:
        query = select(users.c.id, users.c.totp_secret).where(users.c.username == "admin")
        uid, sealed = conn.execute(query).one()
    assert web_auth.open_totp_secret(new_key, uid, bytes(sealed)) == secret  # sign-in survives
    fresh.close()
    old = run_cli(capsys, "-w", ws, "keys", "recover", "--share", shares[0], "--share", shares[1])
    assert old.code != 0 and "does not belong" in old.err  # shares of the rotated-out key
    fresh = run_cli(
        capsys, "-w", ws, "keys", "split", "--shares", "3", "--threshold", "2"
    ).out.split()
    one = run_cli(capsys, "-w", ws, "keys", "recover", "--share", fresh[2])
    assert one.code != 0
    monkeypatch.setenv("SIJILL_PASSPHRASE", "a brand new passphrase")
    assert (
        run_cli(capsys, "-w", ws, "keys", "recover", "--share", fresh[0], "--share", fresh[2]).code
        == 0
    )
    listed = json.loads(
        run_cli(capsys, "-w", ws, "sources", "list", "--with-identity", "--json").out
    )
    assert listed[0]["identity"]["name_latin"] == "Rotated Name"


def test_export_holds_exactly_the_consented_testimonies(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "t")
    consents = {1: ["coi", "iiim"], 2: ["public"], 3: ["coi", "named"], 4: []}
    for n, scopes in consents.items():
        run_cli(
            capsys,
            "-w",
            ws,
            "sources",
            "add",
            "--kind",
            "survivor",
            "--name-latin",
            f"Person Number{n}",
        )
        for scope in scopes:
            run_cli(capsys, "-w", ws, "sources", "consent", f"W-00{n}", "--scope", scope)
        run_cli(
            capsys,
            "-w",
            ws,
            "testimonies",
            "add",
            "--source",
            f"W-00{n}",
            "--summary",
            f"account {n}",
        )
    run_cli(capsys, "-w", ws, "sources", "consent", "W-001", "--scope", "iiim", "--withdraw")
    expected = {"coi": {"T-001", "T-003"}, "iiim": set(), "public": {"T-002"}, "named": {"T-003"}}
    for scope, codes in expected.items():
        out = tmp_path / scope
        assert run_cli(capsys, "-w", ws, "export", "--for", scope, "--out", str(out)).code == 0
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        assert set(manifest["included_testimonies"]) == codes
        exported = json.loads((out / "testimonies.json").read_text("utf-8"))
        assert {t["code"] for t in exported} == codes
        assert sum(manifest["withheld"].values()) == 4 - len(codes)
        text = (out / "testimonies.json").read_text("utf-8")
        assert ("Person Number3" in text) == (
            scope in ("coi", "named")
        )  # named only with 'named' consent
        assert "Person Number1" not in text and "Person Number2" not in text
    iiim = json.loads((tmp_path / "iiim" / "manifest.json").read_text("utf-8"))
    assert iiim["withheld"].get("consent withdrawn") == 1


def test_backup_round_trip_and_refusals(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not workspace.settings.is_sqlite:
        pytest.skip("backup covers SQLite workspaces")
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "before")
    backup = tmp_path / "b.sjb"
    assert run_cli(capsys, "-w", ws, "backup", "--out", str(backup)).code == 0
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "LATER", "--title", "after")
    corrupt = tmp_path / "corrupt.sjb"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupt.write_bytes(bytes(data))
    refused = run_cli(capsys, "-w", ws, "restore", str(corrupt), "--yes")
    assert refused.code != 0
    cases = json.loads(run_cli(capsys, "-w", ws, "cases", "list", "--json").out)
    assert {c["code"] for c in cases} == {"SAY", "LATER"}  # nothing touched
    assert run_cli(capsys, "-w", ws, "restore", str(backup), "--yes").code == 0
    cases = json.loads(run_cli(capsys, "-w", ws, "cases", "list", "--json").out)
    assert {c["code"] for c in cases} == {"SAY"}


def test_a_ciphertext_moved_to_another_source_fails_naming_the_record(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "t")
    run_cli(
        capsys, "-w", ws, "sources", "add", "--kind", "survivor", "--name-latin", "First Person"
    )
    run_cli(
        capsys, "-w", ws, "sources", "add", "--kind", "survivor", "--name-latin", "Second Person"
    )
    from sqlalchemy import text

    with workspace.engine.begin() as conn:
        token = conn.execute(
            text("SELECT sealed FROM source_identity_fields WHERE source_id = 1")
        ).scalar()
        conn.execute(
            text("UPDATE source_identity_fields SET sealed = :t WHERE source_id = 2"), {"t": token}
        )
    result = run_cli(capsys, "-w", ws, "sources", "show", "W-002", "--with-identity")
    assert result.code == 7 and "First Person" not in result.out + result.err


def test_unlock_agent_then_lock(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "t")
    assert run_cli(capsys, "-w", ws, "unlock", "--timeout", "60").code == 0
    try:
        monkeypatch.delenv("SIJILL_PASSPHRASE")
        assert (
            run_cli(
                capsys,
                "-w",
                ws,
                "sources",
                "add",
                "--kind",
                "survivor",
                "--name-latin",
                "Agent Test",
            ).code
            == 0
        )
    finally:
        assert run_cli(capsys, "-w", ws, "lock").code == 0
    locked = run_cli(
        capsys, "-w", ws, "sources", "add", "--kind", "survivor", "--name-latin", "Again"
    )
    assert locked.code == 6 and "passphrase" in locked.err


def test_a_key_file_unlocks_without_the_passphrase(
    workspace: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ws = str(workspace.root)
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "t")
    run_cli(
        capsys, "-w", ws, "sources", "add", "--kind", "survivor", "--name-latin", "Keyfile Person"
    )
    key_file = tmp_path / "usb" / "sijill.key"
    key_file.parent.mkdir()
    assert (
        run_cli(
            capsys, "-w", ws, "keys", "add-key-file", "--out", str(key_file), "--label", "usb-1"
        ).code
        == 0
    )
    assert "Keyfile" not in key_file.read_text("ascii")
    monkeypatch.delenv("SIJILL_PASSPHRASE")
    shown = run_cli(
        capsys,
        "-w",
        ws,
        "--key-file",
        str(key_file),
        "sources",
        "show",
        "W-001",
        "--with-identity",
        "--json",
    )
    assert shown.code == 0 and json.loads(shown.out)["identity"]["name_latin"] == "Keyfile Person"
    other = tmp_path / "other.key"
    from sijill.vault.keys import write_key_file

    write_key_file(other)
    wrong = run_cli(
        capsys, "-w", ws, "--key-file", str(other), "sources", "show", "W-001", "--with-identity"
    )
    assert wrong.code == 6 and "does not unlock" in wrong.err
    again = run_cli(
        capsys,
        "-w",
        ws,
        "keys",
        "add-key-file",
        "--out",
        str(key_file),
        "--label",
        "usb-2",
        "--key-file",
        str(key_file),
    )
    assert again.code != 0  # never overwrites an existing key file


def test_a_sensitive_transcript_is_sealed_at_rest_and_read_by_cleared_users(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(workspace.root)
    canary = "Transcript Zqxvbn: I was held with my cousin from Daraya"
    run_cli(capsys, "-w", ws, "cases", "add", "--code", "SAY", "--title", "t")
    run_cli(capsys, "-w", ws, "sources", "add", "--kind", "survivor")
    run_cli(capsys, "-w", ws, "sources", "consent", "W-001", "--scope", "coi")
    added = run_cli(
        capsys,
        "-w",
        ws,
        "testimonies",
        "add",
        "--source",
        "W-001",
        "--summary",
        "detention",
        "--transcript",
        canary,
        "--sensitive",
    )
    assert added.code == 0, added.err
    run_cli(
        capsys,
        "-w",
        ws,
        "testimonies",
        "edit",
        "T-001",
        "--reason",
        "follow-up",
        "--summary",
        "detention, 2013",
    )
    if workspace.settings.is_sqlite:
        files = b"".join(p.read_bytes() for p in workspace.root.rglob("*") if p.is_file())
        assert b"Zqxvbn" not in files and "Zqxvbn".encode("utf-16-le") not in files
    shown = json.loads(run_cli(capsys, "-w", ws, "testimonies", "show", "T-001", "--json").out)
    assert shown["versions"] == 2 and shown["content"]["transcript"] == canary  # carried into v2
    first = json.loads(
        run_cli(capsys, "-w", ws, "testimonies", "show", "T-001", "--version", "1", "--json").out
    )
    assert first["content"]["transcript"] == canary
    assert (
        run_cli(capsys, "-w", ws, "export", "--for", "coi", "--out", str(tmp_path / "coi")).code
        == 0
    )
    assert canary in (tmp_path / "coi" / "testimonies.json").read_text("utf-8")  # consent covers it
    assert run_cli(capsys, "-w", ws, "sources", "delete", "W-001", "--yes").code == 0
    from sqlalchemy import func, select

    from sijill.store.schema import data_keys

    with workspace.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(data_keys)).scalar() == 0  # shredded
