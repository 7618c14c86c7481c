"""Pairs of claims that cannot both be true, with how each was reconciled (never deleted)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

from sijill.corroboration.model import ClaimRef, Contradiction, Resolution
from sijill.corroboration.values import MULTI_VALUED_ATTRIBUTES, Verdict, compare_values
from sijill.domain.claims import Claim


def find_conflicts(
    claims: Sequence[Claim],
    refs: Mapping[int, ClaimRef],
    findings_of: Mapping[int, tuple[str, ...]],
    resolutions: Sequence[Resolution] = (),
) -> tuple[list[Contradiction], list[Contradiction]]:
    """Compare every pair of claims about one subject and attribute.

    Attributes that may hold several true values at once (actor, method) never contradict.

    Args:
        claims: Counted claims (withdrawn ones already removed), any subjects.
        refs: Claim id → ClaimRef, for display.
        findings_of: Claim id → ids of the findings the claim supports.
        resolutions: Recorded reconciliations; matched to pairs whichever way round they were given.

    Returns:
        (contradictions, pairs to review): incompatible pairs, and pairs typed so differently
        (a number against words, Arabic against Latin text) that a person must compare them.
    """
    by_pair: dict[tuple[int, int], list[Resolution]] = {}
    for res in sorted(resolutions, key=lambda r: (r.resolved_at is None, r.resolved_at)):
        by_pair.setdefault(res.pair, []).append(res)
    buckets: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        buckets.setdefault((claim.subject, claim.attribute), []).append(claim)
    contradictions: list[Contradiction] = []
    to_review: list[Contradiction] = []
    for (subject, attribute), bucket in sorted(buckets.items()):
        if attribute in MULTI_VALUED_ATTRIBUTES:
            continue
        for a, b in combinations(sorted(bucket, key=lambda c: c.id), 2):
            comparison = compare_values(attribute, a.value, b.value)
            if comparison.verdict is Verdict.COMPATIBLE:
                continue
            pair = Contradiction(
                subject,
                attribute,
                refs[a.id],
                refs[b.id],
                comparison.verdict.value,
                comparison.reason,
                (findings_of.get(a.id, ()), findings_of.get(b.id, ())),
                tuple(by_pair.get((a.id, b.id), ())),
            )
            if comparison.verdict is Verdict.INCOMPATIBLE:
                contradictions.append(pair)
            else:
                to_review.append(pair)
    return contradictions, to_review


def rivals(
    finding_id: str,
    claim_ids: set[int],
    contradictions: Sequence[Contradiction],
) -> dict[str, tuple[list[Contradiction], list[Contradiction]]]:
    """The other findings that contradict `finding_id`, with their unresolved and resolved pairs.

    Args:
        finding_id: The finding being assessed.
        claim_ids: Ids of the claims supporting it.
        contradictions: All contradictions of the case.

    Returns:
        Rival finding id → (unresolved contradictions, resolved contradictions).
    """
    found: dict[str, tuple[list[Contradiction], list[Contradiction]]] = {}
    for pair in contradictions:
        for mine, theirs, other_findings in (
            (pair.claim_a, pair.claim_b, pair.findings[1]),
            (pair.claim_b, pair.claim_a, pair.findings[0]),
        ):
            if mine.claim_id not in claim_ids or theirs.claim_id in claim_ids:
                continue
            for rival in other_findings:
                if rival == finding_id:
                    continue
                open_, closed = found.setdefault(rival, ([], []))
                (closed if pair.resolved else open_).append(pair)
    return found
