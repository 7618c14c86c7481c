"""Use cases for sources: pseudonymous by default; identities only through `read_identity`."""

from __future__ import annotations

from dataclasses import dataclass

from sijill.domain.sources import Source, SourceIdentity, SourceRelation
from sijill.domain.vocabulary import RELATION_KINDS, RELIABILITY_GRADES, SOURCE_KINDS
from sijill.errors import InputError
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import identities
from sijill.store import sources as store


@dataclass(frozen=True)
class SourceView:
    """A source as a given user may see it: the identity only when cleared, else None."""

    source: Source
    identity: SourceIdentity | None = None


def _check_reliability(grade: str | None) -> str | None:
    if grade is None or grade == "":
        return None
    grade = grade.strip().upper()
    if grade not in RELIABILITY_GRADES:
        raise InputError(f"unknown reliability grade {grade!r}", hint="use A–F")
    return grade


def add_source(
    s: Session,
    case_id: int,
    kind: str,
    identity: SourceIdentity | None = None,
    description: str = "",
    reliability: str | None = None,
) -> Source:
    """Register a source under a new pseudonym; its identity is sealed by the vault."""
    s.require(Permission.WRITE_CASE, case_id)
    kind = SOURCE_KINDS.get(kind).code
    source = store.add_source(s.conn, case_id, kind, description, _check_reliability(reliability))
    if identity is not None and identity.as_dict():
        _write_identity(s, source.id, identity)
    s.audit("source.create", f"source:{source.code}", kind=kind, has_identity=bool(identity))
    return source


def _write_identity(s: Session, source_id: int, identity: SourceIdentity) -> None:
    from sijill.services.name_index import identity_tokens

    tokens = identity_tokens(s.key, identity)
    identities.write_identity(s.conn, s.sealer, source_id, identity, tokens)


def set_identity(s: Session, source: int | str, identity: SourceIdentity) -> Source:
    """Replace a source's identity (cleared users only)."""
    found = store.get_source(s.conn, source)
    s.require(Permission.READ_IDENTITY, found.case_id, f"source:{found.code}")
    s.require(Permission.WRITE_CASE, found.case_id, f"source:{found.code}")
    _write_identity(s, found.id, identity)
    s.audit("source.identity.write", f"source:{found.code}", fields=sorted(identity.as_dict()))
    return found


def read_identity(s: Session, source: int | str) -> SourceIdentity | None:
    """THE way to read an identity: checks clearance, audits the read (and any refusal)."""
    found = store.get_source(s.conn, source)
    s.require(Permission.READ_IDENTITY, found.case_id, f"source:{found.code}")
    identity = identities.read_identity(s.conn, s.sealer, found.id)
    s.audit("source.identity.read", f"source:{found.code}")
    return identity


def list_sources(
    s: Session, case_id: int | None = None, with_identity: bool = False
) -> list[SourceView]:
    """Sources the actor may read; identities only when asked for and cleared."""
    views = []
    for src in store.list_sources(s.conn, case_id):
        if not s.can(Permission.READ_CASE, src.case_id):
            continue
        identity = None
        if with_identity and s.can(Permission.READ_IDENTITY, src.case_id):
            identity = read_identity(s, src.id)
        views.append(SourceView(src, identity))
    return views


def get_source(s: Session, source: int | str) -> Source:
    """One source (pseudonymous)."""
    found = store.get_source(s.conn, source)
    s.require(Permission.READ_CASE, found.case_id, f"source:{found.code}")
    return found


def update_source(
    s: Session, source: int | str, *, description: str | None = None, reliability: str | None = None
) -> Source:
    """Change a source's non-identifying description or reliability grade."""
    found = store.get_source(s.conn, source)
    s.require(Permission.WRITE_CASE, found.case_id, f"source:{found.code}")
    values: dict[str, object] = {}
    if description is not None:
        values["description"] = description
    if reliability is not None:
        values["reliability"] = _check_reliability(reliability)
    if values:
        store.update_source(s.conn, found.id, **values)
        s.audit("source.update", f"source:{found.code}", fields=sorted(values))
    return store.get_source(s.conn, found.id)


def delete_source(s: Session, source: int | str) -> None:
    """Delete a source and crypto-shred its identity (unrecoverable, even from old backups)."""
    found = store.get_source(s.conn, source)
    s.require(Permission.WRITE_CASE, found.case_id, f"source:{found.code}")
    identities.shred_identity(s.conn, found.id)
    store.delete_source(s.conn, found.id)
    s.audit("source.delete", f"source:{found.code}", shredded=True)


def relate_sources(
    s: Session, from_source: str, to_source: str, kind: str, note: str = ""
) -> SourceRelation:
    """Record a relation that bears on independence (e.g. W-003 heard it from W-007)."""
    a, b = store.get_source(s.conn, from_source), store.get_source(s.conn, to_source)
    s.require(Permission.WRITE_CASE, a.case_id, f"source:{a.code}")
    relation = store.add_relation(s.conn, a.id, b.id, RELATION_KINDS.get(kind).code, note)
    s.audit("source.relate", f"source:{a.code}", kind=relation.kind, to=b.code)
    return relation


def list_relations(s: Session, case_id: int) -> list[SourceRelation]:
    """Relations among a case's sources."""
    s.require(Permission.READ_CASE, case_id)
    return store.list_relations(s.conn, case_id)
