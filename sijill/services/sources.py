"""Use cases for sources: pseudonymous by default; identities only through `read_identity`."""

from __future__ import annotations

from dataclasses import dataclass

from sijill.domain.sources import IDENTITY_FIELDS, Source, SourceIdentity, SourceRelation
from sijill.domain.vocabulary import RELATION_KINDS, RELIABILITY_GRADES, SOURCE_KINDS
from sijill.errors import InputError
from sijill.services import name_index
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import identities
from sijill.store import sources as store
from sijill.store import testimonies as testimony_store


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
    vault = s.identity_vault
    stored = identities.load_sealed(s.conn, source_id)
    values: dict[str, str | None] = dict.fromkeys(IDENTITY_FIELDS)
    values.update(identity.as_dict())
    if stored is None:
        sealed = vault.seal(identities.TABLE, source_id, values)
    else:
        sealed = vault.reseal(identities.TABLE, source_id, stored[0], values)
    identities.save_sealed(s.conn, source_id, sealed)


def _open_identity(s: Session, source_id: int) -> SourceIdentity | None:
    stored = identities.load_sealed(s.conn, source_id)
    if stored is None:
        return None
    opened = s.identity_vault.open(identities.TABLE, source_id, stored[0], stored[1])
    return SourceIdentity.from_dict({k: v for k, v in opened.items() if v})


def find_sources_by_name(s: Session, name: str) -> list[Source]:
    """Sources whose protected names match `name` (blind index; nothing is decrypted)."""
    s.require(Permission.READ_IDENTITY)
    if not name_index.index_is_current(s.conn):
        rebuilt = name_index.rebuild_name_index(s.conn, s.identity_vault)
        s.audit("source.identity.reindex", "", identities=rebuilt, rules=name_index.INDEX_VERSION)
    terms = s.identity_vault.lookup_terms(name)
    found = [store.get_source(s.conn, i) for i in identities.find_by_terms(s.conn, "name", terms)]
    s.audit("source.identity.search", "", matches=len(found))
    return [src for src in found if s.can(Permission.READ_IDENTITY, src.case_id)]


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
    identity = _open_identity(s, found.id)
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


def source_codes(s: Session, source_ids: set[int]) -> dict[int, str]:
    """Pseudonym codes of the given sources, for listings (codes are never protected)."""
    return {source_id: store.get_source(s.conn, source_id).code for source_id in source_ids}


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
    identities.shred(s.conn, found.id)
    testimony_store.shred_transcripts_of_source(s.conn, found.id)
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
