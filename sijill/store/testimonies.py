"""Testimonies with every version kept, and consent per scope."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sijill.domain.testimonies import Consent, Testimony, TestimonyVersion
from sijill.errors import NotFoundError
from sijill.store.codes import allocate_code
from sijill.store.rows import date_columns, insert_id, read_date
from sijill.store.schema import consents, data_keys, testimonies, testimony_versions


def _version(row: Any) -> TestimonyVersion:
    return TestimonyVersion(
        row.version,
        read_date(row, "date"),
        row.language,
        row.summary,
        row.transcript,
        row.place,
        row.interviewer,
        tuple(row.attachments or ()),
        row.edited_by,
        row.edited_at,
        row.reason,
        bool(row.sensitive),
    )


def _next_code(conn: Connection) -> str:
    return allocate_code(conn, "T", testimonies.c.code)


def add_testimony(
    conn: Connection, case_id: int, source_id: int, content: TestimonyVersion, editor: str
) -> Testimony:
    """Insert a testimony and its first version."""
    now = datetime.now(UTC)
    tid = insert_id(
        conn,
        insert(testimonies).values(
            case_id=case_id,
            source_id=source_id,
            code=_next_code(conn),
            current_version=1,
            created_at=now,
        ),
    )
    _insert_version(conn, int(tid), 1, content, editor, now, "created")
    return get_testimony(conn, int(tid))


def _insert_version(
    conn: Connection,
    tid: int,
    version: int,
    c: TestimonyVersion,
    editor: str,
    at: datetime,
    reason: str,
) -> None:
    conn.execute(
        insert(testimony_versions).values(
            testimony_id=tid,
            version=version,
            **date_columns("date", c.interview_date),
            language=c.language,
            summary=c.summary,
            transcript="" if c.sensitive else c.transcript,
            place=c.place,
            interviewer=c.interviewer,
            attachments=list(c.attachments),
            edited_by=editor,
            edited_at=at,
            reason=reason,
            sensitive=c.sensitive,
        ),
    )


def edit_testimony(
    conn: Connection, testimony_id: int, content: TestimonyVersion, editor: str, reason: str
) -> Testimony:
    """Add a new version; the old ones stay readable."""
    current = get_testimony(conn, testimony_id)
    version = current.current.version + 1
    _insert_version(conn, testimony_id, version, content, editor, datetime.now(UTC), reason)
    conn.execute(
        update(testimonies).where(testimonies.c.id == testimony_id).values(current_version=version)
    )
    return get_testimony(conn, testimony_id)


def _current_query() -> Any:
    """Testimonies joined to their current version (one row each)."""
    t, v = testimonies, testimony_versions
    return (
        select(
            t.c.id.label("t_id"),
            t.c.case_id,
            t.c.source_id,
            t.c.code,
            t.c.withdrawn_at,
            *[c for c in v.c if c.name not in ("id",)],
        )
        .join(v, (v.c.testimony_id == t.c.id) & (v.c.version == t.c.current_version))
        .order_by(t.c.id)
    )


def _testimony(row: Any) -> Testimony:
    return Testimony(
        row.t_id, row.case_id, row.source_id, row.code, _version(row), row.withdrawn_at
    )


def get_testimony(conn: Connection, testimony: int | str) -> Testimony:
    """A testimony (by id or code) with its current version."""
    cond = (
        testimonies.c.id == testimony
        if isinstance(testimony, int)
        else testimonies.c.code == testimony
    )
    row = conn.execute(_current_query().where(cond)).first()
    if row is None:
        raise NotFoundError(
            f"no testimony {testimony!r}", hint="`sijill testimonies list` shows them"
        )
    return _testimony(row)


def versions(conn: Connection, testimony_id: int) -> list[TestimonyVersion]:
    """Every version of a testimony, oldest first."""
    rows = conn.execute(
        select(testimony_versions)
        .where(testimony_versions.c.testimony_id == testimony_id)
        .order_by(testimony_versions.c.version)
    )
    return [_version(r) for r in rows]


def list_testimonies(
    conn: Connection, case_id: int | None = None, source_id: int | None = None
) -> list[Testimony]:
    """Testimonies, optionally of one case or source."""
    query = _current_query()
    if case_id is not None:
        query = query.where(testimonies.c.case_id == case_id)
    if source_id is not None:
        query = query.where(testimonies.c.source_id == source_id)
    return [_testimony(row) for row in conn.execute(query)]


def set_withdrawn(conn: Connection, testimony_id: int, at: datetime | None) -> None:
    """Mark a testimony withdrawn (or restore it with None); it is kept, not deleted."""
    conn.execute(
        update(testimonies).where(testimonies.c.id == testimony_id).values(withdrawn_at=at)
    )


def add_consent(
    conn: Connection, source_id: int, scope: str, given_on: date, note: str = ""
) -> Consent:
    """Record consent to one use."""
    cid = insert_id(
        conn,
        insert(consents).values(source_id=source_id, scope=scope, given_on=given_on, note=note),
    )
    return Consent(cid, source_id, scope, given_on, None, note)


def withdraw_consent(conn: Connection, source_id: int, scope: str, on: date) -> int:
    """Withdraw every active consent of a source to a scope; returns how many were withdrawn."""
    result = conn.execute(
        update(consents)
        .where(
            consents.c.source_id == source_id,
            consents.c.scope == scope,
            consents.c.withdrawn_on.is_(None),
        )
        .values(withdrawn_on=on)
    )
    return int(result.rowcount)


def list_consents(conn: Connection, source_id: int | None = None) -> list[Consent]:
    """Consents (of one source, or all)."""
    query = select(consents).order_by(consents.c.id)
    if source_id is not None:
        query = query.where(consents.c.source_id == source_id)
    return [
        Consent(r.id, r.source_id, r.scope, r.given_on, r.withdrawn_on, r.note)
        for r in conn.execute(query)
    ]


VERSIONS_TABLE = "testimony_versions"


def version_row_id(conn: Connection, testimony_id: int, version: int) -> int:
    """The row id of one version (what its sealed transcript is bound to)."""
    return int(
        conn.execute(
            select(testimony_versions.c.id).where(
                testimony_versions.c.testimony_id == testimony_id,
                testimony_versions.c.version == version,
            )
        ).scalar_one()
    )


def store_sealed_transcript(conn: Connection, row_id: int, data_key: bytes, token: bytes) -> None:
    """Keep a version's sealed transcript and its wrapped data key."""
    conn.execute(
        update(testimony_versions)
        .where(testimony_versions.c.id == row_id)
        .values(transcript_sealed=token)
    )
    conn.execute(
        insert(data_keys).values(owner_table=VERSIONS_TABLE, owner_id=row_id, wrapped=data_key)
    )


def sealed_transcript(conn: Connection, row_id: int) -> tuple[bytes, bytes] | None:
    """A version's wrapped data key and sealed transcript, or None (none, or shredded)."""
    token = conn.execute(
        select(testimony_versions.c.transcript_sealed).where(testimony_versions.c.id == row_id)
    ).scalar()
    key = conn.execute(
        select(data_keys.c.wrapped).where(
            data_keys.c.owner_table == VERSIONS_TABLE, data_keys.c.owner_id == row_id
        )
    ).scalar()
    return (bytes(key), bytes(token)) if token is not None and key is not None else None


def shred_transcripts_of_source(conn: Connection, source_id: int) -> None:
    """Destroy the data keys of every sealed transcript a source gave (crypto-shredding)."""
    rows = select(testimony_versions.c.id).join(
        testimonies, testimonies.c.id == testimony_versions.c.testimony_id
    )
    ids = [r.id for r in conn.execute(rows.where(testimonies.c.source_id == source_id))]
    if ids:
        conn.execute(
            delete(data_keys).where(
                data_keys.c.owner_table == VERSIONS_TABLE, data_keys.c.owner_id.in_(ids)
            )
        )


def open_versions(conn: Connection, testimony_id: int) -> list[tuple[int, str]]:
    """(row id, transcript) of every version of a testimony still kept in plain text."""
    rows = conn.execute(
        select(testimony_versions.c.id, testimony_versions.c.transcript)
        .where(
            testimony_versions.c.testimony_id == testimony_id,
            testimony_versions.c.sensitive.is_(False),
        )
        .order_by(testimony_versions.c.version)
    )
    return [(int(r.id), str(r.transcript)) for r in rows]


def mark_sealed(conn: Connection, row_id: int) -> None:
    """Blank a version's plain-text transcript and mark it sensitive (its sealed copy is stored)."""
    conn.execute(
        update(testimony_versions)
        .where(testimony_versions.c.id == row_id)
        .values(transcript="", sensitive=True)
    )
