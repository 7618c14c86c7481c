"""Findings: claims that assert the same thing, their support status, and the reasons for it.

Grouping. Claims about one subject and attribute are compared pairwise; a finding is a maximal
set of claims that are all compatible with one another (a maximal clique of the compatibility
graph). Where the graph is connected but not a clique, because a vague claim ("2011–2015",
"Rif Dimashq") fits two groups that contradict each other ("2011–2012" and "2014–2015"), the
component is split into its cliques and the vague claim supports each of them; the reasons say
so. A finding therefore never contains a contradiction of its own.

Status. Independent source groups (see `independence`) with at least one first-hand account
(saw, took part, document) are counted: N or more make it corroborated, one makes it
single-source, none makes it hearsay-only, whatever the number of hearsay accounts. A finding
is contested when another finding about the same subject and attribute contradicts it through a
pair of claims nobody has reconciled yet, and that rival has first-hand support of its own. A
hearsay-only rival never contests anything: it is listed as a contradiction and named in the
reasons. Pairs that cannot be compared automatically (a number against words) contest nothing
either; the report lists them for a person to compare.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sijill.corroboration.contradictions import pairs_by_claim, rivals
from sijill.corroboration.independence import SourceGraph
from sijill.corroboration.model import (
    ClaimRef,
    Contradiction,
    CorroborationSettings,
    ExcludedClaim,
    Finding,
    FindingStatus,
    SourceGroup,
)
from sijill.corroboration.reliability import LOW_RELIABILITY, reliability_label
from sijill.corroboration.values import agreed_value, compare_values
from sijill.domain.claims import Claim


@dataclass(frozen=True)
class DraftFinding:
    """A finding before ids and contest are known: its claims, groups and support."""

    subject: str
    attribute: str
    claims: tuple[Claim, ...]
    value: str
    groups: tuple[SourceGroup, ...]
    independent_direct: int
    support: FindingStatus
    score: float


def group_claims(attribute: str, claims: Sequence[Claim]) -> list[tuple[Claim, ...]]:
    """Split claims about one subject and attribute into findings (maximal compatible sets).

    Args:
        attribute: The attribute all `claims` are about.
        claims: The claims, all about the same subject.

    Returns:
        Sets of claims, each ordered by claim id, ordered by their first claim id.
    """
    ordered = sorted(claims, key=lambda c: c.id)
    # Claims with the same value behave alike: compare each distinct value once.
    values = list(dict.fromkeys(c.value for c in ordered))
    adjacency: list[set[int]] = [set() for _ in values]
    for i, a in enumerate(values):
        for j in range(i + 1, len(values)):
            if compare_values(attribute, a, values[j]).compatible:
                adjacency[i].add(j)
                adjacency[j].add(i)
    cliques: list[frozenset[int]] = []
    for component in _components(adjacency):
        if all(len(adjacency[i]) == len(component) - 1 for i in component):
            cliques.append(frozenset(component))  # everyone agrees: the usual case, no search
        else:
            _bron_kerbosch(adjacency, set(), set(component), set(), cliques)
    groups = []
    for clique in cliques:
        members = {values[i] for i in clique}
        groups.append(tuple(c for c in ordered if c.value in members))
    return sorted(groups, key=lambda g: [c.id for c in g])


def _components(adjacency: list[set[int]]) -> list[set[int]]:
    """Connected components of a graph given as adjacency sets."""
    seen: set[int] = set()
    components = []
    for start in range(len(adjacency)):
        if start in seen:
            continue
        component, frontier = {start}, [start]
        while frontier:
            for nxt in adjacency[frontier.pop()] - component:
                component.add(nxt)
                frontier.append(nxt)
        seen |= component
        components.append(component)
    return components


def _bron_kerbosch(
    adjacency: list[set[int]], r: set[int], p: set[int], x: set[int], out: list[frozenset[int]]
) -> None:
    """Maximal cliques with pivoting (Bron & Kerbosch 1973; Tomita et al. 2006).

    Iterative, so that a thousand agreeing claims do not exhaust Python's recursion limit.
    """
    stack = [(r, p, x)]
    while stack:
        r, p, x = stack.pop()
        if not p:
            if not x:
                out.append(frozenset(r))
            continue
        pivot = max(p | x, key=lambda u: len(adjacency[u] & p))
        for v in sorted(p - adjacency[pivot]):
            stack.append((r | {v}, p & adjacency[v], x & adjacency[v]))
            p = p - {v}
            x = x | {v}


def support_status(independent_direct: int, min_independent: int) -> FindingStatus:
    """The support level from the number of independent groups with first-hand knowledge."""
    if independent_direct >= min_independent:
        return FindingStatus.CORROBORATED
    if independent_direct == 0:
        return FindingStatus.HEARSAY_ONLY
    if independent_direct == 1:
        return FindingStatus.SINGLE_SOURCE
    return FindingStatus.BELOW_THRESHOLD


def draft_findings(
    subject: str,
    attribute: str,
    claims: Sequence[Claim],
    graph: SourceGraph,
    weights: Mapping[int, float],
    settings: CorroborationSettings,
) -> list[DraftFinding]:
    """Group one subject's claims about one attribute and count their independent support."""
    drafts = []
    for group in group_claims(attribute, claims):
        source_groups = tuple(graph.groups(group, weights))
        direct = sum(1 for g in source_groups if g.direct)
        drafts.append(
            DraftFinding(
                subject,
                attribute,
                group,
                agreed_value(attribute, [c.value for c in group]),
                source_groups,
                direct,
                support_status(direct, settings.min_independent),
                round(sum(g.weight for g in source_groups), 3),
            )
        )
    return drafts


def finalise_findings(
    drafts: Sequence[tuple[str, DraftFinding]],
    refs: Mapping[int, ClaimRef],
    contradictions: Sequence[Contradiction],
    excluded: Sequence[ExcludedClaim],
    graph: SourceGraph,
    settings: CorroborationSettings,
    notes: Mapping[int, str] | None = None,
) -> list[Finding]:
    """Give each drafted finding (with its id) its final status and the reasons for it.

    `notes` (claim id → sentence) adds remarks about single claims, e.g. an edited testimony.
    """
    notes = notes or {}
    by_id = dict(drafts)
    index = pairs_by_claim(contradictions)
    findings_of: dict[int, list[str]] = {}
    for fid, draft in drafts:
        for claim in draft.claims:
            findings_of.setdefault(claim.id, []).append(fid)
    findings = []
    for fid, draft in drafts:
        claim_ids = {c.id for c in draft.claims}
        contest = rivals(fid, claim_ids, index)
        contested_by = tuple(
            sorted(r for r, (open_, _) in contest.items() if open_ and _has_direct(by_id, r))
        )
        status = FindingStatus.CONTESTED if contested_by else draft.support
        reasons = [_support_reason(draft, settings)]
        reasons += [f"Independent group: {g.explanation}." for g in draft.groups]
        reasons += _contest_reasons(contest, by_id, refs)
        reasons += _shared_reasons(fid, draft, findings_of, refs)
        reasons += _hearsay_reasons(draft, index, refs)
        reasons += _other_reasons(draft, refs, excluded, graph)
        reasons += [notes[c.id] for c in draft.claims if c.id in notes]
        reasons.append(
            f"Support score {draft.score:.2f} (per independent group, its best account weighted "
            "by source reliability × information credibility × basis)."
        )
        findings.append(
            Finding(
                fid,
                draft.subject,
                draft.attribute,
                draft.value,
                status,
                draft.support,
                tuple(refs[c.id] for c in draft.claims),
                draft.groups,
                draft.independent_direct,
                draft.score,
                tuple(reasons),
                contested_by,
            )
        )
    return findings


def _has_direct(by_id: Mapping[str, DraftFinding], fid: str) -> bool:
    return fid in by_id and by_id[fid].independent_direct > 0


def _first_hand(draft: DraftFinding) -> str:
    return ", ".join("/".join(g.members) for g in draft.groups if g.direct)


def _support_reason(draft: DraftFinding, settings: CorroborationSettings) -> str:
    n, k = settings.min_independent, draft.independent_direct
    if draft.support is FindingStatus.CORROBORATED:
        return (
            f"Corroborated: {k} independent sources with first-hand knowledge agree "
            f"({_first_hand(draft)}); {n} are required."
        )
    if draft.support is FindingStatus.SINGLE_SOURCE:
        return (
            f"Single source: only {_first_hand(draft)} knows it first-hand; {n} independent "
            "sources with first-hand knowledge are required."
        )
    if draft.support is FindingStatus.BELOW_THRESHOLD:
        return (
            f"Below threshold: {k} independent sources know it first-hand "
            f"({_first_hand(draft)}); {n} are required."
        )
    hearsay = len(draft.groups)
    return (
        f"Hearsay only: {hearsay} independent line(s) of hearsay and no first-hand account; "
        "hearsay never corroborates a finding."
    )


def _contest_reasons(
    contest: Mapping[str, tuple[list[Contradiction], list[Contradiction]]],
    by_id: Mapping[str, DraftFinding],
    refs: Mapping[int, ClaimRef],
) -> list[str]:
    reasons = []
    for rival, (open_, closed) in sorted(contest.items()):
        draft = by_id.get(rival)
        if draft is None:
            continue
        who = _cap([f"{refs[c.id].source} {refs[c.id].basis_text}" for c in draft.claims], 5)
        if open_ and draft.independent_direct > 0:
            reasons.append(
                f"Contested by {rival} ({draft.value}; {who}); unresolved: {_pairs(open_)}."
            )
        elif open_:
            reasons.append(
                f"A hearsay-only account disagrees ({rival}: {draft.value}; {who}): listed as a "
                "contradiction, but hearsay does not contest first-hand knowledge."
            )
        shown = closed[:_SHOWN]
        for pair in shown:
            last = pair.resolutions[-1]
            when = last.resolved_at.date().isoformat() if last.resolved_at else "undated"
            reasons.append(
                f"Contradiction #{pair.claim_a.claim_id} vs #{pair.claim_b.claim_id} with {rival} "
                f"resolved by {last.resolved_by} on {when}: {last.resolution}"
            )
        if len(closed) > len(shown):
            reasons.append(
                f"… and {len(closed) - len(shown)} more resolved contradiction(s) with {rival}."
            )
    return reasons


#: How many items a reason lists before saying "and N more" (the report has them all).
_SHOWN = 3


def _cap(items: Sequence[str], limit: int = _SHOWN) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def _pairs(pairs: Sequence[Contradiction]) -> str:
    shown = [f"#{p.claim_a.claim_id} vs #{p.claim_b.claim_id} ({p.reason})" for p in pairs]
    if len(shown) <= _SHOWN:
        return "; ".join(shown)
    return "; ".join(shown[:_SHOWN]) + f"; and {len(shown) - _SHOWN} more"


def _shared_reasons(
    fid: str,
    draft: DraftFinding,
    findings_of: Mapping[int, list[str]],
    refs: Mapping[int, ClaimRef],
) -> list[str]:
    shared = []
    for claim in draft.claims:
        also = [other for other in findings_of.get(claim.id, []) if other != fid]
        if also:
            ref = refs[claim.id]
            shared.append(f"#{claim.id} ({ref.source}: {ref.value}) also fits {', '.join(also)}")
    if not shared:
        return []
    return [f"Broad enough to fit other findings too, so supporting each: {_cap(shared, _SHOWN)}."]


def _hearsay_reasons(
    draft: DraftFinding,
    index: Mapping[int, Sequence[Contradiction]],
    refs: Mapping[int, ClaimRef],
) -> list[str]:
    notes = []
    for claim in draft.claims:
        if claim.basis != "heard_from":
            continue
        hearsay = refs[claim.id]
        for pair in index.get(claim.id, ()):
            other = pair.claim_b if pair.claim_a.claim_id == claim.id else pair.claim_a
            if hearsay.heard_from == other.source and other.basis != "heard_from":
                notes.append(
                    f"{hearsay.source} says they heard it from {other.source}, but "
                    f"{other.source}'s own first-hand account (#{other.claim_id}: "
                    f"{other.value}) disagrees."
                )
    unique = list(dict.fromkeys(notes))
    return unique[:_SHOWN] + (
        [f"… and {len(unique) - _SHOWN} more such disagreement(s)."] if len(unique) > _SHOWN else []
    )


def _other_reasons(
    draft: DraftFinding,
    refs: Mapping[int, ClaimRef],
    excluded: Sequence[ExcludedClaim],
    graph: SourceGraph,
) -> list[str]:
    reasons = []
    ids = {c.id for c in draft.claims}
    low = sorted(
        {
            f"{r.source} ({reliability_label(r.reliability)})"
            for r in (refs[i] for i in ids)
            if r.reliability in LOW_RELIABILITY
        }
    )
    if low:
        reasons.append(
            f"Low-reliability sources are listed and weighted down, never hidden: {', '.join(low)}."
        )
    source_ids = {c.source_id for c in draft.claims}
    reasons += [f"{note}." for note in graph.noted_relations(source_ids)]
    for item in excluded:
        if (item.claim.subject, item.claim.attribute) == (draft.subject, draft.attribute):
            reasons.append(
                f"Not counted: claim #{item.claim.claim_id} by {item.claim.source} ({item.reason})."
            )
    return reasons
