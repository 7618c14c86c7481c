"""Records named in a URL, checked to belong to the case the URL names (else 404)."""

from __future__ import annotations

from sijill.domain.cases import Case
from sijill.domain.evidence import EvidenceItem
from sijill.domain.sources import Source
from sijill.domain.testimonies import Testimony
from sijill.errors import NotFoundError
from sijill.services import cases, evidence, sources, testimonies
from sijill.services.session import Session


def source_in_case(s: Session, case: str, code: str) -> tuple[Case, Source]:
    """A case and one of its sources (the services check the rights)."""
    found_case = cases.get_case(s, case)
    source = sources.get_source(s, code)
    if source.case_id != found_case.id:
        raise NotFoundError(f"no source {code!r} in case {found_case.code}")
    return found_case, source


def testimony_in_case(s: Session, case: str, code: str) -> tuple[Case, Testimony]:
    """A case and one of its testimonies."""
    found_case = cases.get_case(s, case)
    found = testimonies.get_testimony(s, code)
    if found.case_id != found_case.id:
        raise NotFoundError(f"no testimony {code!r} in case {found_case.code}")
    return found_case, found


def evidence_in_case(s: Session, case: str, code: str) -> tuple[Case, EvidenceItem]:
    """A case and one of its evidence items."""
    found_case = cases.get_case(s, case)
    for item in evidence.list_evidence(s, found_case.id):
        if item.code == code:
            return found_case, item
    raise NotFoundError(f"no evidence item {code!r} in case {found_case.code}")
