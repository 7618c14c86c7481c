"""Claims made by sources in testimonies, and how contradictions between them were resolved."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from sijill.domain.claims import Claim, ClaimValue
from sijill.domain.ranges import CountRange
from sijill.errors import NotFoundError
from sijill.store.rows import date_columns, insert_id, read_date
from sijill.store.schema import claim_resolutions, claims


def _claim(row: Any) -> Claim:
    count = CountRange(row.count_min, row.count_max) if row.count_min is not None else None
    when = (
        read_date(row, "date") if row.date_precision and row.date_precision != "unknown" else None
    )
    value = ClaimValue(row.value_text, count, when, row.place_pcode)
    return Claim(
        row.id,
        row.case_id,
        row.testimony_id,
        row.source_id,
        row.subject,
        row.attribute,
        value,
        row.basis,
        row.heard_from_source_id,
        row.passage,
        row.credibility,
        row.testimony_version,
    )


def add_claim(conn: Connection, claim: Claim) -> Claim:
    """Insert a claim."""
    v = claim.value
    cid = insert_id(
        conn,
        insert(claims).values(
            case_id=claim.case_id,
            testimony_id=claim.testimony_id,
            testimony_version=claim.testimony_version,
            source_id=claim.source_id,
            subject=claim.subject,
            attribute=claim.attribute,
            value_text=v.text,
            count_min=v.count.minimum if v.count else None,
            count_max=v.count.maximum if v.count else None,
            **date_columns("date", v.date),
            place_pcode=v.place_pcode,
            basis=claim.basis,
            heard_from_source_id=claim.heard_from_source_id,
            passage=claim.passage,
            credibility=claim.credibility,
            created_at=datetime.now(UTC),
        ),
    )
    return get_claim(conn, int(cid))


def get_claim(conn: Connection, claim_id: int) -> Claim:
    """A claim by id."""
    row = conn.execute(select(claims).where(claims.c.id == claim_id)).first()
    if row is None:
        raise NotFoundError(f"no claim #{claim_id}", hint="`sijill claims list` shows them")
    return _claim(row)


def list_claims(conn: Connection, case_id: int | None = None) -> list[Claim]:
    """Claims (of one case, or all) by id."""
    query = select(claims).order_by(claims.c.id)
    if case_id is not None:
        query = query.where(claims.c.case_id == case_id)
    return [_claim(r) for r in conn.execute(query)]


def add_resolution(
    conn: Connection, case_id: int, claim_a: int, claim_b: int, resolution: str, resolved_by: str
) -> int:
    """Record how a contradiction between two claims was reconciled."""
    rid = insert_id(
        conn,
        insert(claim_resolutions).values(
            case_id=case_id,
            claim_a_id=min(claim_a, claim_b),
            claim_b_id=max(claim_a, claim_b),
            resolution=resolution,
            resolved_by=resolved_by,
            resolved_at=datetime.now(UTC),
        ),
    )
    return int(rid)


def list_resolutions(conn: Connection, case_id: int) -> list[dict[str, Any]]:
    """Recorded resolutions of a case."""
    rows = conn.execute(select(claim_resolutions).where(claim_resolutions.c.case_id == case_id))
    return [dict(r._mapping) for r in rows]
