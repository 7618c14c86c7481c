"""Jaro-Winkler similarity, from rapidfuzz when installed, else a small pure-Python version."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["jaro_winkler"]


def _jaro_winkler_python(a: str, b: str) -> float:
    """Jaro-Winkler with prefix scale 0.1 over at most four leading characters (1.0 if equal)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    used_b = [False] * len(b)
    matched_a: list[str] = []
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not used_b[j] and b[j] == char:
                used_b[j] = True
                matched_a.append(char)
                break
    if not matched_a:
        return 0.0
    matched_b = [b[j] for j, used in enumerate(used_b) if used]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) // 2
    m = len(matched_a)
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    if jaro <= 0.7:  # Winkler's boost threshold: no prefix bonus for weak matches
        return jaro
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def _pick() -> Callable[[str, str], float]:
    try:
        from rapidfuzz.distance import JaroWinkler
    except ImportError:  # rapidfuzz is optional; the fallback gives the same figures, slower
        return _jaro_winkler_python
    similarity: Callable[[str, str], float] = JaroWinkler.similarity
    return similarity


jaro_winkler: Callable[[str, str], float] = _pick()
"""Jaro-Winkler similarity of two strings in [0, 1] (1 for equal non-empty strings)."""
