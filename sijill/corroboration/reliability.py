"""Weights for source reliability (A–F), information credibility (1–6) and basis of knowledge.

The weights order accounts; they never remove one. A finding's support score is the sum, over
its independent source groups, of the best-weighted account in each group, so a score of 2.0
means two independent, completely reliable sources with confirmed, first-hand information.
"Cannot be judged" (F, 6) and a missing grade weigh 0.5: neither trusted nor distrusted.
"""

from __future__ import annotations

from sijill.domain.vocabulary import CREDIBILITY_GRADES, RELIABILITY_GRADES

#: Basis codes that count as direct knowledge. A document is direct evidence of what it records
#: (a register records a transfer); a witness who only read it relays that document and should be
#: related to the document's source so that the two count once.
DIRECT_BASES = frozenset({"saw", "took_part", "document"})

RELIABILITY_WEIGHTS: dict[str | None, float] = {
    "A": 1.0,
    "B": 0.8,
    "C": 0.6,
    "D": 0.4,
    "E": 0.2,
    "F": 0.5,
    None: 0.5,
}
CREDIBILITY_WEIGHTS: dict[int | None, float] = {
    1: 1.0,
    2: 0.8,
    3: 0.6,
    4: 0.4,
    5: 0.2,
    6: 0.5,
    None: 0.5,
}
BASIS_WEIGHTS: dict[str, float] = {"saw": 1.0, "took_part": 1.0, "document": 1.0, "heard_from": 0.5}

#: Grades at or below which a source is called out as low-reliability in a finding's reasons.
LOW_RELIABILITY = frozenset({"D", "E"})


def is_direct(basis: str) -> bool:
    """Whether a basis of knowledge is first-hand (see DIRECT_BASES)."""
    return basis in DIRECT_BASES


def claim_weight(reliability: str | None, credibility: int | None, basis: str) -> float:
    """The weight of one account: reliability × credibility × basis (each in 0–1)."""
    return round(
        RELIABILITY_WEIGHTS.get(reliability, 0.5)
        * CREDIBILITY_WEIGHTS.get(credibility, 0.5)
        * BASIS_WEIGHTS.get(basis, 0.5),
        4,
    )


def reliability_label(grade: str | None) -> str:
    """A grade with its meaning, e.g. "B: Usually reliable"; ungraded sources say so."""
    if grade is None:
        return "not graded"
    return f"{grade}: {RELIABILITY_GRADES.get(grade, 'unknown grade')}"


def credibility_label(grade: int | None) -> str:
    """A credibility grade with its meaning, e.g. "2: Probably true"."""
    if grade is None:
        return "not graded"
    return f"{grade}: {CREDIBILITY_GRADES.get(grade, 'unknown grade')}"


def describe_weights() -> dict[str, object]:
    """The weights as data, printed with every report so a score can be recomputed by hand."""
    return {
        "reliability": {str(k or "ungraded"): v for k, v in RELIABILITY_WEIGHTS.items()},
        "credibility": {str(k or "ungraded"): v for k, v in CREDIBILITY_WEIGHTS.items()},
        "basis": dict(BASIS_WEIGHTS),
        "direct_bases": sorted(DIRECT_BASES),
        "score": "sum over independent groups of the best claim weight in each group; "
        "claim weight = reliability × credibility × basis",
    }
