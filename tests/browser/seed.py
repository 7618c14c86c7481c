"""A small synthetic case for the web tests: a source with an identity, a testimony, an event,
an evidence item and an imported list (all invented)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sijill.domain.sources import SourceIdentity
from sijill.services import cases, events, evidence, lists, sources, testimonies
from sijill.services.session import open_session
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace

LIST_FILE = Path(__file__).resolve().parent.parent / "data" / "lists" / "victims_ar.csv"


@dataclass(frozen=True)
class Seeded:
    """Codes of what `seed_case` created."""

    case: str
    source: str
    testimony: str
    event: str
    evidence: str
    victim_list: str


def seed_case(
    workspace: Workspace,
    key: WorkspaceKey,
    folder: Path,
    case: str = "SAY",
    *,
    name: str = "سامر الحمصي",
    text: str = "رأيت نقل المعتقلين ليلاً إلى المبنى الأبيض.",
    list_name: str = "L1",
) -> Seeded:
    """Fill `case` (which must exist) with one of everything; `name`/`text` may be hostile."""
    folder.mkdir(parents=True, exist_ok=True)
    item_file = folder / "photo-001.txt"
    item_file.write_bytes(b"synthetic evidence bytes for " + case.encode())
    with open_session(workspace, "admin", key=key) as s:
        found = cases.get_case(s, case)
        src = sources.add_source(
            s,
            found.id,
            "survivor",
            SourceIdentity(name_ar=name, name_latin="Samer al-Homsi", phone="+000 0000"),
            description=f"former detainee: {text}",
            reliability="B",
        )
        testimonies.give_consent(s, src.id, "coi", note=text)
        testimony = testimonies.add_testimony(
            s,
            src.id,
            interview_date="2016-03",
            language="ar",
            summary=text,
            transcript=text,
            place="غازي عنتاب",
        )
        event = events.add_event(
            s,
            found.id,
            violation_type="extrajudicial_execution",
            title=f"{name}: hangings",
            date="2013-05",
            place="صيدنايا",
            count="20-50",
            description=text,
        )
        item = evidence.add_evidence(s, found.id, item_file, description=text)
        report = lists.import_list(s, LIST_FILE, list_name, organisation=name)
    return Seeded(found.code, src.code, testimony.code, event.code, item.code, report.list_name)
