"""Stable pseudonym codes for sources (``W-017``), allocated sequentially per workspace.

Prefixes by kind of source:

- ``W`` witness: a person who gave a testimony (former detainee, guard, judge, relative);
- ``D`` document: a written or recorded source (leaked file, court record, video);
- ``O`` organisation: a group that supplied information (a documentation group, an NGO list).

Numbers start at 1 per kind and are zero-padded to three digits (``W-001``), growing beyond 999
(``W-1000``). A code is never reused, even after its source is deleted: investigators' notes and
earlier exports refer to it. The store must therefore persist the counter (`PseudonymCounter`)
in the same transaction as the new source, rather than computing "highest code + 1".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sijill.errors import InputError


class SourceKind(StrEnum):
    """Kinds of source and their code prefixes."""

    WITNESS = "W"
    DOCUMENT = "D"
    ORGANISATION = "O"


_CODE = re.compile(r"^([A-Z])-(\d{3,})$")


def format_code(kind: SourceKind, number: int) -> str:
    """Format a code, e.g. ``format_code(SourceKind.WITNESS, 17) == "W-017"``."""
    if number < 1:
        raise InputError(f"pseudonym numbers start at 1, not {number}")
    return f"{kind.value}-{number:03d}"


def parse_code(code: str) -> tuple[SourceKind, int]:
    """Split a code into its kind and number; InputError if it is not a valid code."""
    match = _CODE.match(code.strip().upper())
    kinds = {k.value: k for k in SourceKind}
    if not match or match.group(1) not in kinds or int(match.group(2)) < 1:
        raise InputError(
            f"{code!r} is not a source code",
            hint="codes look like W-017 (W witness, D document, O organisation)",
        )
    number = int(match.group(2))
    if format_code(kinds[match.group(1)], number) != code.strip().upper():
        raise InputError(f"{code!r} is not a source code in canonical form (e.g. W-017)")
    return kinds[match.group(1)], number


@dataclass
class PseudonymCounter:
    """The last number handed out per kind; persist it with every allocation."""

    last: dict[SourceKind, int] = field(default_factory=dict)

    def allocate(self, kind: SourceKind) -> str:
        """Return the next unused code of this kind and advance the counter."""
        number = self.last.get(kind, 0) + 1
        self.last[kind] = number
        return format_code(kind, number)

    def observe(self, codes: Iterable[str]) -> None:
        """Advance past existing codes (e.g. when importing sources that already have codes)."""
        for code in codes:
            kind, number = parse_code(code)
            self.last[kind] = max(self.last.get(kind, 0), number)

    def to_json(self) -> str:
        """Serialise for storage (e.g. one settings row)."""
        return json.dumps({k.value: n for k, n in sorted(self.last.items())}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PseudonymCounter:
        """Read a counter written by `to_json`."""
        try:
            doc = json.loads(text)
            last = {SourceKind(k): int(v) for k, v in doc.items()}
        except (ValueError, AttributeError, TypeError) as exc:
            raise InputError(f"damaged pseudonym counter ({exc})") from None
        return cls(last)
