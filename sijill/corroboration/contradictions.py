"""Pairs of claims that cannot both be true, with how each was reconciled (never deleted)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

from sijill.corroboration.model import ClaimRef, Contradiction, Resolution
from sijill.corroboration.values import (
    MULTI_VALUED_ATTRIBUTES,
    Verdict,
    compare_values,
)
from sijill.domain.claims import Claim, ClaimValue


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
        # Claims with the same value agree: compare each pair of distinct values once.
        by_value: dict[ClaimValue, list[Claim]] = {}
        for claim in sorted(bucket, key=lambda c: c.id):
            by_value.setdefault(claim.value, []).append(claim)
        values = list(by_value)
        for i, j in combinations(range(len(values)), 2):
            comparison = compare_values(attribute, values[i], values[j])
            if comparison.verdict is Verdict.COMPATIBLE:
                continue
            target = contradictions if comparison.verdict is Verdict.INCOMPATIBLE else to_review
            # The sentence names the values in claim order: compare the other way round too.
            swapped = compare_values(attribute, values[j], values[i])
            for x in by_value[values[i]]:
                for y in by_value[values[j]]:
                    a, b = (x, y) if x.id < y.id else (y, x)
                    reason = comparison.reason if a is x else swapped.reason
                    target.append(
                        Contradiction(
                            subject,
                            attribute,
                            refs[a.id],
                            refs[b.id],
                            comparison.verdict.value,
                            reason,
                            (findings_of.get(a.id, ()), findings_of.get(b.id, ())),
                            tuple(by_pair.get((a.id, b.id), ())),
                        )
                    )
    contradictions.sort(key=_pair_order)
    to_review.sort(key=_pair_order)
    return contradictions, to_review


def _pair_order(pair: Contradiction) -> tuple[str, str, int, int]:
    return (pair.subject, pair.attribute, pair.claim_a.claim_id, pair.claim_b.claim_id)


def pairs_by_claim(contradictions: Sequence[Contradiction]) -> dict[int, list[Contradiction]]:
    """Each claim id → the contradictions it takes part in (an index for `rivals`)."""
    index: dict[int, list[Contradiction]] = {}
    for pair in contradictions:
        index.setdefault(pair.claim_a.claim_id, []).append(pair)
        index.setdefault(pair.claim_b.claim_id, []).append(pair)
    return index


def rivals(
    finding_id: str,
    claim_ids: set[int],
    index: Mapping[int, Sequence[Contradiction]],
) -> dict[str, tuple[list[Contradiction], list[Contradiction]]]:
    """The other findings that contradict `finding_id`, with their unresolved and resolved pairs.

    Args:
        finding_id: The finding being assessed.
        claim_ids: Ids of the claims supporting it.
        index: Claim id → its contradictions (see `pairs_by_claim`).

    Returns:
        Rival finding id → (unresolved contradictions, resolved contradictions).
    """
    found: dict[str, tuple[list[Contradiction], list[Contradiction]]] = {}
    for claim_id in sorted(claim_ids):
        for pair in index.get(claim_id, ()):
            mine_first = pair.claim_a.claim_id == claim_id
            theirs = pair.claim_b if mine_first else pair.claim_a
            if theirs.claim_id in claim_ids:
                continue
            for rival in pair.findings[1] if mine_first else pair.findings[0]:
                if rival == finding_id:
                    continue
                open_, closed = found.setdefault(rival, ([], []))
                (closed if pair.resolved else open_).append(pair)
    return found
