"""Use case: build a signed evidence package for one consent scope (prosecutors, a commission …).

What goes in, and why:

- every evidence item of the case as a byte-identical copy of its *original* (never a working
  copy), checked against its recorded SHA-256 before it is copied; an item whose original
  changed or vanished stops the package (an IntegrityError), since a package must not carry
  what the custody log cannot vouch for;
- items marked sensitive (they identify a witness) only for the confidential scopes ``coi`` and
  ``iiim``; never for ``public`` or ``named``, whose recipients publish. They are counted as
  withheld;
- the testimonies, claims and events that consent allows for the scope, written by
  `services.export.export_for_scope` (the same rules as `sijill export`);
- each included item's custody log as JSON, after a custody step "packaged for SCOPE" is logged;
- manifest.json (SHA-256 of every file), manifest.sig (Ed25519, the workspace's audit signing
  key) and public_key.txt (that key and its fingerprint).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sijill import __version__
from sijill.domain.cases import Case
from sijill.domain.evidence import EvidenceItem
from sijill.domain.vocabulary import CONSENT_SCOPES
from sijill.errors import InputError, IntegrityError
from sijill.reports.package import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    PackageVerification,
    manifest_bytes,
    package_files,
    public_key_text,
    sha256_file,
    verify_package,
)
from sijill.services.access import Permission
from sijill.services.cases import resolve_case
from sijill.services.evidence import copy_original, original_file, original_sha256
from sijill.services.export import export_for_scope
from sijill.services.keys import signing_key_path
from sijill.services.session import Session
from sijill.store import evidence as evidence_store
from sijill.vault.signing import AuditSigner

__all__ = ["CONFIDENTIAL_SCOPES", "PackageResult", "build_package", "verify_package"]

#: Scopes whose recipients keep material confidential: the only ones sensitive items go to.
CONFIDENTIAL_SCOPES = frozenset({"coi", "iiim"})


@dataclass(frozen=True)
class PackageResult:
    """A built package: where, what it holds, and the key that signed it."""

    directory: Path
    case: str
    scope: str
    evidence: list[str]
    testimonies: list[str]
    withheld: dict[str, int]
    files: int
    fingerprint: str


def _safe_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)
    return cleaned.strip("._") or "file"


def _sign(signer: AuditSigner, data: bytes) -> bytes:
    """An Ed25519 signature over `data` with the workspace's audit signing key.

    The same key signs audit heads, so one fingerprint, recorded once, vouches for both.
    """
    return signer.sign_bytes(data)


def build_package(
    s: Session,
    scope: str,
    out: Path,
    case: str | None = None,
    on: date | None = None,
) -> PackageResult:
    """Write a signed evidence package for `scope` into the new or empty folder `out`.

    Args:
        s: The session (needs EXPORT and WRITE_CASE in the case: it logs custody steps).
        scope: coi, iiim, public or named.
        out: A new or empty folder.
        case: The case code (optional when the actor reads one case).
        on: The day consent is judged on (default today, UTC).

    Raises:
        InputError: Unknown scope or non-empty folder.
        IntegrityError: An original no longer matches its recorded hash.
        PermissionDeniedError: The actor may not export or write this case.
    """
    found = resolve_case(s, case)
    s.require(Permission.EXPORT, found.id, f"case:{found.code}")
    s.require(Permission.WRITE_CASE, found.id, f"case:{found.code}")
    scope = CONSENT_SCOPES.get(scope).code
    if out.exists() and any(out.iterdir()):
        raise InputError(f"{out} is not empty", hint="write the package into a new folder")
    items = evidence_store.list_items(s.conn, found.id)
    included = [i for i in items if not i.sensitive or scope in CONFIDENTIAL_SCOPES]
    for item in included:
        path = original_file(s, item)
        if not path.is_file() or original_sha256(s, item) != item.sha256:
            raise IntegrityError(
                f"the original of {item.code} ({item.original_name}) is missing or changed",
                hint="run `sijill evidence verify`; nothing was packaged",
            )
    signer = AuditSigner.load(signing_key_path(s.workspace), s.key)
    existed = out.exists()
    try:
        return _write_package(s, found, scope, out, items, included, signer, on)
    except BaseException:
        # The transaction rolls back (no custody step stays logged): leave no half package.
        shutil.rmtree(out, ignore_errors=True)
        if existed:
            out.mkdir()
        raise


def _write_package(
    s: Session,
    found: Case,
    scope: str,
    out: Path,
    items: list[EvidenceItem],
    included: list[EvidenceItem],
    signer: AuditSigner,
    on: date | None,
) -> PackageResult:
    out.mkdir(parents=True, exist_ok=True)
    export = export_for_scope(s, found.id, scope, out / "testimonies", on)
    listing: list[dict[str, Any]] = []
    for item in included:
        name = f"evidence/{item.code}-{_safe_name(item.original_name)}"
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_original(s, item, target)
        if sha256_file(target) != item.sha256:
            raise IntegrityError(f"the copy of {item.code} does not match its original's hash")
        evidence_store.log_custody(
            s.conn, item.id, s.actor.username, "packaged", f"packaged for {scope}"
        )
        custody = [
            {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "reason": e.reason}
            for e in evidence_store.custody_log(s.conn, item.id)
        ]
        log_name = f"custody/{item.code}.json"
        (out / "custody").mkdir(exist_ok=True)
        (out / log_name).write_text(
            json.dumps({"item": item.code, "sha256": item.sha256, "custody": custody}, indent=2)
            + "\n",
            "utf-8",
        )
        listing.append(
            {
                "code": item.code,
                "file": name,
                "custody_log": log_name,
                "sha256": item.sha256,
                "original_name": item.original_name,
                "size": item.size,
                "media_type": item.media_type,
                "description": item.description,
                "sensitive": item.sensitive,
                "added_at": item.added_at.isoformat(),
            }
        )
    (out / "evidence.json").write_text(
        json.dumps(listing, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    (out / PUBLIC_KEY).write_text(public_key_text(signer.public_key), "utf-8")
    fingerprint = signer.fingerprint
    withheld = dict(export.withheld)
    if len(included) < len(items):
        withheld["sensitive evidence (scope is published)"] = len(items) - len(included)
    files = package_files(out)
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sijill": __version__,
        "case": found.code,
        "scope": scope,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "created_by": s.actor.username,
        "signing_key_fingerprint": fingerprint,
        "evidence": [i.code for i in included],
        "testimonies": export.included_testimonies,
        "withheld": withheld,
        "files_sha256": files,
    }
    raw = manifest_bytes(document)
    (out / MANIFEST).write_bytes(raw)
    signature = _sign(signer, raw)
    (out / SIGNATURE).write_text(base64.b64encode(signature).decode("ascii") + "\n", "ascii")
    s.audit(
        "package.build",
        f"case:{found.code}",
        scope=scope,
        evidence=len(included),
        testimonies=len(export.included_testimonies),
        manifest_sha256=hashlib.sha256(raw).hexdigest(),
    )
    return PackageResult(
        out,
        found.code,
        scope,
        [i.code for i in included],
        export.included_testimonies,
        withheld,
        len(files),
        fingerprint,
    )


def check_package(directory: Path, trusted_fingerprint: str | None = None) -> PackageVerification:
    """Verify a package folder (no workspace needed); see `sijill.reports.package.verify_package`."""
    return verify_package(directory, trusted_fingerprint)
