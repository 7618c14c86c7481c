"""Use cases for evidence: add (hash, store original, log custody), verify, custody log."""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import shutil
from dataclasses import dataclass
from pathlib import Path

from sijill.domain.evidence import CustodyEntry, EvidenceItem
from sijill.errors import InputError, IntegrityError, NotFoundError
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import evidence as store
from sijill.vault.file_crypto import EVIDENCE_LABEL, decrypt_file, encrypt_file, iter_decrypted


@dataclass(frozen=True)
class VerificationProblem:
    """An original whose bytes no longer match its recorded hash (or that is missing)."""

    code: str
    original_name: str
    path: Path
    problem: str


def add_evidence(
    s: Session,
    case_id: int,
    file: Path,
    *,
    description: str = "",
    sensitive: bool = False,
    reason: str = "collected",
) -> EvidenceItem:
    """Hash a file, keep it as a read-only original, and open its custody log."""
    s.require(Permission.WRITE_CASE, case_id)
    if not file.is_file():
        raise NotFoundError(f"no file {file}", hint="give the path of an existing file")
    digest = store.sha256_file(file)
    existing = store.find_by_hash(s.conn, digest)
    if existing is not None:
        raise InputError(
            f"{file.name} is already evidence item {existing.code} (same SHA-256)",
            hint="nothing was added; log a new custody step on the existing item instead",
        )
    media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    item = store.add_item(
        s.conn, case_id, digest, file.name, file.stat().st_size, media_type, sensitive, description
    )
    # An item that identifies a witness is kept encrypted under the workspace key.
    encrypt = functools.partial(encrypt_file, key=s.key) if sensitive else None
    store.store_original(s.workspace.settings.evidence_dir, file, digest, encrypt=encrypt)
    store.log_custody(s.conn, item.id, s.actor.username, "acquired", reason)
    store.log_custody(s.conn, item.id, "sijill", "hashed", f"SHA-256 {digest}")
    s.audit("evidence.add", f"evidence:{item.code}", sha256=digest)
    return item


def list_evidence(s: Session, case_id: int) -> list[EvidenceItem]:
    """A case's evidence items."""
    s.require(Permission.READ_CASE, case_id)
    return store.list_items(s.conn, case_id)


def custody_log(s: Session, item: str | int) -> list[CustodyEntry]:
    """An item's chain of custody."""
    found = store.get_item(s.conn, item)
    s.require(Permission.READ_CASE, found.case_id, f"evidence:{found.code}")
    return store.custody_log(s.conn, found.id)


def log_custody(s: Session, item: str | int, action: str, reason: str) -> None:
    """Record a custody step (copied, sent, examined, …) with who and why."""
    found = store.get_item(s.conn, item)
    s.require(Permission.WRITE_CASE, found.case_id, f"evidence:{found.code}")
    if not action.strip() or not reason.strip():
        raise InputError("a custody step needs an action and a reason")
    store.log_custody(s.conn, found.id, s.actor.username, action.strip(), reason.strip())
    s.audit("evidence.custody", f"evidence:{found.code}", step=action)


def original_file(s: Session, item: EvidenceItem) -> Path:
    """Where an item's original lives in the workspace (encrypted when the item is sensitive)."""
    return store.original_path(
        s.workspace.settings.evidence_dir, item.sha256, encrypted=item.sensitive
    )


def original_sha256(s: Session, item: EvidenceItem) -> str:
    """SHA-256 of the original's content (decrypting a sensitive item on the fly)."""
    path = original_file(s, item)
    if not item.sensitive:
        return store.sha256_file(path)
    digest = hashlib.sha256()
    with path.open("rb") as src:
        for chunk in iter_decrypted(src, s.key, label=EVIDENCE_LABEL, what=f"evidence {item.code}"):
            digest.update(chunk)
    return digest.hexdigest()


def copy_original(s: Session, item: EvidenceItem, target: Path) -> None:
    """Write the original's content to `target` (decrypted when sensitive; verified either way)."""
    path = original_file(s, item)
    if item.sensitive:
        decrypt_file(path, target, s.key)
    else:
        shutil.copyfile(path, target)


def verify_evidence(s: Session) -> tuple[int, list[VerificationProblem]]:
    """Re-hash every original the actor may read; return (checked, problems)."""
    problems: list[VerificationProblem] = []
    checked = 0
    for item in store.list_items(s.conn):
        if not s.can(Permission.READ_CASE, item.case_id):
            continue
        path = original_file(s, item)
        checked += 1
        if not path.is_file():
            problems.append(VerificationProblem(item.code, item.original_name, path, "missing"))
            continue
        try:
            actual = original_sha256(s, item)
        except IntegrityError as exc:  # an encrypted original that no longer decrypts
            problems.append(VerificationProblem(item.code, item.original_name, path, exc.message))
            continue
        if actual != item.sha256:
            problems.append(
                VerificationProblem(
                    item.code, item.original_name, path, f"hash changed to {actual}"
                )
            )
    s.audit("evidence.verify", "", checked=checked, problems=len(problems))
    return checked, problems
