"""The workspace key: random, unlocked by a passphrase (Argon2id) or a key file, never stored in clear.

On disk there is only a *keyring*: a small JSON document holding the Argon2id parameters and salt,
and the workspace key wrapped (AES-256-GCM) once by the passphrase-derived key and once per key
file. Every other secret in the vault (data-key wrapping, blind indexes, backups, the audit
signing key) is derived from or wrapped by the workspace key, so rotating or recovering that one
key is enough.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sijill.errors import InputError, LockedError, WorkspaceError
from sijill.vault.kdf import (
    KEY_BYTES,
    KdfParams,
    check_new_passphrase,
    derive_passphrase_key,
    derive_subkey,
)

__all__ = [
    "KEYRING_FORMAT",
    "KEY_BYTES",
    "KEY_FILE_KIND",
    "NONCE_BYTES",
    "PASSPHRASE_KIND",
    "KdfParams",
    "KeyRotation",
    "Keyring",
    "WorkspaceKey",
    "Wrapping",
    "add_key_file",
    "change_passphrase",
    "create_keyring",
    "generate_key_file_text",
    "keyring_for_recovered_key",
    "read_key_file",
    "rotate",
    "unlock",
    "unlock_with_key_file",
    "write_key_file",
    "write_private_file",
]

NONCE_BYTES = 12
KEYRING_FORMAT = "sijill-keyring"
KEYRING_VERSION = 1
KEY_FILE_HEADER = "sijill-key-file v1"
PASSPHRASE_KIND = "passphrase"
KEY_FILE_KIND = "key-file"


class WorkspaceKey:
    """The 32-byte workspace secret; its repr never shows the bytes.

    Code outside the vault never needs the raw bytes: it asks for a derived subkey by label
    (HKDF-SHA256), which keeps every use of the key cryptographically separate.
    """

    __slots__ = ("_material",)

    def __init__(self, material: bytes) -> None:
        if len(material) != KEY_BYTES:
            raise InputError(f"a workspace key is {KEY_BYTES} bytes, got {len(material)}")
        self._material = bytes(material)

    @classmethod
    def generate(cls) -> WorkspaceKey:
        """Create a fresh random key from the operating system's CSPRNG."""
        return cls(secrets.token_bytes(KEY_BYTES))

    @property
    def key_id(self) -> str:
        """A short public fingerprint (16 hex digits) telling keys apart without revealing them."""
        return self.derive("key-id", length=8).hex()

    def derive(self, label: str, *, salt: bytes | None = None, length: int = KEY_BYTES) -> bytes:
        """Derive an independent subkey for one purpose (HKDF-SHA256, info = label)."""
        return derive_subkey(self._material, label, salt=salt, length=length)

    def reveal_bytes(self) -> bytes:
        """Return the raw key; only for wrapping it or splitting it into shares."""
        return self._material

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkspaceKey):
            return NotImplemented
        return hmac.compare_digest(self._material, other._material)

    def __hash__(self) -> int:
        return hash(self.key_id)

    def __repr__(self) -> str:
        return f"WorkspaceKey(key_id={self.key_id!r})"


@dataclass(frozen=True)
class Wrapping:
    """The workspace key encrypted under one unlocking secret (a passphrase or a key file)."""

    kind: str
    label: str
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class Keyring:
    """Everything stored on disk to unlock a workspace; safe to copy, holds no key in clear."""

    workspace_id: str
    key_id: str
    kdf: KdfParams
    salt: bytes
    wrappings: tuple[Wrapping, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        """Serialise to the keyring file format (JSON, base64 for bytes)."""
        doc: dict[str, Any] = {
            "format": KEYRING_FORMAT,
            "version": KEYRING_VERSION,
            "workspace_id": self.workspace_id,
            "key_id": self.key_id,
            "kdf": {
                "algorithm": "argon2id",
                "time_cost": self.kdf.time_cost,
                "memory_cost_kib": self.kdf.memory_cost_kib,
                "parallelism": self.kdf.parallelism,
                "hash_bytes": self.kdf.hash_bytes,
                "salt": _b64(self.salt),
            },
            "wrappings": [
                {
                    "kind": w.kind,
                    "label": w.label,
                    "nonce": _b64(w.nonce),
                    "ciphertext": _b64(w.ciphertext),
                }
                for w in self.wrappings
            ],
        }
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        """Parse a keyring file; raise WorkspaceError if it is not one or is damaged."""
        try:
            doc = json.loads(text)
            if doc.get("format") != KEYRING_FORMAT:
                raise ValueError("not a Sijill keyring")
            if doc.get("version") != KEYRING_VERSION:
                raise ValueError(f"unsupported keyring version {doc.get('version')!r}")
            kdf_doc = doc["kdf"]
            if kdf_doc["algorithm"] != "argon2id":
                raise ValueError("unsupported key-derivation algorithm")
            salt = _unb64(kdf_doc["salt"])
            kdf = KdfParams(
                time_cost=int(kdf_doc["time_cost"]),
                memory_cost_kib=int(kdf_doc["memory_cost_kib"]),
                parallelism=int(kdf_doc["parallelism"]),
                salt_bytes=len(salt),
                hash_bytes=int(kdf_doc["hash_bytes"]),
            )
            wrappings = tuple(
                Wrapping(
                    kind=str(w["kind"]),
                    label=str(w["label"]),
                    nonce=_unb64(w["nonce"]),
                    ciphertext=_unb64(w["ciphertext"]),
                )
                for w in doc["wrappings"]
            )
            kdf.validate()
            return cls(str(doc["workspace_id"]), str(doc["key_id"]), kdf, salt, wrappings)
        except (ValueError, KeyError, TypeError, AttributeError, InputError) as exc:
            raise WorkspaceError(
                f"the keyring file is damaged or not a Sijill keyring ({exc})",
                hint="restore the keyring from a backup, or recover the key from its shares",
            ) from None

    def save(self, path: Path) -> None:
        """Write atomically, readable by the owner only."""
        write_private_file(path, self.to_json().encode())

    @classmethod
    def load(cls, path: Path) -> Keyring:
        """Read a keyring file written by `save`."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise WorkspaceError(
                f"no keyring at {path}", hint="run `sijill init` or point to the workspace folder"
            ) from None
        return cls.from_json(text)


@dataclass(frozen=True)
class KeyRotation:
    """Result of `rotate`: the new keyring plus both keys, so every data key can be re-wrapped.

    Attributes:
        keyring: the keyring to save in place of the old one once re-wrapping is done.
        old_key: the key the data keys are wrapped under now.
        new_key: the key to re-wrap them under.
        dropped_key_files: labels of key-file wrappings that were not re-wrapped because their
            key file was not supplied; those key files stop working with the new key.
    """

    keyring: Keyring
    old_key: WorkspaceKey
    new_key: WorkspaceKey
    dropped_key_files: tuple[str, ...] = ()


def create_keyring(
    passphrase: str, *, workspace_id: str | None = None, params: KdfParams | None = None
) -> tuple[Keyring, WorkspaceKey]:
    """Create a new random workspace key and the keyring that unlocks it with `passphrase`.

    Returns both, so the caller can start using the key without paying Argon2id a second time.
    """
    check_new_passphrase(passphrase)
    key = WorkspaceKey.generate()
    keyring = _passphrase_keyring(
        key, passphrase, workspace_id or uuid.uuid4().hex, params or KdfParams(), ()
    )
    return keyring, key


def unlock(keyring: Keyring, passphrase: str) -> WorkspaceKey:
    """Unlock the workspace key with the passphrase; wrong passphrase raises LockedError.

    This does not slow down repeated failures; interactive callers should use
    `sijill.vault.unlock.unlock_with_backoff`.
    """
    wrapping = _find(keyring, PASSPHRASE_KIND)
    if wrapping is None:
        raise LockedError("this keyring has no passphrase; unlock it with its key file")
    wrap_key = derive_passphrase_key(passphrase, keyring.salt, keyring.kdf)
    material = _unwrap(wrap_key, wrapping, keyring.workspace_id)
    if material is None:
        raise LockedError(
            "wrong passphrase: the workspace stays locked",
            hint="check keyboard layout and caps lock; if the passphrase is lost, recover the key "
            "from its shares (`sijill keys recover`)",
        )
    return _checked_key(material, keyring)


def generate_key_file_text() -> str:
    """Return the text of a new key file (a 256-bit random secret) to store on removable media."""
    return f"{KEY_FILE_HEADER}\n{_b64(secrets.token_bytes(KEY_BYTES))}\n"


def write_key_file(path: Path) -> bytes:
    """Create a new key file at `path` (owner-only) and return its secret for `add_key_file`.

    Refuses to overwrite an existing file: that could destroy the only way into a workspace.
    """
    if path.exists():
        raise InputError(f"{path} already exists; choose another name for the new key file")
    write_private_file(path, generate_key_file_text().encode("ascii"))
    return read_key_file(path)


def read_key_file(path: Path) -> bytes:
    """Read the secret from a key file; raise InputError if the file is not one."""
    try:
        lines = path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read key file {path}: {exc}") from None
    if len(lines) != 3 or " ".join(lines[:2]) != KEY_FILE_HEADER:
        raise InputError(f"{path} is not a Sijill key file")
    try:
        secret = _unb64(lines[2])
    except ValueError:
        secret = b""
    if len(secret) != KEY_BYTES:
        raise InputError(f"{path} is a damaged Sijill key file")
    return secret


def add_key_file(keyring: Keyring, key: WorkspaceKey, secret: bytes, label: str) -> Keyring:
    """Return a keyring that also unlocks with the key file holding `secret`."""
    if any(w.kind == KEY_FILE_KIND and w.label == label for w in keyring.wrappings):
        raise InputError(f"the keyring already has a key file labelled {label!r}")
    wrapping = _wrap(_key_file_key(secret), key, keyring.workspace_id, KEY_FILE_KIND, label)
    return replace(keyring, wrappings=(*keyring.wrappings, wrapping))


def unlock_with_key_file(keyring: Keyring, secret: bytes) -> WorkspaceKey:
    """Unlock with a key file's secret (see `read_key_file`); a wrong file raises LockedError."""
    wrap_key = _key_file_key(secret)
    for wrapping in keyring.wrappings:
        if wrapping.kind == KEY_FILE_KIND:
            material = _unwrap(wrap_key, wrapping, keyring.workspace_id)
            if material is not None:
                return _checked_key(material, keyring)
    raise LockedError("this key file does not unlock this workspace")


def change_passphrase(
    keyring: Keyring, old_passphrase: str, new_passphrase: str, *, params: KdfParams | None = None
) -> Keyring:
    """Return a keyring whose passphrase wrapping uses the new passphrase and a fresh salt.

    The workspace key is unchanged, so no data key needs re-wrapping; key files keep working.
    """
    check_new_passphrase(new_passphrase)
    key = unlock(keyring, old_passphrase)
    others = tuple(w for w in keyring.wrappings if w.kind != PASSPHRASE_KIND)
    return _passphrase_keyring(
        key, new_passphrase, keyring.workspace_id, params or keyring.kdf, others
    )


def rotate(
    keyring: Keyring, passphrase: str, *, key_file_secrets: Sequence[bytes] = ()
) -> KeyRotation:
    """Create a new workspace key; the caller re-wraps every data key, then saves the keyring.

    Data stays encrypted under its data keys; only the small wrapped data keys change (see
    `sijill.vault.identity.IdentityVault.rewrap`). Key files whose secret is given keep working.

    A crash must never leave data keys wrapped under a key no keyring holds, so the caller
    proceeds in this order:

    1. save ``rotation.keyring`` as a *pending* keyring beside the current one;
    2. in one database transaction, re-wrap every data key and recompute blind index terms;
    3. re-wrap the audit signing key (`sijill.vault.signing.rewrap_signing_key`);
    4. atomically rename the pending keyring over the current one;
    5. make new key shares: old shares and old backups only open with the old key.

    After a crash between 1 and 4, unlock both keyrings and resume: each wrapped data key says
    which key it is under (`FieldCipher.is_current`).
    """
    old_key = unlock(keyring, passphrase)
    new_key = WorkspaceKey.generate()
    kept: list[Wrapping] = []
    dropped: list[str] = []
    for wrapping in keyring.wrappings:
        if wrapping.kind != KEY_FILE_KIND:
            continue
        secret = next(
            (
                s
                for s in key_file_secrets
                if _unwrap(_key_file_key(s), wrapping, keyring.workspace_id) is not None
            ),
            None,
        )
        if secret is None:
            dropped.append(wrapping.label)
        else:
            kept.append(
                _wrap(
                    _key_file_key(secret),
                    new_key,
                    keyring.workspace_id,
                    KEY_FILE_KIND,
                    wrapping.label,
                )
            )
    new_keyring = _passphrase_keyring(
        new_key, passphrase, keyring.workspace_id, keyring.kdf, tuple(kept)
    )
    return KeyRotation(new_keyring, old_key, new_key, tuple(dropped))


def keyring_for_recovered_key(
    key: WorkspaceKey, passphrase: str, *, workspace_id: str, params: KdfParams | None = None
) -> Keyring:
    """Build a fresh keyring around a key recovered from shares, under a new passphrase."""
    check_new_passphrase(passphrase)
    return _passphrase_keyring(key, passphrase, workspace_id, params or KdfParams(), ())


def write_private_file(path: Path, data: bytes) -> None:
    """Write a file atomically (temp file + rename) with owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _passphrase_keyring(
    key: WorkspaceKey,
    passphrase: str,
    workspace_id: str,
    params: KdfParams,
    others: tuple[Wrapping, ...],
) -> Keyring:
    params.validate()
    salt = secrets.token_bytes(params.salt_bytes)
    wrap_key = derive_passphrase_key(passphrase, salt, params)
    wrapping = _wrap(wrap_key, key, workspace_id, PASSPHRASE_KIND, "")
    return Keyring(workspace_id, key.key_id, params, salt, (wrapping, *others))


def _key_file_key(secret: bytes) -> bytes:
    return derive_subkey(secret, "sijill-key-file")


def _wrap_aad(workspace_id: str, kind: str, label: str) -> bytes:
    return f"sijill-keyring|v{KEYRING_VERSION}|{workspace_id}|{kind}|{label}".encode()


def _wrap(wrap_key: bytes, key: WorkspaceKey, workspace_id: str, kind: str, label: str) -> Wrapping:
    nonce = secrets.token_bytes(NONCE_BYTES)
    aad = _wrap_aad(workspace_id, kind, label)
    ciphertext = AESGCM(wrap_key).encrypt(nonce, key.reveal_bytes(), aad)
    return Wrapping(kind, label, nonce, ciphertext)


def _unwrap(wrap_key: bytes, wrapping: Wrapping, workspace_id: str) -> bytes | None:
    aad = _wrap_aad(workspace_id, wrapping.kind, wrapping.label)
    try:
        return AESGCM(wrap_key).decrypt(wrapping.nonce, wrapping.ciphertext, aad)
    except (InvalidTag, ValueError):
        return None


def _checked_key(material: bytes, keyring: Keyring) -> WorkspaceKey:
    key = WorkspaceKey(material)
    if not hmac.compare_digest(key.key_id, keyring.key_id):
        raise WorkspaceError(
            "the keyring's key id does not match the key it holds; the keyring was altered"
        )
    return key


def _find(keyring: Keyring, kind: str) -> Wrapping | None:
    return next((w for w in keyring.wrappings if w.kind == kind), None)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
