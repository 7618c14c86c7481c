"""Use cases for the audit log: list, verify (against an exported signed head), export the head."""

from __future__ import annotations

from pathlib import Path

from sijill.errors import InputError
from sijill.services.access import Permission
from sijill.services.keys import signing_key_path
from sijill.services.session import Session
from sijill.store import audit as store
from sijill.vault.audit_chain import AuditEntry, ChainVerification, verify_chain
from sijill.vault.signing import AuditSigner, SignedHead, export_head, load_head, read_public_key


def list_entries(s: Session, limit: int | None = None) -> list[AuditEntry]:
    """Audit entries, newest last (admins and reviewers)."""
    s.require(Permission.READ_AUDIT)
    entries = store.read_entries(s.conn)
    return entries[-limit:] if limit else entries


def verify_audit(s: Session, head_file: Path | None = None) -> ChainVerification:
    """Check every link and hash; with an exported head, also detect truncation."""
    s.require(Permission.READ_AUDIT)
    entries = store.read_entries(s.conn)
    head: SignedHead | None = None
    trusted: bytes | None = None
    if head_file is not None:
        head = load_head(head_file)
        trusted = read_public_key(signing_key_path(s.workspace))
    return verify_chain(entries, head=head, trusted_public_key=trusted)


def export_signed_head(s: Session, out: Path) -> SignedHead:
    """Sign the log's last entry with the workspace's Ed25519 key and write it to `out`.

    Keep the file (and the printed fingerprint) somewhere the workspace does not control.
    """
    s.require(Permission.READ_AUDIT)
    entries = store.read_entries(s.conn)
    if not entries:
        raise InputError("the audit log is empty: nothing to sign")
    signer = AuditSigner.load(signing_key_path(s.workspace), s.key)
    head = signer.sign_head(entries[-1])
    export_head(head, out)
    return head


def signing_fingerprint(s: Session) -> str:
    """The fingerprint of the audit signing key's public half (record it with each export)."""
    from sijill.vault.signing import public_key_fingerprint

    return public_key_fingerprint(read_public_key(signing_key_path(s.workspace)))
