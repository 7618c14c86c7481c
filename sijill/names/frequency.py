"""Name-part frequencies: a common name (Muhammad) carries less evidence than a rare one."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sijill.errors import InputError
from sijill.names.keys import name_key

__all__ = ["NameFrequencies"]


@dataclass(frozen=True)
class NameFrequencies:
    """Counts of name keys in a corpus, with the u-probability and weight they imply.

    Build one per name part (given names, family names, ...) with :meth:`from_names`. The
    u-probability of a value is the chance that a record picked at random has it: agreeing on
    ``muhammad`` (about one given name in eight in Syrian lists) is weak evidence that two
    records are one person, agreeing on a rare name is strong. Splink applies its own
    term-frequency adjustments during linkage; this serves blocking decisions (skip a block
    key that is too common) and reports.

    Attributes:
        counts: Records per key (read-only).
        total: Number of non-empty names counted.
        key: The function that turned a name into its key (default :func:`name_key`).
    """

    counts: Mapping[str, int]
    total: int
    key: Callable[[str], str] = name_key

    @classmethod
    def from_names(
        cls, names: Iterable[str | None], key: Callable[[str], str] = name_key
    ) -> NameFrequencies:
        """Count the keys of names; missing and empty names are skipped.

        Args:
            names: One name (or name part) per record, in either script.
            key: Key function; :func:`sijill.names.keys.skeleton_key` gives coarser counts.

        Raises:
            InputError: When no name has a non-empty key.
        """
        counter: Counter[str] = Counter()
        for name in names:
            if name:
                value = key(name)
                if value:
                    counter[value] += 1
        total = sum(counter.values())
        if total == 0:
            raise InputError(
                "no names to count: every name was missing or empty",
                hint="pass the column that holds the names (e.g. the given-name column)",
            )
        return cls(MappingProxyType(dict(counter)), total, key)

    def count(self, name: str) -> int:
        """Number of records whose key equals this name's key (0 if never seen)."""
        return self.counts.get(self.key(name), 0)

    def u_probability(self, name: str) -> float:
        """Share of records with this name's key; an unseen name counts as seen once."""
        return max(self.count(name), 1) / self.total

    def weight(self, name: str) -> float:
        """Evidence of agreeing on this name in bits: ``log2(1 / u_probability)``."""
        return -math.log2(self.u_probability(name))

    def most_common(self, n: int = 10) -> list[tuple[str, int]]:
        """The ``n`` most frequent keys with their counts, most frequent first."""
        return Counter(self.counts).most_common(n)
