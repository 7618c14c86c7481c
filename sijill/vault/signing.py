"""Ed25519 signing of audit-log heads, with the signing key kept outside the database.

Where the key lives: in its own small JSON file beside the keyring (e.g.
``<workspace>/keys/audit-signing.json``), never in the database. The private key in that file is
encrypted (AES-256-GCM) under a subkey of the workspace key, label ``audit-signing-key``; the
public key is stored in clear. So:

- someone with a copy of the database alone (a leaked dump, SQL injection through the web app)
  can rewrite entries but cannot sign a new head, and any exported head exposes the rewrite;
- someone with the laptop but not the passphrase cannot sign either;
- the key survives workspace-key rotation (`rewrap_signing_key`) so old heads stay verifiable.

A signed head is (seq, hash, time) of the last entry, the signer's public key and the signature.
Export heads regularly (`export_head`) to media or a person the workspace does not control, and
record the public key's fingerprint at the same time; a verifier trusts the key from the
fingerprint they recorded, not the key written in the head.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sijill.errors import InputError, IntegrityError, LockedError, NotFoundError
from sijill.vault.audit_chain import AuditEntry, canonical_json, utc_timestamp
from sijill.vault.keys import NONCE_BYTES, WorkspaceKey, write_private_file

KEY_FILE_FORMAT = "sijill-audit-signing-key"
HEAD_FORMAT = "sijill-audit-head"
FORMAT_VERSION = 1
_WRAP_LABEL = "audit-signing-key"
_HEAD_DOMAIN = b"sijill-audit-head-v1\n"


def public_key_fingerprint(public_key: bytes) -> str:
    """A short, readable fingerprint of a public key (SHA-256, first 16 bytes, grouped hex)."""
    digest = hashlib.sha256(public_key).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class SignedHead:
    """The signed position of the log's last entry at one moment."""

    seq: int
    hash: str
    time: str
    public_key: bytes
    signature: bytes

    def message(self) -> bytes:
        """The exact bytes that are signed."""
        body = {
            "seq": self.seq,
            "hash": self.hash,
            "time": self.time,
            "public_key": self.public_key.hex(),
        }
        return _HEAD_DOMAIN + canonical_json(body)

    def verify(self, trusted_public_key: bytes) -> bool:
        """True if signed by `trusted_public_key` and the head names that same key."""
        if self.public_key != trusted_public_key:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(trusted_public_key).verify(
                self.signature, self.message()
            )
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_json(self) -> str:
        """Serialise for export."""
        doc = {
            "format": HEAD_FORMAT,
            "version": FORMAT_VERSION,
            "seq": self.seq,
            "hash": self.hash,
            "time": self.time,
            "public_key": self.public_key.hex(),
            "fingerprint": public_key_fingerprint(self.public_key),
            "signature": self.signature.hex(),
        }
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> SignedHead:
        """Parse an exported head; raise InputError if it is not one."""
        try:
            doc = json.loads(text)
            if doc.get("format") != HEAD_FORMAT or doc.get("version") != FORMAT_VERSION:
                raise ValueError("not a Sijill audit head")
            return cls(
                seq=int(doc["seq"]),
                hash=str(doc["hash"]),
                time=str(doc["time"]),
                public_key=bytes.fromhex(doc["public_key"]),
                signature=bytes.fromhex(doc["signature"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"not a valid exported audit head ({exc})") from None


class AuditSigner:
    """Holds the Ed25519 private key and signs heads of the audit log."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        self.public_key = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @classmethod
    def generate(cls) -> AuditSigner:
        """Create a new signing key (once per workspace, at `sijill init`)."""
        return cls(Ed25519PrivateKey.generate())

    @property
    def fingerprint(self) -> str:
        """The public key's fingerprint, to print and record at init and at each export."""
        return public_key_fingerprint(self.public_key)

    def sign_head(self, entry: AuditEntry, *, time: datetime | None = None) -> SignedHead:
        """Sign the position of `entry`, normally the log's last entry."""
        unsigned = SignedHead(entry.seq, entry.hash, utc_timestamp(time), self.public_key, b"")
        signature = self._private.sign(unsigned.message())
        return SignedHead(entry.seq, entry.hash, unsigned.time, self.public_key, signature)

    def sign_bytes(self, data: bytes) -> bytes:
        """A detached Ed25519 signature over `data` (e.g. an evidence package's manifest)."""
        return self._private.sign(data)

    def save(self, path: Path, workspace_key: WorkspaceKey) -> None:
        """Write the key file, the private key encrypted under the workspace key."""
        raw = self._private.private_bytes_raw()
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(workspace_key.derive(_WRAP_LABEL)).encrypt(
            nonce, raw, _aad(self.public_key)
        )
        doc = {
            "format": KEY_FILE_FORMAT,
            "version": FORMAT_VERSION,
            "public_key": self.public_key.hex(),
            "fingerprint": self.fingerprint,
            "nonce": base64.b64encode(nonce).decode("ascii"),
            "encrypted_private_key": base64.b64encode(sealed).decode("ascii"),
        }
        write_private_file(path, (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode())

    @classmethod
    def load(cls, path: Path, workspace_key: WorkspaceKey) -> AuditSigner:
        """Read and decrypt the key file; LockedError if the workspace key does not open it."""
        public_key, nonce, sealed = _read_key_file(path)
        try:
            raw = AESGCM(workspace_key.derive(_WRAP_LABEL)).decrypt(nonce, sealed, _aad(public_key))
        except InvalidTag:
            raise LockedError(
                f"the audit signing key {path} does not open with this workspace key",
                hint="if the workspace key was rotated, re-wrap the signing key with the old key",
            ) from None
        signer = cls(Ed25519PrivateKey.from_private_bytes(raw))
        if signer.public_key != public_key:
            raise IntegrityError(f"the audit signing key file {path} was altered")
        return signer


def read_public_key(path: Path) -> bytes:
    """Read only the public key from a signing key file (needs no workspace key)."""
    return _read_key_file(path)[0]


def rewrap_signing_key(path: Path, old_key: WorkspaceKey, new_key: WorkspaceKey) -> None:
    """Re-encrypt the signing key under a rotated workspace key; the key pair is unchanged."""
    AuditSigner.load(path, old_key).save(path, new_key)


def export_head(head: SignedHead, path: Path) -> None:
    """Write a signed head to a file for safekeeping outside the workspace."""
    path.write_text(head.to_json(), encoding="utf-8")


def load_head(path: Path) -> SignedHead:
    """Read a head written by `export_head`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"no exported audit head at {path}") from None
    return SignedHead.from_json(text)


def _aad(public_key: bytes) -> bytes:
    return f"{KEY_FILE_FORMAT}|v{FORMAT_VERSION}|{public_key.hex()}".encode()


def _read_key_file(path: Path) -> tuple[bytes, bytes, bytes]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFoundError(f"no audit signing key at {path}") from None
    except ValueError:
        raise IntegrityError(f"the audit signing key file {path} is damaged") from None
    try:
        if doc.get("format") != KEY_FILE_FORMAT or doc.get("version") != FORMAT_VERSION:
            raise ValueError("not a Sijill audit signing key file")
        return (
            bytes.fromhex(doc["public_key"]),
            base64.b64decode(doc["nonce"], validate=True),
            base64.b64decode(doc["encrypted_private_key"], validate=True),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IntegrityError(f"the audit signing key file {path} is damaged ({exc})") from None
