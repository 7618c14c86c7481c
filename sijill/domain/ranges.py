"""Counts known only as ranges ("20–50", "about 30", "at least 12")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sijill.errors import InputError

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@dataclass(frozen=True)
class CountRange:
    """An integer count in [minimum, maximum]; maximum None means open-ended."""

    minimum: int
    maximum: int | None

    def __post_init__(self) -> None:
        if self.minimum < 0 or (self.maximum is not None and self.maximum < self.minimum):
            raise InputError(f"count range {self.minimum}–{self.maximum} is not valid")

    def overlaps(self, other: CountRange) -> bool:
        """Whether both ranges could hold the same true count."""
        hi_a = self.maximum if self.maximum is not None else float("inf")
        hi_b = other.maximum if other.maximum is not None else float("inf")
        return self.minimum <= hi_b and other.minimum <= hi_a

    def __str__(self) -> str:
        if self.maximum == self.minimum:
            return str(self.minimum)
        return f"{self.minimum}–{self.maximum}" if self.maximum is not None else f"≥{self.minimum}"


def parse_count_range(value: str | int | None) -> CountRange | None:
    """Read `30`, `20-50`, `20–50`, `about 30` (±20%), `at least 12`, `12+`; empty gives None."""
    if value is None:
        return None
    if isinstance(value, int):
        return CountRange(value, value)
    text = value.translate(_DIGITS).strip().lower()
    if not text:
        return None
    if m := re.fullmatch(r"(\d+)", text):
        return CountRange(int(m[1]), int(m[1]))
    if m := re.fullmatch(r"(\d+)\s*(?:-|–|—|to|\.\.|إلى|الى)\s*(\d+)", text):
        return CountRange(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(?:about|around|approximately|ca\.?|~|حوالي|نحو)\s*(\d+)", text):
        n = int(m[1])
        return CountRange(int(n * 0.8), round(n * 1.2))
    if m := re.fullmatch(r"(?:at least|more than|over|>=?|أكثر من)\s*(\d+)|(\d+)\s*\+", text):
        return CountRange(int(m[1] or m[2]), None)
    raise InputError(
        f"cannot read {value!r} as a count", hint="use 30, 20-50, about 30 or at least 12"
    )
