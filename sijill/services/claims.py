"""Use cases for claims: statements sources make in testimonies."""

from __future__ import annotations

from sijill.domain.claims import Claim, ClaimValue
from sijill.domain.dates import parse_uncertain_date
from sijill.domain.ranges import parse_count_range
from sijill.domain.vocabulary import CLAIM_ATTRIBUTES, CREDIBILITY_GRADES, KNOWLEDGE_BASES
from sijill.errors import InputError
from sijill.geo import gazetteer
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import claims as store
from sijill.store import sources as source_store
from sijill.store import testimonies as testimony_store


def parse_value(attribute: str, value: str) -> ClaimValue:
    """Type a claim value by its attribute: counts and dates become ranges, places resolve."""
    if attribute in ("count", "frequency", "duration") and any(ch.isdigit() for ch in value):
        return ClaimValue(value, count=parse_count_range(value))
    if attribute == "date":
        return ClaimValue(value, date=parse_uncertain_date(value))
    if attribute == "place":
        place = gazetteer().find(value)
        return ClaimValue(value, place_pcode=place.pcode if place else None)
    return ClaimValue(value)


def add_claim(
    s: Session,
    testimony: str | int,
    *,
    subject: str,
    attribute: str,
    value: str,
    basis: str,
    heard_from: str | None = None,
    passage: str = "",
    credibility: int | None = None,
) -> Claim:
    """Record what a source says in a testimony, with the basis of its knowledge."""
    t = testimony_store.get_testimony(s.conn, testimony)
    s.require(Permission.WRITE_CASE, t.case_id, f"testimony:{t.code}")
    attribute = CLAIM_ATTRIBUTES.get(attribute).code
    basis = KNOWLEDGE_BASES.get(basis).code
    if not subject.strip():
        raise InputError(
            "a claim needs a subject", hint='e.g. --subject "event:E-001" or "place:white building"'
        )
    heard_id = None
    if heard_from:
        heard_id = source_store.get_source(s.conn, heard_from).id
    elif basis == "heard_from":
        raise InputError("a hearsay claim must say from whom", hint="--heard-from W-007")
    if credibility is not None and credibility not in CREDIBILITY_GRADES:
        raise InputError(f"credibility {credibility} is not 1–6")
    claim = store.add_claim(
        s.conn,
        Claim(
            0,
            t.case_id,
            t.id,
            t.source_id,
            subject.strip(),
            attribute,
            parse_value(attribute, value),
            basis,
            heard_id,
            passage,
            credibility,
            t.current.version,
        ),
    )
    s.audit("claim.create", f"claim:{claim.id}", testimony=t.code, attribute=attribute)
    return claim


def list_claims(s: Session, case_id: int) -> list[Claim]:
    """A case's claims."""
    s.require(Permission.READ_CASE, case_id)
    return store.list_claims(s.conn, case_id)
