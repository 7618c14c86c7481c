"""Use cases for corroboration: a case's findings and contradictions, and reconciling them."""

from __future__ import annotations

from datetime import UTC, datetime

from sijill.corroboration import (
    CaseEvidence,
    CorroborationReport,
    CorroborationSettings,
    Resolution,
    compare_values,
    corroborate_case,
)
from sijill.corroboration.values import MULTI_VALUED_ATTRIBUTES
from sijill.domain.sources import Source
from sijill.errors import InputError
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import cases as case_store
from sijill.store import claims as claim_store
from sijill.store import sources as source_store
from sijill.store import testimonies as testimony_store


def load_evidence(s: Session, case_id: int) -> CaseEvidence:
    """What corroboration reads about a case, straight from the store (never an identity)."""
    s.require(Permission.READ_CASE, case_id)
    case = case_store.get_case(s.conn, case_id)
    claims = tuple(claim_store.list_claims(s.conn, case_id))
    sources: dict[int, Source] = {src.id: src for src in source_store.list_sources(s.conn, case_id)}
    for claim in claims:
        # A claim may have been heard from a source registered under another case.
        heard = claim.heard_from_source_id
        if heard is not None and heard not in sources:
            sources[heard] = source_store.get_source(s.conn, heard)
    testimonies = testimony_store.list_testimonies(s.conn, case_id)
    resolutions = tuple(
        Resolution(
            int(row["claim_a_id"]),
            int(row["claim_b_id"]),
            str(row["resolution"]),
            str(row["resolved_by"]),
            row["resolved_at"],
        )
        for row in claim_store.list_resolutions(s.conn, case_id)
    )
    return CaseEvidence(
        claims=claims,
        sources=tuple(sources.values()),
        relations=tuple(source_store.list_relations(s.conn, case_id)),
        withdrawn_testimonies=frozenset(t.id for t in testimonies if t.withdrawn_at is not None),
        testimony_codes={t.id: t.code for t in testimonies},
        testimony_versions={t.id: t.current.version for t in testimonies},
        resolutions=resolutions,
        case_code=case.code,
    )


def corroborate(s: Session, case_id: int, min_independent: int = 2) -> CorroborationReport:
    """A case's findings with statuses and reasons, independence, contradictions and matrix.

    Needs only READ_CASE: the report names sources by code and grade, never by identity, so
    analysts and reviewers may run it.

    Args:
        s: The session.
        case_id: The case.
        min_independent: Independent first-hand sources needed to call a finding corroborated.
    """
    settings = CorroborationSettings(min_independent=min_independent)
    return corroborate_case(load_evidence(s, case_id), settings)


def resolve_contradiction(s: Session, claim_a: int, claim_b: int, resolution: str) -> int:
    """Record how two contradicting claims are reconciled; both claims stay on record.

    The pair must be two different claims of one case about the same subject and attribute
    that do not agree (contradicting, or too differently typed to compare). Audited.

    Args:
        s: The session.
        claim_a: One claim id.
        claim_b: The other claim id.
        resolution: How it was reconciled, e.g. "W-006 described the first months, when groups
            were smaller; both accounts stand".

    Returns:
        The id of the recorded resolution.
    """
    a, b = claim_store.get_claim(s.conn, claim_a), claim_store.get_claim(s.conn, claim_b)
    s.require(Permission.WRITE_CASE, a.case_id, f"claim:{a.id}")
    note = resolution.strip()
    if not note:
        raise InputError(
            "a resolution needs a note saying how the contradiction was reconciled",
            hint='e.g. --note "W-006 described 2011, when groups were smaller"',
        )
    if a.id == b.id:
        raise InputError("a claim cannot contradict itself: give two different claim ids")
    if a.case_id != b.case_id or (a.subject, a.attribute) != (b.subject, b.attribute):
        raise InputError(
            f"claims #{a.id} and #{b.id} are not about the same subject and attribute",
            hint="`sijill corroborate` lists the contradictions with their claim ids",
        )
    if (
        a.attribute in MULTI_VALUED_ATTRIBUTES
        or compare_values(a.attribute, a.value, b.value).compatible
    ):
        raise InputError(
            f"claims #{a.id} and #{b.id} do not contradict each other: nothing to resolve",
            hint="`sijill corroborate` lists the contradictions with their claim ids",
        )
    rid = claim_store.add_resolution(s.conn, a.case_id, a.id, b.id, note, s.actor.username)
    s.audit(
        "claim.resolve",
        f"claim:{min(a.id, b.id)}",
        other=f"claim:{max(a.id, b.id)}",
        resolution=rid,
        at=datetime.now(UTC).isoformat(),
    )
    return rid
