"""Consent-respecting, redacted exports for a scope (coi, iiim, public, named).

A testimony is exported only when its source's consent covers the scope on the day of export and
was not withdrawn, and the testimony itself was not withdrawn. Sources appear by pseudonym code;
a name is included only when the source consented to being named. The manifest counts what was
withheld and why — never what it says.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sijill import __version__
from sijill.domain.testimonies import Testimony
from sijill.domain.vocabulary import CONSENT_SCOPES
from sijill.errors import InputError
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.services.sources import read_identity
from sijill.store import claims as claim_store
from sijill.store import events as event_store
from sijill.store import sources as source_store
from sijill.store import testimonies as testimony_store


@dataclass(frozen=True)
class ExportManifest:
    """What an export holds and what it withheld (counts and reasons only)."""

    scope: str
    case: str
    created_at: str
    included_testimonies: list[str]
    withheld: dict[str, int]
    named_sources: list[str]
    files: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "format": "sijill-export",
            "version": 1,
            "sijill": __version__,
            "scope": self.scope,
            "case": self.case,
            "created_at": self.created_at,
            "included_testimonies": self.included_testimonies,
            "withheld": self.withheld,
            "named_sources": self.named_sources,
            "files_sha256": self.files,
        }


def _transcript(s: Session, testimony: Testimony) -> str:
    """The current transcript, opening a sealed one (the read is audited)."""
    if not testimony.current.sensitive:
        return testimony.current.transcript
    from sijill.services.testimonies import get_testimony

    return get_testimony(s, testimony.id).current.transcript


def consented_scopes(s: Session, source_id: int, on: date) -> set[str]:
    """The scopes a source's consent covers on a given day."""
    return {c.scope for c in testimony_store.list_consents(s.conn, source_id) if c.active_on(on)}


def _withdrawn_scopes(s: Session, source_id: int, on: date) -> set[str]:
    return {
        c.scope
        for c in testimony_store.list_consents(s.conn, source_id)
        if c.withdrawn_on is not None and c.withdrawn_on <= on
    }


def export_for_scope(
    s: Session, case_id: int, scope: str, out_dir: Path, on: date | None = None
) -> ExportManifest:
    """Write testimonies, events and claims a scope may receive into `out_dir`, plus a manifest."""
    s.require(Permission.EXPORT, case_id)
    scope = CONSENT_SCOPES.get(scope).code
    if out_dir.exists() and any(out_dir.iterdir()):
        raise InputError(f"{out_dir} is not empty", hint="export into a new folder")
    day = on or datetime.now(UTC).date()
    withheld: Counter[str] = Counter()
    testimonies_out, included, named = [], [], set()
    codes: dict[int, tuple[str, str]] = {}  # included testimony id -> (its code, its source's code)
    for t in testimony_store.list_testimonies(s.conn, case_id):
        src = source_store.get_source(s.conn, t.source_id)
        scopes = consented_scopes(s, src.id, day)
        if t.withdrawn_at is not None:
            withheld["testimony withdrawn"] += 1
            continue
        if scope not in scopes:
            reason = (
                "consent withdrawn"
                if scope in _withdrawn_scopes(s, src.id, day)
                else "no consent for this scope"
            )
            withheld[reason] += 1
            continue
        entry: dict[str, Any] = {
            "code": t.code,
            "source": src.code,
            "source_kind": src.kind,
            "language": t.current.language,
            "interview_date": str(t.current.interview_date),
            "version": t.current.version,
            "summary": t.current.summary,
            "transcript": _transcript(s, t),
        }
        if "named" in scopes:
            identity = read_identity(s, src.id)
            if identity is not None:
                entry["source_name"] = {"ar": identity.name_ar, "latin": identity.name_latin}
                named.add(src.code)
        testimonies_out.append(entry)
        included.append(t.code)
        codes[t.id] = (t.code, src.code)
    claims_out = [
        {
            "id": c.id,
            "testimony": codes[c.testimony_id][0],
            "source": codes[c.testimony_id][1],
            "subject": c.subject,
            "attribute": c.attribute,
            "value": str(c.value),
            "basis": c.basis,
            "passage": c.passage,
        }
        for c in claim_store.list_claims(s.conn, case_id)
        if c.testimony_id in codes
    ]
    events_out = [
        {
            "code": e.code,
            "type": e.violation_type,
            "title": e.title,
            "date": str(e.date),
            "earliest": e.date.earliest,
            "latest": e.date.latest,
            "place": e.place_text,
            "governorate": e.governorate_pcode,
            "count": str(e.count) if e.count else None,
        }
        for e in event_store.list_events(s.conn, case_id)
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, payload in (
        ("testimonies.json", testimonies_out),
        ("claims.json", claims_out),
        ("events.json", events_out),
    ):
        data = json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode("utf-8")
        (out_dir / name).write_bytes(data)
        files[name] = hashlib.sha256(data).hexdigest()
    from sijill.store.cases import get_case

    manifest = ExportManifest(
        scope,
        get_case(s.conn, case_id).code,
        datetime.now(UTC).isoformat(timespec="seconds"),
        included,
        dict(withheld),
        sorted(named),
        files,
    )
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2), "utf-8"
    )
    s.audit(
        "export",
        f"case:{manifest.case}",
        scope=scope,
        included=len(included),
        withheld=sum(withheld.values()),
    )
    return manifest
