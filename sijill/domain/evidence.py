"""Evidence items stored content-addressed by SHA-256, and their chain of custody."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EvidenceItem:
    """A file with probative value; its original is never modified."""

    id: int
    case_id: int
    code: str
    sha256: str
    original_name: str
    size: int
    media_type: str
    added_at: datetime
    sensitive: bool = False
    description: str = ""


@dataclass(frozen=True)
class CustodyEntry:
    """One step of an item's chain of custody: who, when (UTC), what, why."""

    id: int
    evidence_id: int
    at: datetime
    actor: str
    action: str
    reason: str = ""
