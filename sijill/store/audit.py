"""The audit log table: append hash-chained entries; read them back for verification."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from sijill.store.schema import audit_log

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """One audit entry as stored."""

    seq: int
    at: str
    actor: str
    action: str
    target: str
    details: str
    prev_hash: str
    hash: str

    def canonical(self) -> bytes:
        """The bytes its hash covers: every field but the hash itself."""
        body = [
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.target,
            self.details,
            self.prev_hash,
        ]
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def computed_hash(self) -> str:
        """SHA-256 of the canonical bytes."""
        return hashlib.sha256(self.canonical()).hexdigest()


def _lock(conn: Connection) -> None:
    """Serialise appends so the chain stays linear under concurrent writers."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7311)"))


def append_entry(
    conn: Connection,
    actor: str,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry chained to the last; callers must never put protected plaintext in details."""
    _lock(conn)
    last = conn.execute(
        select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    body = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    entry = AuditEntry(seq, at, actor, action, target, body, prev, "")
    entry = AuditEntry(**{**entry.__dict__, "hash": entry.computed_hash()})
    conn.execute(insert(audit_log).values(**entry.__dict__))
    return entry


def read_entries(conn: Connection) -> list[AuditEntry]:
    """Every entry in stored order (by seq)."""
    rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    return [AuditEntry(**row._mapping) for row in rows]


def count_entries(conn: Connection) -> int:
    """How many entries the log holds."""
    return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
