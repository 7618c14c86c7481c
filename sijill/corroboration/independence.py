"""Which sources of a finding are independent: a graph of shared origins, explained in words.

Two sources count once when their knowledge can flow from the same origin:
- a hearsay claim ties its source to the source it was heard from (so W-003 and W-004, who both
  heard it from W-002, are one group, and if W-002 also says it directly they add nothing);
- recorded relations tie sources too: heard_from, relative_of (same family), interviewed_together,
  same_intermediary and same_organisation. Ties are transitive (relatives of one person are one
  family). This is conservative on purpose: overcounting independence is the costlier error.
- detained_with is NOT a tie: people held together are the typical independent eyewitnesses; it
  is noted beside the finding so that an investigator can judge.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sijill.corroboration.model import SourceGroup
from sijill.corroboration.reliability import is_direct
from sijill.domain.claims import Claim
from sijill.domain.sources import SourceRelation

#: Relation kinds that make two sources dependent.
DEPENDENCE_KINDS = frozenset(
    {"heard_from", "relative_of", "interviewed_together", "same_intermediary", "same_organisation"}
)
#: Relation kinds noted beside a finding without merging the sources.
NOTED_KINDS = frozenset({"detained_with"})

_RELATION_PHRASES = {
    "heard_from": "{a} heard from {b} (recorded relation)",
    "relative_of": "{a} and {b} are relatives",
    "interviewed_together": "{a} and {b} were interviewed together",
    "same_intermediary": "{a}'s and {b}'s accounts passed through the same intermediary",
    "same_organisation": "{a} and {b} belong to the same organisation",
    "detained_with": "{a} and {b} were detained together",
}


@dataclass(frozen=True)
class _Edge:
    a: int
    b: int
    kind: str  # a relation kind, or "hearsay" for a claim heard from b

    def other(self, node: int) -> int:
        return self.b if node == self.a else self.a


class SourceGraph:
    """Dependence between a case's sources, from their recorded relations.

    Args:
        relations: The case's source relations (kinds outside DEPENDENCE_KINDS are ignored here).
        codes: Source id → code, for explanations.
    """

    def __init__(self, relations: Sequence[SourceRelation], codes: Mapping[int, str]) -> None:
        self._codes = codes
        self._edges: dict[int, list[_Edge]] = {}
        self._noted: list[_Edge] = []
        for rel in relations:
            edge = _Edge(rel.from_source_id, rel.to_source_id, rel.kind)
            if rel.kind in DEPENDENCE_KINDS:
                self._add(self._edges, edge)
            elif rel.kind in NOTED_KINDS:
                self._noted.append(edge)

    @staticmethod
    def _add(adjacency: dict[int, list[_Edge]], edge: _Edge) -> None:
        if edge.a == edge.b:
            return
        adjacency.setdefault(edge.a, []).append(edge)
        adjacency.setdefault(edge.b, []).append(edge)

    def code(self, source_id: int) -> str:
        """A source's code (or its id when unknown to this case)."""
        return self._codes.get(source_id, f"source #{source_id}")

    def groups(self, claims: Sequence[Claim], weights: Mapping[int, float]) -> list[SourceGroup]:
        """Split the sources of one finding's claims into independent groups.

        Args:
            claims: The claims supporting one finding.
            weights: Claim id → weight (see `reliability.claim_weight`).

        Returns:
            One SourceGroup per independent origin, direct groups first, then by first code.
        """
        adjacency = {node: list(edges) for node, edges in self._edges.items()}
        for claim in claims:
            heard = claim.heard_from_source_id
            if claim.basis == "heard_from" and heard is not None:
                self._add(adjacency, _Edge(claim.source_id, heard, "hearsay"))
        members = sorted({c.source_id for c in claims}, key=self.code)
        claims_of: dict[int, list[Claim]] = {}
        for claim in claims:
            claims_of.setdefault(claim.source_id, []).append(claim)
        seen: set[int] = set()
        groups = []
        for start in members:
            if start in seen:
                continue
            parents = _search(adjacency, start) if start in adjacency else {start: None}
            group = [m for m in members if m in parents] if len(parents) > 1 else [start]
            seen.update(group)
            group_claims = [c for m in group for c in claims_of[m]]
            edges = _path_edges(parents, group)
            edges += [
                e
                for m in group
                for e in adjacency.get(m, [])
                if e.kind == "hearsay" and e.a == m and e not in edges
            ]
            via = sorted({n for e in edges for n in (e.a, e.b)} - set(group), key=self.code)
            direct = any(is_direct(c.basis) for c in group_claims)
            groups.append(
                SourceGroup(
                    members=tuple(self.code(m) for m in group),
                    via=tuple(self.code(v) for v in via),
                    direct=direct,
                    weight=max((weights.get(c.id, 0.0) for c in group_claims), default=0.0),
                    explanation=self._explain(group, group_claims, edges, direct),
                )
            )
        return sorted(groups, key=lambda g: (not g.direct, g.members))

    def noted_relations(self, source_ids: set[int]) -> list[str]:
        """Sentences for relations among `source_ids` that are noted but do not merge sources."""
        return [
            self._phrase(e) + ": counted as separate eyewitnesses"
            for e in self._noted
            if e.a in source_ids and e.b in source_ids
        ]

    def _phrase(self, edge: _Edge) -> str:
        a, b = self.code(edge.a), self.code(edge.b)
        if edge.kind != "heard_from":  # symmetric relations read in code order
            a, b = sorted((a, b))
        return _RELATION_PHRASES[edge.kind].format(a=a, b=b)

    def _explain(
        self, group: list[int], claims: Sequence[Claim], edges: list[_Edge], direct: bool
    ) -> str:
        codes = [self.code(m) for m in group]
        hearers: dict[int, list[int]] = {}
        for e in edges:
            if e.kind == "hearsay":
                hearers.setdefault(e.b, [])
                if e.a not in hearers[e.b]:
                    hearers[e.b].append(e.a)
        explained = {frozenset((h, origin)) for origin, hs in hearers.items() for h in hs}
        direct_members = {c.source_id for c in claims if c.basis != "heard_from"}
        phrases = []
        for origin, hs in sorted(hearers.items(), key=lambda item: self.code(item[0])):
            names = _join([self.code(h) for h in sorted(hs, key=self.code)])
            both = "both " if len(hs) == 2 else "all " if len(hs) > 2 else ""
            phrase = f"{names} {both}heard it from {self.code(origin)}"
            if origin in direct_members:
                phrase += (
                    f", who says it first-hand (they add nothing to {self.code(origin)}'s account)"
                )
            elif origin not in group:
                phrase += ", who does not give this account here"
            phrases.append(phrase)
        for e in edges:
            if e.kind != "hearsay" and frozenset((e.a, e.b)) not in explained:
                explained.add(frozenset((e.a, e.b)))
                phrases.append(self._phrase(e))
        kind = "first-hand" if direct else "hearsay only"
        if len(group) == 1:
            return f"{'; '.join(phrases)} ({kind})" if phrases else f"{codes[0]} ({kind})"
        return f"{'; '.join(phrases)}: they count as one source ({kind})"


def _search(adjacency: Mapping[int, list[_Edge]], start: int) -> dict[int, _Edge | None]:
    """Breadth-first search: every reachable node with the edge it was reached by."""
    parents: dict[int, _Edge | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for edge in adjacency.get(node, []):
            nxt = edge.other(node)
            if nxt not in parents:
                parents[nxt] = edge
                queue.append(nxt)
    return parents


def _path_edges(parents: Mapping[int, _Edge | None], group: list[int]) -> list[_Edge]:
    """The edges of the shortest paths from the group's first member to each other member."""
    edges: list[_Edge] = []
    for member in group[1:]:
        node = member
        while (edge := parents.get(node)) is not None:
            if edge not in edges:
                edges.append(edge)
            node = edge.other(node)
    return edges


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
