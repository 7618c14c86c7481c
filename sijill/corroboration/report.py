"""A case's corroboration report: findings, independence, contradictions and the matrix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sijill.corroboration.contradictions import find_conflicts
from sijill.corroboration.findings import DraftFinding, draft_findings, finalise_findings
from sijill.corroboration.independence import SourceGraph
from sijill.corroboration.model import (
    CaseEvidence,
    ClaimRef,
    Contradiction,
    CorroborationMatrix,
    CorroborationSettings,
    ExcludedClaim,
    Finding,
    FindingStatus,
    MatrixRow,
    SourceRef,
)
from sijill.corroboration.reliability import (
    claim_weight,
    credibility_label,
    describe_weights,
    reliability_label,
)
from sijill.corroboration.values import has_value
from sijill.domain.claims import Claim
from sijill.domain.sources import Source


@dataclass(frozen=True)
class CorroborationReport:
    """Everything investigators need to judge what a case's testimonies establish.

    Sources appear by code, kind and reliability grade only: a report never holds an identity,
    a testimony text or a passage quote, so it is safe for every role that may read the case.

    Attributes:
        case: The case code.
        settings: The settings the report was computed with.
        findings: Every finding with its status, reasons and independent groups.
        contradictions: Pairs of claims that cannot both be true (resolved ones included).
        to_review: Pairs a machine cannot compare (a count against words, Arabic against Latin).
        excluded: Claims not counted, with why (withdrawn testimony, no usable value).
        matrix: Findings × sources, each cell the basis of that source's support.
        sources: The sources that made claims, with their reliability grades.
    """

    case: str
    settings: CorroborationSettings
    findings: tuple[Finding, ...]
    contradictions: tuple[Contradiction, ...]
    to_review: tuple[Contradiction, ...]
    excluded: tuple[ExcludedClaim, ...]
    matrix: CorroborationMatrix
    sources: tuple[SourceRef, ...]

    def finding(self, finding_id: str) -> Finding:
        """A finding by id (KeyError when absent)."""
        for item in self.findings:
            if item.id == finding_id:
                return item
        raise KeyError(finding_id)

    def by_status(self, status: FindingStatus) -> list[Finding]:
        """The findings with this status."""
        return [f for f in self.findings if f.status is status]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (used by `--json`, the report and the web pages)."""
        counts = {s.value: len(self.by_status(s)) for s in FindingStatus}
        data: dict[str, Any] = {
            "case": self.case,
            "settings": asdict(self.settings),
            "weights": describe_weights(),
            "summary": {
                "findings": len(self.findings),
                "by_status": counts,
                "contradictions": len(self.contradictions),
                "unresolved_contradictions": sum(1 for c in self.contradictions if not c.resolved),
                "excluded_claims": len(self.excluded),
            },
            "findings": [_finding_dict(f) for f in self.findings],
            "contradictions": [_contradiction_dict(c) for c in self.contradictions],
            "to_review": [_contradiction_dict(c) for c in self.to_review],
            "excluded": [_plain(e) for e in self.excluded],
            "matrix": {
                "sources": [s.code for s in self.matrix.sources],
                "rows": [
                    {"finding": r.finding, "status": r.status.value, "cells": list(r.cells)}
                    for r in self.matrix.rows
                ],
            },
            "sources": [_plain(s) for s in self.sources],
        }
        return data

    def summary_lines(self) -> list[str]:
        """A few lines saying what is corroborated, what counts once, and what is contested."""
        lines = [
            f"{len(self.findings)} findings: "
            + ", ".join(
                f"{len(self.by_status(s))} {s.label}" for s in FindingStatus if self.by_status(s)
            )
        ]
        for f in self.findings:
            lines.append(f"  {f.id} {f.subject} {f.attribute} = {f.value}: {f.status.label}")
            for group in f.groups:
                if len(group.members) > 1 or group.via:
                    lines.append(f"      {group.explanation}")
        unresolved = [c for c in self.contradictions if not c.resolved]
        lines.append(
            f"{len(self.contradictions)} contradictions ({len(unresolved)} unresolved), "
            f"{len(self.excluded)} claims not counted"
        )
        for c in self.contradictions:
            state = "resolved" if c.resolved else "unresolved"
            lines.append(
                f"  #{c.claim_a.claim_id} {c.claim_a.source} vs #{c.claim_b.claim_id} "
                f"{c.claim_b.source}: {c.reason} ({state})"
            )
        return lines


def corroborate_case(
    evidence: CaseEvidence, settings: CorroborationSettings | None = None
) -> CorroborationReport:
    """Group a case's claims into findings, count independent sources, list contradictions.

    Claims from withdrawn testimonies, and claims that assert no value (an unknown date), are
    excluded and listed with the reason, so every status reflects only what still stands.

    Args:
        evidence: The case's claims, sources, relations, withdrawals and resolutions.
        settings: Thresholds (default: two independent first-hand sources corroborate).
    """
    settings = settings or CorroborationSettings()
    by_id = {s.id: s for s in evidence.sources}
    codes = {s.id: s.code for s in evidence.sources}
    refs = {c.id: _claim_ref(c, by_id, evidence) for c in evidence.claims}
    counted: list[Claim] = []
    excluded: list[ExcludedClaim] = []
    for claim in sorted(evidence.claims, key=lambda c: c.id):
        if claim.testimony_id in evidence.withdrawn_testimonies:
            why = f"testimony {refs[claim.id].testimony} was withdrawn"
            excluded.append(ExcludedClaim(refs[claim.id], why))
        elif not has_value(claim.value):
            excluded.append(ExcludedClaim(refs[claim.id], "it asserts no usable value"))
        else:
            counted.append(claim)
    graph = SourceGraph(evidence.relations, codes)
    weights = {c.id: refs[c.id].weight for c in counted}
    buckets: dict[tuple[str, str], list[Claim]] = {}
    for claim in counted:
        buckets.setdefault((claim.subject, claim.attribute), []).append(claim)
    drafts: list[DraftFinding] = []
    for (subject, attribute), claims in sorted(buckets.items()):
        drafts += draft_findings(subject, attribute, claims, graph, weights, settings)
    numbered = [(f"F-{n:02d}", d) for n, d in enumerate(drafts, start=1)]
    findings_of: dict[int, tuple[str, ...]] = {}
    for fid, draft in numbered:
        for claim in draft.claims:
            findings_of[claim.id] = (*findings_of.get(claim.id, ()), fid)
    contradictions, to_review = find_conflicts(counted, refs, findings_of, evidence.resolutions)
    notes = _edited_testimony_notes(counted, refs, evidence)
    findings = finalise_findings(numbered, refs, contradictions, excluded, graph, settings, notes)
    used = sorted({c.source_id for c in counted}, key=lambda i: codes.get(i, ""))
    source_refs = tuple(_source_ref(by_id[i]) for i in used if i in by_id)
    return CorroborationReport(
        evidence.case_code,
        settings,
        tuple(findings),
        tuple(contradictions),
        tuple(to_review),
        tuple(excluded),
        _matrix(findings, source_refs),
        source_refs,
    )


def _edited_testimony_notes(
    claims: list[Claim], refs: dict[int, ClaimRef], evidence: CaseEvidence
) -> dict[int, str]:
    """Claims recorded from a testimony version that has since been edited (still counted)."""
    notes = {}
    for claim in claims:
        current = evidence.testimony_versions.get(claim.testimony_id, claim.testimony_version)
        if current > claim.testimony_version:
            ref = refs[claim.id]
            notes[claim.id] = (
                f"Claim #{claim.id} ({ref.source}) was recorded from version "
                f"{claim.testimony_version} of {ref.testimony}, which has since been edited "
                f"(now version {current}): check that the passage still says this."
            )
    return notes


def _source_ref(source: Source) -> SourceRef:
    return SourceRef(
        source.code, source.kind, source.reliability, reliability_label(source.reliability)
    )


def _claim_ref(claim: Claim, sources: dict[int, Source], evidence: CaseEvidence) -> ClaimRef:
    source = sources.get(claim.source_id)
    heard = claim.heard_from_source_id
    heard_code = None
    if heard is not None:
        heard_code = sources[heard].code if heard in sources else f"source #{heard}"
    reliability = source.reliability if source else None
    return ClaimRef(
        claim.id,
        source.code if source else f"source #{claim.source_id}",
        evidence.testimony_codes.get(claim.testimony_id, f"testimony #{claim.testimony_id}"),
        claim.subject,
        claim.attribute,
        str(claim.value),
        claim.basis,
        heard_code,
        claim.credibility,
        credibility_label(claim.credibility),
        reliability,
        claim_weight(reliability, claim.credibility, claim.basis),
    )


def _matrix(findings: list[Finding], sources: tuple[SourceRef, ...]) -> CorroborationMatrix:
    rows = []
    for f in findings:
        bases: dict[str, set[str]] = {}
        for claim in f.claims:
            bases.setdefault(claim.source, set()).add(claim.basis_text)
        cells = ["; ".join(sorted(bases.get(src.code, ()))) for src in sources]
        rows.append(MatrixRow(f.id, f.status, tuple(cells)))
    return CorroborationMatrix(sources, tuple(rows))


def _finding_dict(f: Finding) -> dict[str, Any]:
    data: dict[str, Any] = _plain(f)
    data["sources"] = list(f.sources)
    for claim, ref in zip(data["claims"], f.claims, strict=True):
        claim["basis_text"] = ref.basis_text
    return data


def _contradiction_dict(c: Contradiction) -> dict[str, Any]:
    data: dict[str, Any] = _plain(c)
    data["resolved"] = c.resolved
    return data


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
