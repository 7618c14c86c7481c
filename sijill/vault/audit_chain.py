"""Tamper-evident audit log as a pure data structure: hash-chained entries and their verification.

Each entry holds seq (1, 2, ...), UTC time, actor, action, target and a details dict, plus the
previous entry's hash; its own hash is SHA-256 over a domain tag and the canonical JSON of all
those fields. Changing, inserting, reordering or deleting an entry breaks the chain at that
point, and `verify_chain` reports the first seq that fails. Removing entries *from the end*
leaves a valid shorter chain; that is caught only against an exported signed head
(`sijill.vault.signing`), which is why heads should be exported regularly to a place the
workspace does not control.

Details must never hold protected plaintext (names, contacts): log record ids and pseudonym
codes instead. The log is meant to be readable by auditors who have no identity clearance.

The serialised form (`serialise_log`) is one canonical JSON object per line; `parse_log` accepts
only byte-exact canonical lines, so any changed byte is either a parse error or a hash mismatch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sijill.errors import InputError, IntegrityError

if TYPE_CHECKING:
    from sijill.vault.signing import SignedHead

GENESIS_HASH = "0" * 64
_DOMAIN = b"sijill-audit-entry-v1\n"
_FIELDS = ("seq", "time", "actor", "action", "target", "details", "prev_hash", "hash")


def canonical_json(value: Any) -> bytes:
    """Serialise deterministically: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def utc_timestamp(moment: datetime | None = None) -> str:
    """Format a time as ISO 8601 UTC with microseconds (``2026-11-25T08:53:32.123456Z``)."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        raise InputError("audit times must be timezone-aware (UTC)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEntry:
    """One audit record; build it with `AuditChain.append`, not by hand."""

    seq: int
    time: str
    actor: str
    action: str
    target: str
    details: Mapping[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def body(self) -> dict[str, Any]:
        """Every field except the hash: what the hash covers."""
        return {
            "seq": self.seq,
            "time": self.time,
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "details": dict(self.details),
            "prev_hash": self.prev_hash,
        }

    def computed_hash(self) -> str:
        """SHA-256 of the domain tag and the canonical body."""
        return hashlib.sha256(_DOMAIN + canonical_json(self.body())).hexdigest()

    def to_line(self) -> bytes:
        """The canonical one-line form used in serialised logs (without the newline)."""
        return canonical_json({**self.body(), "hash": self.hash})


class AuditChain:
    """An append-only list of entries, each linked to the one before.

    The store persists `entries` (or each new entry as it is appended) and can rebuild the
    chain with `AuditChain(existing_entries)` to continue it.
    """

    def __init__(self, entries: Sequence[AuditEntry] = ()) -> None:
        self.entries: list[AuditEntry] = list(entries)

    @property
    def head(self) -> AuditEntry | None:
        """The last entry, or None for an empty log."""
        return self.entries[-1] if self.entries else None

    def append(
        self,
        *,
        actor: str,
        action: str,
        target: str,
        details: Mapping[str, Any] | None = None,
        time: datetime | None = None,
    ) -> AuditEntry:
        """Create, link and add the next entry; return it for the caller to persist."""
        details = dict(details or {})
        if not all(isinstance(k, str) for k in details):
            raise InputError("audit details keys must be strings")
        try:
            canonical_json(details)
        except (TypeError, ValueError) as exc:
            raise InputError(f"audit details must be plain JSON values: {exc}") from None
        previous = self.head
        entry = AuditEntry(
            seq=previous.seq + 1 if previous else 1,
            time=utc_timestamp(time),
            actor=actor,
            action=action,
            target=target,
            details=details,
            prev_hash=previous.hash if previous else GENESIS_HASH,
        )
        entry = AuditEntry(**{**entry.body(), "hash": entry.computed_hash()})
        self.entries.append(entry)
        return entry


@dataclass(frozen=True)
class ChainVerification:
    """The outcome of `verify_chain`.

    Attributes:
        ok: True when every check passed.
        entries_checked: how many entries were examined.
        first_bad_seq: the first position (seq) that failed, or None.
        reason: what failed, in words; empty when ok.
    """

    ok: bool
    entries_checked: int
    first_bad_seq: int | None = None
    reason: str = ""

    def raise_if_failed(self) -> None:
        """Turn a failure into an IntegrityError for the CLI."""
        if not self.ok:
            raise IntegrityError(
                f"audit log check failed at seq {self.first_bad_seq}: {self.reason}",
                hint="keep this workspace as it is and compare it with your backups and "
                "exported heads",
            )


def verify_chain(
    entries: Sequence[AuditEntry],
    *,
    head: SignedHead | None = None,
    trusted_public_key: bytes | None = None,
) -> ChainVerification:
    """Check every link and hash; with a signed head, also check for truncation.

    Args:
        entries: the log in stored order.
        head: an exported signed head; the log must contain exactly that entry at that seq.
        trusted_public_key: the Ed25519 public key the head must be signed with (from the
            signing key file, or a fingerprint recorded elsewhere). Required with `head`.
    """
    previous_hash = GENESIS_HASH
    for position, entry in enumerate(entries, start=1):
        if entry.seq != position:
            return _fail(position, f"expected seq {position}, found {entry.seq}")
        if entry.prev_hash != previous_hash:
            return _fail(position, "the link to the previous entry is broken")
        if entry.hash != entry.computed_hash():
            return _fail(position, "the entry was changed after it was written")
        previous_hash = entry.hash
    if head is not None:
        if trusted_public_key is None:
            raise InputError("checking against a signed head needs the trusted public key")
        if not head.verify(trusted_public_key):
            return _fail(head.seq, "the exported head's signature is not valid for this key")
        if head.seq > len(entries):
            return _fail(
                len(entries) + 1,
                f"the log ends at seq {len(entries)} but the exported head is at seq {head.seq}: "
                "entries were removed from the end",
            )
        if head.seq >= 1 and entries[head.seq - 1].hash != head.hash:
            return _fail(head.seq, "the entry at the exported head's seq differs from the head")
    return ChainVerification(True, len(entries))


def serialise_log(entries: Sequence[AuditEntry]) -> bytes:
    """Serialise to canonical JSON lines (one entry per line, newline-terminated)."""
    return b"".join(entry.to_line() + b"\n" for entry in entries)


def parse_log(data: bytes) -> list[AuditEntry]:
    """Parse `serialise_log` output; raise IntegrityError at the first non-canonical line."""
    if data and not data.endswith(b"\n"):
        raise IntegrityError("audit log does not end with a newline: it was cut or altered")
    entries = []
    for number, line in enumerate(data.split(b"\n")[:-1], start=1):
        try:
            doc = json.loads(line.decode("utf-8"))
            if not isinstance(doc, dict) or sorted(doc) != sorted(_FIELDS):
                raise ValueError("unexpected fields")
            entry = AuditEntry(**doc)
            if entry.to_line() != line:
                raise ValueError("not in canonical form")
        except (ValueError, TypeError) as exc:
            raise IntegrityError(f"audit log line {number} is malformed ({exc})") from None
        entries.append(entry)
    return entries


def _fail(seq: int, reason: str) -> ChainVerification:
    return ChainVerification(False, max(seq - 1, 0), seq, reason)
