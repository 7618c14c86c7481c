"""The audit log table: persists the vault's hash-chained entries and reads them back."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from sijill.store.schema import audit_log
from sijill.vault.audit_chain import AuditChain, AuditEntry, canonical_json

_ADVISORY_LOCK = 7311


def _lock(conn: Connection) -> None:
    """Serialise appends so the chain stays linear under concurrent writers."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})"))


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        time=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        details=json.loads(row.details),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def append_entry(
    conn: Connection,
    actor: str,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry chained to the last; callers never put protected plaintext in details."""
    _lock(conn)
    last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).first()
    chain = AuditChain([_entry(last)] if last else [])
    entry = chain.append(actor=actor, action=action, target=target, details=details or {})
    conn.execute(
        insert(audit_log).values(
            seq=entry.seq,
            at=entry.time,
            actor=entry.actor,
            action=entry.action,
            target=entry.target,
            details=canonical_json(dict(entry.details)).decode("utf-8"),
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )
    )
    return entry


def read_entries(conn: Connection) -> list[AuditEntry]:
    """Every entry in stored order (by seq)."""
    return [_entry(row) for row in conn.execute(select(audit_log).order_by(audit_log.c.seq))]


def count_entries(conn: Connection) -> int:
    """How many entries the log holds."""
    return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
