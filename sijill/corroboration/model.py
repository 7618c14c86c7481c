"""What corroboration reads (a case's claims, sources, relations) and the frozen results it gives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sijill.domain.claims import Claim
from sijill.domain.sources import Source, SourceRelation
from sijill.errors import InputError


class FindingStatus(StrEnum):
    """How well a finding is supported (the first four are the investigators' usual terms)."""

    CORROBORATED = "corroborated"  # ≥ N independent sources with direct knowledge
    SINGLE_SOURCE = "single_source"  # one independent source with direct knowledge
    BELOW_THRESHOLD = "below_threshold"  # 2..N-1 independent direct sources (when N > 2)
    HEARSAY_ONLY = "hearsay_only"  # no direct knowledge at all: never corroborated
    CONTESTED = "contested"  # an incompatible finding with direct support, unresolved

    @property
    def label(self) -> str:
        """A human label, e.g. "single source"."""
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class Resolution:
    """How a contradiction between two claims was reconciled, by whom and when."""

    claim_a: int
    claim_b: int
    resolution: str
    resolved_by: str
    resolved_at: datetime | None = None

    @property
    def pair(self) -> tuple[int, int]:
        """The two claim ids, smallest first."""
        return (min(self.claim_a, self.claim_b), max(self.claim_a, self.claim_b))


@dataclass(frozen=True)
class CaseEvidence:
    """Everything corroboration reads about one case; no identity is ever part of it.

    Attributes:
        claims: The case's claims (withdrawn ones included: they are excluded with a reason).
        sources: The sources claims come from or were heard from (pseudonymous records).
        relations: Relations between sources that bear on independence.
        withdrawn_testimonies: Ids of withdrawn testimonies; their claims do not count.
        testimony_codes: Testimony id → code (T-001), for pointing back to the testimony.
        testimony_versions: Testimony id → its current version; a claim recorded from an
            earlier version is flagged for re-checking (it still counts).
        resolutions: Recorded reconciliations of contradictions.
        case_code: The case's code, shown in the report.
    """

    claims: tuple[Claim, ...]
    sources: tuple[Source, ...]
    relations: tuple[SourceRelation, ...] = ()
    withdrawn_testimonies: frozenset[int] = frozenset()
    testimony_codes: Mapping[int, str] = field(default_factory=dict)
    testimony_versions: Mapping[int, int] = field(default_factory=dict)
    resolutions: tuple[Resolution, ...] = ()
    case_code: str = ""


@dataclass(frozen=True)
class CorroborationSettings:
    """Settings of a corroboration run, printed with its report so it can be reproduced.

    Attributes:
        min_independent: How many independent sources with direct knowledge make a finding
            corroborated (2 by default, as in most investigative practice).
    """

    min_independent: int = 2

    def __post_init__(self) -> None:
        if self.min_independent < 1:
            raise InputError(
                f"--min-independent must be at least 1, not {self.min_independent}",
                hint="2 is the usual requirement: two independent sources with direct knowledge",
            )


@dataclass(frozen=True)
class SourceRef:
    """A source as corroboration shows it: code, kind and reliability grade, never an identity."""

    code: str
    kind: str
    reliability: str | None
    reliability_label: str


@dataclass(frozen=True)
class ClaimRef:
    """One claim as shown beside a finding: who (by code), on what basis, how credible."""

    claim_id: int
    source: str
    testimony: str
    subject: str
    attribute: str
    value: str
    basis: str
    heard_from: str | None
    credibility: int | None
    credibility_label: str
    reliability: str | None
    weight: float

    @property
    def basis_text(self) -> str:
        """The basis in words: "saw", "took part", "heard from W-002", "document"."""
        if self.basis == "heard_from":
            return f"heard from {self.heard_from or 'an unrecorded source'}"
        return self.basis.replace("_", " ")


@dataclass(frozen=True)
class SourceGroup:
    """Sources whose knowledge of a finding flows from one origin: they count once.

    Attributes:
        members: Codes of the sources in the finding that belong to this group.
        via: Codes of other sources that tie them together (e.g. the person both heard it from).
        direct: Whether any member knows it first-hand (saw, took part, document).
        weight: The best claim weight in the group (what the group adds to the score).
        explanation: Why they count as one, in words.
    """

    members: tuple[str, ...]
    via: tuple[str, ...]
    direct: bool
    weight: float
    explanation: str


@dataclass(frozen=True)
class Finding:
    """Claims that assert the same thing about one subject and attribute, with a status.

    Attributes:
        id: A label stable within one report (F-01, F-02 …).
        subject: What the claims are about ("event:E-002").
        attribute: Which attribute (date, place, count …).
        value: The narrowest value every supporting claim allows.
        status: CONTESTED when an unresolved, directly supported rival exists, else `support`.
        support: CORROBORATED, SINGLE_SOURCE, BELOW_THRESHOLD or HEARSAY_ONLY.
        claims: The supporting claims.
        groups: Independent groups of sources (each counts once).
        independent_direct: How many groups include direct knowledge.
        score: Weighted support (see `sijill.corroboration.reliability`).
        reasons: Why this status, in sentences.
        contested_by: Ids of findings that contest this one.
    """

    id: str
    subject: str
    attribute: str
    value: str
    status: FindingStatus
    support: FindingStatus
    claims: tuple[ClaimRef, ...]
    groups: tuple[SourceGroup, ...]
    independent_direct: int
    score: float
    reasons: tuple[str, ...]
    contested_by: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """Codes of the sources that support this finding, sorted."""
        return tuple(sorted({c.source for c in self.claims}))


@dataclass(frozen=True)
class Contradiction:
    """Two claims about one subject and attribute that cannot both be true (or cannot be compared).

    Attributes:
        verdict: "incompatible" for a contradiction, "not_comparable" for a pair to review.
        reason: Why, e.g. "counts 20–50 and 5–10 do not overlap".
        findings: The findings each claim supports.
        resolutions: Recorded reconciliations, oldest first (empty while unresolved).
    """

    subject: str
    attribute: str
    claim_a: ClaimRef
    claim_b: ClaimRef
    verdict: str
    reason: str
    findings: tuple[tuple[str, ...], tuple[str, ...]]
    resolutions: tuple[Resolution, ...] = ()

    @property
    def resolved(self) -> bool:
        """Whether someone has recorded how this contradiction is reconciled."""
        return bool(self.resolutions)


@dataclass(frozen=True)
class ExcludedClaim:
    """A claim that was not counted, and why (a withdrawn testimony, no usable value)."""

    claim: ClaimRef
    reason: str


@dataclass(frozen=True)
class MatrixRow:
    """One finding's row of the corroboration matrix: the basis of each source, or ""."""

    finding: str
    status: FindingStatus
    cells: tuple[str, ...]


@dataclass(frozen=True)
class CorroborationMatrix:
    """Findings × sources; each cell says on what basis the source supports the finding."""

    sources: tuple[SourceRef, ...]
    rows: tuple[MatrixRow, ...]
