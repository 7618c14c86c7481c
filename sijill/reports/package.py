"""Evidence packages on disk: manifest of SHA-256 hashes, detached Ed25519 signature, verification.

A package is a folder. ``manifest.json`` lists every other file with its SHA-256;
``manifest.sig`` is the Ed25519 signature (base64) over the exact bytes of manifest.json;
``public_key.txt`` holds the signer's public key (hex and PEM) and its fingerprint. Verification
needs no Sijill workspace: whoever receives the package checks the signature against a key they
trust (by fingerprint, obtained separately), then every hash, and lists changed, missing and
extra files. The signature covers the manifest's bytes with no prefix, so standard tools can
check it too (``openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in manifest.json
-sigfile sig.bin`` after base64-decoding manifest.sig).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sijill.errors import InputError, NotFoundError
from sijill.vault.signing import public_key_fingerprint

FORMAT = "sijill-evidence-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.txt"
#: Files that describe the package rather than belong to it (not listed in the manifest).
CONTROL_FILES = frozenset({MANIFEST, SIGNATURE})


def sha256_file(path: Path) -> str:
    """SHA-256 (hex) of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def package_files(directory: Path) -> dict[str, str]:
    """Every file under `directory` except manifest and signature: relative POSIX path → SHA-256."""
    return {
        p.relative_to(directory).as_posix(): sha256_file(p)
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.relative_to(directory).as_posix() not in CONTROL_FILES
    }


def public_key_text(public_key: bytes) -> str:
    """The content of public_key.txt: fingerprint, hex and PEM forms of an Ed25519 public key."""
    pem = (
        Ed25519PublicKey.from_public_bytes(public_key)
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return (
        "Sijill evidence package signing key (Ed25519)\n"
        f"fingerprint: {public_key_fingerprint(public_key)}\n"
        f"hex: {public_key.hex()}\n\n{pem}"
    )


def read_public_key_text(text: str) -> bytes:
    """The raw public key from public_key.txt (its ``hex:`` line)."""
    for line in text.splitlines():
        if line.startswith("hex:"):
            try:
                key = bytes.fromhex(line.removeprefix("hex:").strip())
            except ValueError:
                break
            if len(key) == 32:
                return key
    raise InputError(f"{PUBLIC_KEY} holds no Ed25519 public key")


def manifest_bytes(document: dict[str, Any]) -> bytes:
    """The exact bytes written as manifest.json (and signed)."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


@dataclass(frozen=True)
class PackageVerification:
    """What `verify_package` found.

    Attributes:
        signature_valid: The signature matches manifest.json under the package's public key.
        trusted: The key's fingerprint equals the one the verifier trusts (None: not checked).
        fingerprint: The fingerprint of the key in the package.
        changed / missing / extra: Files whose hash differs, listed files absent, files present
            but not listed.
        checked: How many listed files were hashed.
    """

    signature_valid: bool
    trusted: bool | None
    fingerprint: str
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        """Signature valid, key trusted (when a fingerprint was given), every file as listed."""
        return (
            self.signature_valid
            and self.trusted is not False
            and not (self.changed or self.missing or self.extra)
        )


def verify_package(directory: Path, trusted_fingerprint: str | None = None) -> PackageVerification:
    """Check a package's signature and every file's hash; list changed, missing and extra files.

    Args:
        directory: The package folder.
        trusted_fingerprint: The signer's fingerprint as the verifier recorded it; when given,
            a package signed by any other key is not trusted.

    Raises:
        NotFoundError: The folder, its manifest, signature or public key is missing.
        InputError: The manifest is not a Sijill evidence package manifest.
    """
    if not directory.is_dir():
        raise NotFoundError(f"no package folder {directory}")
    for name in (MANIFEST, SIGNATURE, PUBLIC_KEY):
        if not (directory / name).is_file():
            raise NotFoundError(
                f"{directory} has no {name}: not a complete evidence package",
                hint="give the folder written by `sijill package --out DIR`",
            )
    raw = (directory / MANIFEST).read_bytes()
    try:
        document = json.loads(raw)
        listed = {str(k): str(v) for k, v in document["files_sha256"].items()}
        if document.get("format") != FORMAT:
            raise ValueError("not an evidence package manifest")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{MANIFEST} is not a valid package manifest ({exc})") from None
    public_key = read_public_key_text((directory / PUBLIC_KEY).read_text("utf-8"))
    fingerprint = public_key_fingerprint(public_key)
    try:
        signature = base64.b64decode((directory / SIGNATURE).read_text("ascii").strip())
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, raw)
        valid = True
    except (InvalidSignature, ValueError):
        valid = False
    if document.get("signing_key_fingerprint") != fingerprint:
        valid = False  # the manifest names the key that signed it; another key was swapped in
    present = package_files(directory)
    trusted = None
    if trusted_fingerprint is not None:
        trusted = trusted_fingerprint.strip().lower() == fingerprint
    return PackageVerification(
        signature_valid=valid,
        trusted=trusted,
        fingerprint=fingerprint,
        changed=sorted(k for k, v in listed.items() if k in present and present[k] != v),
        missing=sorted(k for k in listed if k not in present),
        extra=sorted(k for k in present if k not in listed),
        checked=sum(1 for k in listed if k in present),
    )
