"""Cases (investigations), their members, and users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class User:
    """Someone who uses Sijill; their role decides what they may see and do."""

    id: int
    username: str
    role: str
    display_name: str = ""
    disabled: bool = False


@dataclass(frozen=True)
class Case:
    """One investigation, e.g. "Saydnaya 2011–2016"."""

    id: int
    code: str
    title: str
    description: str = ""
    created_at: datetime | None = None
    member_ids: tuple[int, ...] = field(default_factory=tuple)
