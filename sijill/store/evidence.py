"""Evidence files: originals stored content-addressed and read-only, plus the custody log."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select

from sijill.domain.evidence import CustodyEntry, EvidenceItem
from sijill.errors import NotFoundError
from sijill.store.codes import allocate_code
from sijill.store.rows import insert_id
from sijill.store.schema import custody_entries, evidence_items

CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


#: Suffix of originals kept encrypted (items marked sensitive): the vault's chunked AES-GCM format.
ENCRYPTED_SUFFIX = ".sjlf"


def original_path(originals: Path, sha256: str, *, encrypted: bool = False) -> Path:
    """Where an original with this (plaintext) hash lives: originals/ab/cdef… (content-addressed)."""
    return originals / sha256[:2] / (sha256 + (ENCRYPTED_SUFFIX if encrypted else ""))


def store_original(
    originals: Path,
    source: Path,
    sha256: str,
    *,
    encrypt: Callable[[Path, Path], None] | None = None,
) -> Path:
    """Copy a file in as a read-only original, encrypted by `encrypt(src, dst)` when given."""
    target = original_path(originals, sha256, encrypted=encrypt is not None)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    if encrypt is None:
        shutil.copyfile(source, tmp)
    else:
        encrypt(source, tmp)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    tmp.chmod(stat.S_IRUSR | stat.S_IRGRP)
    tmp.replace(target)
    return target


def _item(row: Any) -> EvidenceItem:
    return EvidenceItem(
        row.id,
        row.case_id,
        row.code,
        row.sha256,
        row.original_name,
        row.size,
        row.media_type,
        row.added_at,
        bool(row.sensitive),
        row.description,
    )


def add_item(
    conn: Connection,
    case_id: int,
    sha256: str,
    original_name: str,
    size: int,
    media_type: str,
    sensitive: bool,
    description: str,
) -> EvidenceItem:
    """Insert an evidence item's record."""
    code = allocate_code(conn, "EV", evidence_items.c.code)
    eid = insert_id(
        conn,
        insert(evidence_items).values(
            case_id=case_id,
            code=code,
            sha256=sha256,
            original_name=original_name,
            size=size,
            media_type=media_type,
            sensitive=sensitive,
            description=description,
            added_at=datetime.now(UTC),
        ),
    )
    return get_item(conn, int(eid))


def find_by_hash(conn: Connection, sha256: str) -> EvidenceItem | None:
    """The item with this content, if any."""
    row = conn.execute(select(evidence_items).where(evidence_items.c.sha256 == sha256)).first()
    return _item(row) if row else None


def get_item(conn: Connection, item: int | str) -> EvidenceItem:
    """An item by id or code."""
    cond = evidence_items.c.id == item if isinstance(item, int) else evidence_items.c.code == item
    row = conn.execute(select(evidence_items).where(cond)).first()
    if row is None:
        raise NotFoundError(f"no evidence item {item!r}", hint="`sijill evidence list` shows them")
    return _item(row)


def list_items(conn: Connection, case_id: int | None = None) -> list[EvidenceItem]:
    """Items by code."""
    query = select(evidence_items).order_by(evidence_items.c.id)
    if case_id is not None:
        query = query.where(evidence_items.c.case_id == case_id)
    return [_item(r) for r in conn.execute(query)]


def log_custody(
    conn: Connection, evidence_id: int, actor: str, action: str, reason: str = ""
) -> None:
    """Append a custody step (UTC time)."""
    conn.execute(
        insert(custody_entries).values(
            evidence_id=evidence_id, at=datetime.now(UTC), actor=actor, action=action, reason=reason
        )
    )


def custody_log(conn: Connection, evidence_id: int) -> list[CustodyEntry]:
    """An item's custody log, oldest first."""
    rows = conn.execute(
        select(custody_entries)
        .where(custody_entries.c.evidence_id == evidence_id)
        .order_by(custody_entries.c.id)
    )
    return [CustodyEntry(r.id, r.evidence_id, r.at, r.actor, r.action, r.reason) for r in rows]
