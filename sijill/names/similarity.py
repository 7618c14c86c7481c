"""Jaro-Winkler similarity (rapidfuzz's compiled implementation)."""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz.distance import JaroWinkler

__all__ = ["jaro_winkler"]

jaro_winkler: Callable[[str, str], float] = JaroWinkler.similarity
"""Jaro-Winkler similarity of two strings in [0, 1] (1 for equal non-empty strings)."""
