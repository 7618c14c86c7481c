"""Tests for encrypted workspace backups: round trip, refusal of corrupted or foreign backups."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sijill.errors import InputError, IntegrityError, NotFoundError, WorkspaceError
from sijill.vault.backup import backup_workspace, read_backup_info, restore_workspace
from sijill.vault.envelope import FieldCipher
from sijill.vault.keys import WorkspaceKey

WORKSPACE_ID = "ws-7f3a"
CANARIES = ["Canary-Witness-Latifa-0917", "شاهد الكناري لطيفة"]


def _make_workspace(root: Path) -> Path:
    folder = root / "workspace"
    (folder / "evidence" / "sub").mkdir(parents=True)
    (folder / "empty").mkdir()
    (folder / "sijill.db").write_bytes(os.urandom(50_000) + b"\x00" * 30_000)
    (folder / "evidence" / "photo.jpg").write_bytes(bytes(range(256)) * 300)
    (folder / "evidence" / "sub" / "notes.txt").write_text(" ".join(CANARIES), encoding="utf-8")
    (folder / "keyring.json").write_text('{"format": "sijill-keyring"}')
    (folder / "evidence" / "شهادة_لطيفة.txt").write_bytes(b"statement")
    return folder


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def test_round_trip_restores_every_file_and_folder(tmp_path: Path) -> None:
    key = WorkspaceKey.generate()
    folder = _make_workspace(tmp_path)
    backup = tmp_path / "ws.sjb"
    manifest = backup_workspace(folder, backup, key, workspace_id=WORKSPACE_ID)
    assert "evidence/sub/notes.txt" in manifest.files and "empty" in manifest.directories
    info = read_backup_info(backup)
    assert info.workspace_id == WORKSPACE_ID and info.version == 1
    data = backup.read_bytes()
    for canary in CANARIES:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert canary.encode(encoding) not in data
    # file names are encrypted too
    assert b"notes.txt" not in data and "شهادة_لطيفة".encode() not in data
    target = tmp_path / "restored"
    restore_workspace(backup, target, key, WORKSPACE_ID)
    assert _snapshot(target) == _snapshot(folder)
    # restoring over an existing folder replaces it entirely
    (target / "stray.txt").write_text("left over")
    restore_workspace(backup, target, key, WORKSPACE_ID)
    assert _snapshot(target) == _snapshot(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["restored", "workspace", "ws.sjb"]


def test_encrypted_fields_survive_backup_and_restore(tmp_path: Path) -> None:
    key = WorkspaceKey.generate()
    cipher = FieldCipher(key)
    wrapped, record = cipher.new_record("sources", 1)
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "row.bin").write_bytes(wrapped + record.encrypt("name_ar", CANARIES[1]))
    backup_workspace(folder, tmp_path / "b.sjb", key, workspace_id=WORKSPACE_ID)
    restore_workspace(tmp_path / "b.sjb", tmp_path / "back", key, WORKSPACE_ID)
    blob = (tmp_path / "back" / "row.bin").read_bytes()
    reopened = cipher.open_record("sources", 1, blob[: len(wrapped)])
    assert reopened.decrypt("name_ar", blob[len(wrapped) :]) == CANARIES[1]


def test_corrupted_truncated_or_wrong_key_backup_is_refused_untouched(tmp_path: Path) -> None:
    key = WorkspaceKey.generate()
    folder = _make_workspace(tmp_path)
    backup = tmp_path / "ws.sjb"
    backup_workspace(folder, backup, key, workspace_id=WORKSPACE_ID)
    original = backup.read_bytes()
    target = tmp_path / "live"
    target.mkdir()
    (target / "current.db").write_text("the live workspace")
    before = _snapshot(target)
    damaged = tmp_path / "damaged.sjb"
    cases = [
        original[:-1],
        original[: len(original) // 2],
        original[:200],
        original + b"\x00",
        b"",
    ]
    for position in (60, 1000, len(original) // 2, len(original) - 5):
        flipped = bytearray(original)
        flipped[position] ^= 0x10
        cases.append(bytes(flipped))
    for bad in cases:
        damaged.write_bytes(bad)
        with pytest.raises(IntegrityError):
            restore_workspace(damaged, target, key, WORKSPACE_ID)
        assert _snapshot(target) == before
    with pytest.raises(IntegrityError, match="workspace key"):
        restore_workspace(backup, target, WorkspaceKey.generate(), WORKSPACE_ID)
    assert _snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "damaged.sjb",
        "live",
        "workspace",
        "ws.sjb",
    ]


def test_foreign_backup_is_refused_even_with_matching_key(tmp_path: Path) -> None:
    key = WorkspaceKey.generate()
    folder = _make_workspace(tmp_path)
    backup = tmp_path / "other.sjb"
    backup_workspace(folder, backup, key, workspace_id="ws-other")
    target = tmp_path / "live"
    target.mkdir()
    with pytest.raises(WorkspaceError, match="ws-other"):
        restore_workspace(backup, target, key, WORKSPACE_ID)
    # editing the clear workspace id in the header is caught by authentication
    forged = tmp_path / "forged.sjb"
    forged.write_bytes(backup.read_bytes().replace(b"ws-other", b"ws-mine!"))
    assert read_backup_info(forged).workspace_id == "ws-mine!"
    with pytest.raises(IntegrityError):
        restore_workspace(forged, target, key, "ws-mine!")
    assert list(target.iterdir()) == []


def test_backup_refuses_bad_inputs(tmp_path: Path) -> None:
    key = WorkspaceKey.generate()
    folder = _make_workspace(tmp_path)
    with pytest.raises(InputError, match="outside"):
        backup_workspace(folder, folder / "self.sjb", key, workspace_id=WORKSPACE_ID)
    with pytest.raises(NotFoundError):
        backup_workspace(tmp_path / "missing", tmp_path / "x.sjb", key, workspace_id="w")
    (folder / "link").symlink_to(folder / "sijill.db")
    with pytest.raises(InputError, match="not a regular file"):
        backup_workspace(folder, tmp_path / "x.sjb", key, workspace_id=WORKSPACE_ID)
    assert not (tmp_path / "x.sjb").exists()
    with pytest.raises(NotFoundError):
        read_backup_info(tmp_path / "nope.sjb")
