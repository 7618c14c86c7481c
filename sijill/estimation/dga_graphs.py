"""Decomposable (chordal) graphs on a few lists, as the models dga-style averaging runs over."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np


@dataclass(frozen=True)
class DecomposableGraph:
    """One decomposable graphical model of list dependence.

    Attributes:
        n_lists: number of vertices (lists).
        edges: pairs (i, j), i < j, of lists allowed to depend on each other directly.
        cliques: maximal cliques as bitmasks over lists (bit i = list i).
        families: for a perfect elimination order, each vertex with its earlier neighbours
            (bitmasks); with ``parents`` they factorise the model as a product of conditionals.
        parents: the earlier neighbours of each vertex in that order (bitmasks, 0 = none).
    """

    n_lists: int
    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]
    families: tuple[int, ...]
    parents: tuple[int, ...]

    def label(self, names: tuple[str, ...]) -> str:
        """The model in the usual generator notation, e.g. ``[A,B][C]``."""
        parts = []
        for clique in sorted(self.cliques, key=lambda mask: _members(mask, self.n_lists)):
            parts.append("[" + ",".join(names[i] for i in _members(clique, self.n_lists)) + "]")
        return "".join(parts)


def _members(mask: int, n_lists: int) -> list[int]:
    return [i for i in range(n_lists) if mask >> i & 1]


def _perfect_elimination(adjacency: list[int], n_lists: int) -> list[int] | None:
    """Maximum cardinality search; returns the visit order if the graph is chordal, else None."""
    order: list[int] = []
    visited = 0
    weight = [0] * n_lists
    for _ in range(n_lists):
        best = max((v for v in range(n_lists) if not visited >> v & 1), key=lambda v: weight[v])
        earlier = adjacency[best] & visited
        # Chordal iff each vertex's already-visited neighbours form a clique.
        for u in _members(earlier, n_lists):
            if (earlier & ~(1 << u)) & ~adjacency[u]:
                return None
        order.append(best)
        visited |= 1 << best
        for u in _members(adjacency[best], n_lists):
            weight[u] += 1
    return order


@cache
def decomposable_graphs(n_lists: int) -> tuple[DecomposableGraph, ...]:
    """All decomposable graphs on ``n_lists`` labelled vertices (8, 61 and 822 for 3, 4, 5).

    Args:
        n_lists: number of lists, 2 to 6 (beyond that the count explodes: 18,154 for 6).

    Returns:
        The graphs, from the independence model to the saturated one, in a fixed order.
    """
    pairs = list(combinations(range(n_lists), 2))
    graphs: list[DecomposableGraph] = []
    for code in range(1 << len(pairs)):
        edges = tuple(pair for bit, pair in enumerate(pairs) if code >> bit & 1)
        adjacency = [0] * n_lists
        for i, j in edges:
            adjacency[i] |= 1 << j
            adjacency[j] |= 1 << i
        order = _perfect_elimination(adjacency, n_lists)
        if order is None:
            continue
        families, parents = [], []
        seen = 0
        for vertex in order:
            parent = adjacency[vertex] & seen
            parents.append(parent)
            families.append(parent | 1 << vertex)
            seen |= 1 << vertex
        cliques = tuple(
            sorted(
                {f for f in families if not any(f != g and f & g == f for g in families)},
            )
        )
        graphs.append(DecomposableGraph(n_lists, edges, cliques, tuple(families), tuple(parents)))
    graphs.sort(key=lambda g: (len(g.edges), g.edges))
    return tuple(graphs)


def subset_coefficients(graphs: tuple[DecomposableGraph, ...], n_lists: int) -> np.ndarray:
    """Signed count of each subset of lists in each graph's factorisation.

    A decomposable model's marginal likelihood is the product over vertices of
    ML(family) / ML(parents), so it is a signed sum of per-subset log marginal likelihoods.

    Returns:
        Array of shape (len(graphs), 2**n_lists); column s is the subset with bitmask s.
    """
    coefficients = np.zeros((len(graphs), 1 << n_lists))
    for row, graph in enumerate(graphs):
        for family, parent in zip(graph.families, graph.parents, strict=True):
            coefficients[row, family] += 1.0
            if parent:
                coefficients[row, parent] -= 1.0
    return coefficients
