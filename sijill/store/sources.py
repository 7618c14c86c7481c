"""Sources (by pseudonym code) and the relations between them. Identities live in identities.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sijill.domain.sources import Source, SourceRelation
from sijill.domain.vocabulary import PSEUDONYM_PREFIX
from sijill.errors import InputError, NotFoundError
from sijill.store.codes import allocate_code
from sijill.store.rows import insert_id
from sijill.store.schema import source_relations, sources


def _source(row: Any) -> Source:
    return Source(
        row.id, row.case_id, row.code, row.kind, row.description, row.reliability, row.created_at
    )


def next_code(conn: Connection, kind: str) -> str:
    """The next free pseudonym code for a kind (W-001, D-001, O-001, M-001), never reused."""
    return allocate_code(conn, PSEUDONYM_PREFIX[kind], sources.c.code)


def add_source(
    conn: Connection,
    case_id: int,
    kind: str,
    description: str = "",
    reliability: str | None = None,
    code: str | None = None,
) -> Source:
    """Insert a source with a new pseudonym code (or a given one)."""
    code = code or next_code(conn, kind)
    if conn.execute(select(sources.c.id).where(sources.c.code == code)).first():
        raise InputError(f"source code {code!r} is already taken")
    sid = insert_id(
        conn,
        insert(sources).values(
            case_id=case_id,
            code=code,
            kind=kind,
            description=description,
            reliability=reliability,
            created_at=datetime.now(UTC),
        ),
    )
    return get_source(conn, int(sid))


def get_source(conn: Connection, source: int | str) -> Source:
    """A source by id or pseudonym code."""
    cond = sources.c.id == source if isinstance(source, int) else sources.c.code == source
    row = conn.execute(select(sources).where(cond)).first()
    if row is None:
        raise NotFoundError(f"no source {source!r}", hint="`sijill sources list` shows the codes")
    return _source(row)


def list_sources(conn: Connection, case_id: int | None = None) -> list[Source]:
    """Sources (of one case, or all) by code."""
    query = select(sources).order_by(sources.c.code)
    if case_id is not None:
        query = query.where(sources.c.case_id == case_id)
    return [_source(r) for r in conn.execute(query)]


def update_source(conn: Connection, source_id: int, **values: Any) -> None:
    """Change non-identifying fields of a source (kind, description, reliability)."""
    conn.execute(update(sources).where(sources.c.id == source_id).values(**values))


def delete_source(conn: Connection, source_id: int) -> None:
    """Delete a source row (its testimonies, claims, consents and relations cascade)."""
    conn.execute(delete(sources).where(sources.c.id == source_id))


def add_relation(
    conn: Connection, from_id: int, to_id: int, kind: str, note: str = ""
) -> SourceRelation:
    """Record a relation between two sources (e.g. W-003 heard it from W-007)."""
    if from_id == to_id:
        raise InputError("a source cannot be related to itself")
    rid = insert_id(
        conn,
        insert(source_relations).values(
            from_source_id=from_id, to_source_id=to_id, kind=kind, note=note
        ),
    )
    return SourceRelation(int(rid), from_id, to_id, kind, note)


def list_relations(conn: Connection, case_id: int | None = None) -> list[SourceRelation]:
    """Relations among sources (optionally of one case)."""
    query = select(source_relations).order_by(source_relations.c.id)
    if case_id is not None:
        ids = select(sources.c.id).where(sources.c.case_id == case_id)
        query = query.where(source_relations.c.from_source_id.in_(ids))
    return [
        SourceRelation(r.id, r.from_source_id, r.to_source_id, r.kind, r.note)
        for r in conn.execute(query)
    ]
