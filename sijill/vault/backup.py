"""Encrypted, integrity-checked backup of a workspace folder into one file, and its safe restore.

File layout: the chunked AES-256-GCM stream of `sijill.vault.file_crypto` with label ``backup``
(a key derived from the workspace key with HKDF and a fresh salt). Its clear but authenticated
header names the format version and the workspace id, so a backup of another workspace is
refused before decryption. The encrypted content is::

    manifest length (8 bytes, big-endian) | manifest JSON | tar of the folder

where the manifest lists every directory and every file with its size and SHA-256. File names
are inside the encryption: evidence file names can identify people too.

The caller must make the folder quiet first: checkpoint SQLite (``PRAGMA wal_checkpoint(TRUNCATE)``
and close connections, or use SQLite's backup API into the folder) so the database file is
complete and no WAL is half-written. A file that changes while it is being archived is detected
and the backup fails rather than silently holding a file that does not match its manifest.

Restoring needs the workspace key, and the keyring inside the backup cannot give it (it is
encrypted too). So keep a copy of the keyring file with the backups (it only opens with the
passphrase, slowed by Argon2id) or have the key shares ready; `read_backup_info` tells which
workspace a backup belongs to without any key.

`restore_workspace` decrypts and checks everything (key, workspace id, every chunk, every file
hash, no unexpected member) in a staging folder beside the target, and only then swaps the
restored folder into place. A backup is readable only with the workspace key it was made under:
after rotating the key, keep the old key (or its shares) as long as you keep older backups, or
destroy both together (see crypto-shredding in `sijill.vault.envelope`).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import struct
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from sijill.errors import InputError, IntegrityError, NotFoundError, WorkspaceError
from sijill.vault.audit_chain import canonical_json, utc_timestamp
from sijill.vault.file_crypto import (
    AtomicOutput,
    EncryptingWriter,
    iter_decrypted,
    read_stream_header,
)
from sijill.vault.keys import WorkspaceKey

BACKUP_FORMAT = "sijill-backup"
BACKUP_VERSION = 1
BACKUP_LABEL = "backup"
_LENGTH = struct.Struct(">Q")
_BLOCK = 1 << 20


@dataclass(frozen=True)
class BackupInfo:
    """What the clear header of a backup says; readable without the key, checked on restore."""

    workspace_id: str
    created: str
    version: int


@dataclass(frozen=True)
class BackupManifest:
    """The directories and files a backup holds, with each file's size and SHA-256."""

    directories: tuple[str, ...]
    files: dict[str, tuple[int, str]]

    def to_bytes(self) -> bytes:
        """Canonical JSON form stored inside the encryption."""
        files = {p: {"size": s, "sha256": h} for p, (s, h) in self.files.items()}
        return canonical_json({"directories": list(self.directories), "files": files})

    @classmethod
    def from_bytes(cls, data: bytes) -> BackupManifest:
        """Parse the stored form; IntegrityError if it is malformed."""
        try:
            doc = json.loads(data.decode("utf-8"))
            files = {str(p): (int(v["size"]), str(v["sha256"])) for p, v in doc["files"].items()}
            return cls(tuple(str(d) for d in doc["directories"]), files)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IntegrityError(f"the backup's manifest is malformed ({exc})") from None


def backup_workspace(
    folder: Path, destination: Path, key: WorkspaceKey, *, workspace_id: str
) -> BackupManifest:
    """Write an encrypted backup of `folder` to `destination` (atomically); return its manifest.

    Raises:
        NotFoundError: the folder does not exist.
        InputError: the folder holds something other than files and directories (a symlink),
            or the destination lies inside the folder.
        IntegrityError: a file changed while it was being backed up.
    """
    if not folder.is_dir():
        raise NotFoundError(f"no workspace folder at {folder}")
    if destination.resolve().is_relative_to(folder.resolve()):
        raise InputError("write the backup outside the workspace folder it backs up")
    manifest = _scan(folder)
    header = canonical_json(
        {
            "format": BACKUP_FORMAT,
            "version": BACKUP_VERSION,
            "workspace_id": workspace_id,
            "created": utc_timestamp(),
        }
    )
    body = manifest.to_bytes()
    with (
        AtomicOutput(destination) as out,
        EncryptingWriter(out, key, label=BACKUP_LABEL, associated=header) as writer,
    ):
        writer.write(_LENGTH.pack(len(body)) + body)
        sink = cast(BinaryIO, writer)  # tarfile only calls write() in stream mode
        with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for directory in manifest.directories:
                tar.addfile(_tar_info(folder, directory, tarfile.DIRTYPE))
            for relative, (size, digest) in manifest.files.items():
                info = _tar_info(folder, relative, tarfile.REGTYPE)
                info.size = size
                with (folder / relative).open("rb") as handle:
                    reader = _HashingReader(handle)
                    tar.addfile(info, reader)
                    unchanged = reader.hexdigest() == digest and reader.read_bytes == size
                if not unchanged:
                    raise IntegrityError(
                        f"{relative} changed while it was being backed up",
                        hint="stop every Sijill process using the workspace and back up again",
                    )
    return manifest


def read_backup_info(path: Path) -> BackupInfo:
    """Read a backup's clear header (workspace id, time, version) without the key."""
    with _open_backup(path) as handle:
        return _parse_info(read_stream_header(handle, what=f"backup {path.name}").associated)


def restore_workspace(
    backup: Path, target_dir: Path, key: WorkspaceKey, expected_workspace_id: str
) -> BackupManifest:
    """Verify a backup completely, then replace `target_dir` with its contents.

    Nothing under `target_dir` is touched unless the backup belongs to `expected_workspace_id`,
    decrypts with `key`, is complete, and every file matches the manifest.

    Raises:
        WorkspaceError: the backup belongs to another workspace.
        IntegrityError: wrong key, corrupted, truncated or altered backup.
    """
    what = f"backup {backup.name}"
    staging = target_dir.parent / f".{target_dir.name}.restore-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700, parents=True)
    try:
        payload = staging / "payload"
        with _open_backup(backup) as handle:
            header = read_stream_header(handle, what=what)
            info = _parse_info(header.associated)
            if info.workspace_id != expected_workspace_id:
                raise WorkspaceError(
                    f"{what} belongs to workspace {info.workspace_id}, not to this workspace "
                    f"({expected_workspace_id}); nothing was restored",
                    hint="restore it into a new workspace created with that backup's keyring",
                )
            with AtomicOutput(payload) as out:
                for chunk in iter_decrypted(
                    handle, key, label=BACKUP_LABEL, what=what, header=header
                ):
                    out.write(chunk)
        tree = staging / "tree"
        manifest = _extract_and_verify(payload, tree, what)
        payload.unlink()
        _swap_into_place(tree, target_dir)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _scan(folder: Path) -> BackupManifest:
    directories: list[str] = []
    files: dict[str, tuple[int, str]] = {}
    for root, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(root)
        for name in dirnames:
            path = base / name
            if path.is_symlink():
                raise InputError(f"{path} is a symbolic link; backups hold files and folders only")
            directories.append(path.relative_to(folder).as_posix())
        for name in sorted(filenames):
            path = base / name
            if path.is_symlink() or not path.is_file():
                raise InputError(f"{path} is not a regular file; backups hold files and folders")
            files[path.relative_to(folder).as_posix()] = _hash_file(path)
    return BackupManifest(tuple(directories), files)


def _hash_file(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _tar_info(folder: Path, relative: str, kind: bytes) -> tarfile.TarInfo:
    stat = (folder / relative).stat()
    info = tarfile.TarInfo(relative)
    info.type = kind
    info.mode = stat.st_mode & 0o700 if kind == tarfile.DIRTYPE else stat.st_mode & 0o600
    info.mtime = int(stat.st_mtime)
    return info


class _HashingReader:
    """Feeds tarfile while hashing, so a file changed after the scan is noticed."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        block = self._handle.read(size)
        self._digest.update(block)
        self.read_bytes += len(block)
        return block

    def hexdigest(self) -> str:
        # Count bytes tarfile did not ask for (a file that grew) so the size check sees them.
        while block := self._handle.read(_BLOCK):
            self.read_bytes += len(block)
            self._digest.update(block)
        return self._digest.hexdigest()


def _open_backup(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise NotFoundError(f"no backup file at {path}") from None


def _parse_info(associated: bytes) -> BackupInfo:
    try:
        doc: dict[str, Any] = json.loads(associated.decode("utf-8"))
        if doc.get("format") != BACKUP_FORMAT:
            raise ValueError("not a Sijill backup")
        if doc.get("version") != BACKUP_VERSION:
            raise ValueError(f"backup format {doc.get('version')!r}, this Sijill reads 1")
        return BackupInfo(str(doc["workspace_id"]), str(doc["created"]), int(doc["version"]))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IntegrityError(f"not a usable Sijill backup ({exc}); nothing was restored") from None


def _extract_and_verify(payload: Path, tree: Path, what: str) -> BackupManifest:
    tree.mkdir(mode=0o700)
    with payload.open("rb") as handle:
        (length,) = _LENGTH.unpack(handle.read(_LENGTH.size) or bytes(_LENGTH.size))
        manifest = BackupManifest.from_bytes(handle.read(length))
        expected = set(manifest.files) | set(manifest.directories)
        seen: set[str] = set()
        try:
            with tarfile.open(fileobj=handle, mode="r|") as tar:
                for member in tar:
                    if member.name not in expected or member.name in seen:
                        raise IntegrityError(f"{what} holds an unexpected entry {member.name!r}")
                    if not (member.isfile() or member.isdir()):
                        raise IntegrityError(f"{what} holds a non-file entry {member.name!r}")
                    seen.add(member.name)
                    tar.extract(member, tree, filter="data")
        except tarfile.TarError as exc:
            raise IntegrityError(f"{what} has a damaged archive ({exc})") from None
    if seen != expected:
        missing = sorted(expected - seen)[:5]
        raise IntegrityError(f"{what} is missing entries listed in its manifest: {missing}")
    for relative, (size, digest) in manifest.files.items():
        if _hash_file(tree / relative) != (size, digest):
            raise IntegrityError(f"{what}: {relative} does not match its recorded SHA-256")
    return manifest


def _swap_into_place(tree: Path, target_dir: Path) -> None:
    previous = target_dir.parent / f".{target_dir.name}.replaced-{secrets.token_hex(4)}"
    had_previous = target_dir.exists()
    if had_previous:
        os.replace(target_dir, previous)
    try:
        os.replace(tree, target_dir)
    except OSError:
        if had_previous:
            os.replace(previous, target_dir)
        raise
    if had_previous:
        shutil.rmtree(previous, ignore_errors=True)
