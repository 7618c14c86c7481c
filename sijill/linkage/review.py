"""Review vocabulary: decisions on record pairs, runs and the pairs shown to a reviewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sijill.errors import InputError

__all__ = ["LinkageRun", "PairDecision", "ReviewDecision", "ReviewPair", "parse_pair"]


class PairDecision(StrEnum):
    """What a reviewer said about a pair of records."""

    ACCEPT = "accept"  # one person: always merged
    REJECT = "reject"  # two people: never merged, not even through a chain
    UNSURE = "unsure"  # no effect on clustering; stays in the queue, marked


@dataclass(frozen=True)
class ReviewDecision:
    """One decision in a pair's history (the newest is the current one)."""

    id: int
    record_a_id: int
    record_b_id: int
    decision: PairDecision
    reason: str
    decided_by: str
    decided_at: datetime
    current: bool


@dataclass(frozen=True)
class LinkageRun:
    """A stored linkage run: settings and input hashes to reproduce it, figures to judge it."""

    id: int
    created_at: datetime
    created_by: str
    settings: dict[str, Any]
    input_hashes: dict[str, Any]
    status: str
    metrics: dict[str, Any]


@dataclass(frozen=True)
class ReviewPair:
    """A scored pair of list records, with both records for a side-by-side view."""

    pair_id: int
    run_id: int
    match_probability: float
    match_weight: float
    record_a: dict[str, Any]
    record_b: dict[str, Any]
    current_decision: str | None = None


def parse_pair(text: str) -> tuple[int | None, tuple[int, int] | None]:
    """Read a pair reference: a pair number (``42``) or two record ids (``17:230``).

    Returns:
        ``(pair_id, None)`` or ``(None, (a, b))``.

    Raises:
        InputError: Anything else.
    """
    value = text.strip()
    for sep in (":", ","):
        if sep in value:
            left, _, right = value.partition(sep)
            if left.strip().isdigit() and right.strip().isdigit():
                a, b = int(left), int(right)
                if a == b:
                    raise InputError(f"pair {text!r} names the same record twice")
                return None, (min(a, b), max(a, b))
    if value.isdigit():
        return int(value), None
    raise InputError(
        f"{text!r} is not a pair",
        hint="give the pair number from `sijill review list` or two record ids as A:B",
    )
