"""The corroboration service on a real workspace (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from sijill.corroboration import FindingStatus
from sijill.domain.sources import SourceIdentity
from sijill.errors import InputError, PermissionDeniedError
from sijill.services import cases, claims, corroboration, sources, testimonies
from sijill.services.session import open_session
from sijill.store import audit
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace

#: Planted in identities, descriptions, testimony texts and passages: must never be output.
SECRETS = ("Planted Qasimova", "زبيدة المزروعة", "+963 944 000 111", "SECRET-DESC", "SECRET-QUOTE")


@dataclass
class Built:
    case_id: int
    codes: list[str]
    testimonies: list[str]
    claim_ids: list[int]


def _build(ws: Workspace, key: WorkspaceKey) -> Built:
    """W-001 and W-002 saw it in 2013; W-003 heard it from W-002; W-004 says 2009."""
    with open_session(ws, "admin", key=key) as s:
        case = cases.create_case(s, "TST", "Corroboration test case")
        cases.add_user(s, "sami", "analyst")
        cases.add_member(s, case.id, "sami")
        codes, t_codes = [], []
        for n, grade in enumerate(("B", "C", "C", "A"), start=1):
            identity = SourceIdentity(
                name_ar="زبيدة المزروعة",
                name_latin=f"Planted Qasimova {n}",
                phone="+963 944 000 111",
            )
            src = sources.add_source(s, case.id, "survivor", identity, "SECRET-DESC", grade)
            codes.append(src.code)
            t = testimonies.add_testimony(
                s, src.code, interview_date="2016", summary="SECRET-QUOTE in the summary"
            )
            t_codes.append(t.code)
        ids = []
        for index, value, basis, heard in (
            (0, "2013", "saw", None),
            (1, "2013-05", "took_part", None),
            (2, "2013", "heard_from", codes[1]),
            (3, "2009", "saw", None),
        ):
            c = claims.add_claim(
                s,
                t_codes[index],
                subject="event:E-001",
                attribute="date",
                value=value,
                basis=basis,
                heard_from=heard,
                passage="SECRET-QUOTE",
            )
            ids.append(c.id)
    return Built(case.id, codes, t_codes, ids)


def test_corroborate_reports_findings_groups_and_contradictions(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    built = _build(ws, key)
    with open_session(ws, "sami") as s:
        report = corroboration.corroborate(s, built.case_id)
    assert report.case == "TST"
    first, second = report.findings
    assert first.support is FindingStatus.CORROBORATED and first.status is FindingStatus.CONTESTED
    assert [g.members for g in first.groups] == [("W-001",), ("W-002", "W-003")]
    assert second.status is FindingStatus.CONTESTED
    assert {(c.claim_a.claim_id, c.claim_b.claim_id) for c in report.contradictions} == {
        (built.claim_ids[0], built.claim_ids[3]),
        (built.claim_ids[1], built.claim_ids[3]),
        (built.claim_ids[2], built.claim_ids[3]),
    }
    with open_session(ws, "sami") as s:
        stricter = corroboration.corroborate(s, built.case_id, min_independent=3)
    assert stricter.findings[0].support is FindingStatus.BELOW_THRESHOLD


def test_no_identity_or_testimony_text_in_the_output(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    built = _build(ws, key)
    for user in ("sami", "admin"):  # an analyst, and an admin cleared for identities
        with open_session(ws, user, key=key) as s:
            report = corroboration.corroborate(s, built.case_id)
        text = json.dumps(report.to_dict(), ensure_ascii=False) + repr(report)
        text += "\n".join(report.summary_lines())
        for secret in SECRETS:
            assert secret not in text, (user, secret)
        assert "W-001" in text


def test_withdrawing_a_testimony_updates_the_statuses(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    built = _build(ws, key)
    with open_session(ws, "admin", key=key) as s:
        testimonies.withdraw_testimony(s, built.testimonies[3], "source asked to withdraw")
        report = corroboration.corroborate(s, built.case_id)
    (finding,) = report.findings
    assert finding.status is FindingStatus.CORROBORATED
    assert report.contradictions == ()
    (excluded,) = report.excluded
    assert excluded.claim.source == "W-004" and "withdrawn" in excluded.reason


def test_resolving_a_contradiction_is_recorded_audited_and_shown(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    built = _build(ws, key)
    a, b, c, d = built.claim_ids
    with open_session(ws, "admin", key=key) as s:
        for first, second in ((a, d), (b, d), (c, d)):
            corroboration.resolve_contradiction(s, second, first, "W-004 confused two events")
        report = corroboration.corroborate(s, built.case_id)
        entries = [e for e in audit.read_entries(s.conn) if e.action == "claim.resolve"]
    assert len(entries) == 3 and "confused" not in json.dumps([e.details for e in entries])
    assert all(p.resolved for p in report.contradictions)
    assert report.contradictions[0].resolutions[0].resolved_by == "admin"
    assert [f.status for f in report.findings] == [
        FindingStatus.CORROBORATED,
        FindingStatus.SINGLE_SOURCE,
    ]


def test_refusals_outsiders_analysts_and_pairs_that_do_not_contradict(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    built = _build(ws, key)
    a, b, _, d = built.claim_ids
    with open_session(ws, "admin", key=key) as s:
        cases.add_user(s, "rana", "reviewer")  # not a member of the case
    with pytest.raises(PermissionDeniedError), open_session(ws, "rana") as s:
        corroboration.corroborate(s, built.case_id)
    with pytest.raises(PermissionDeniedError), open_session(ws, "sami") as s:
        corroboration.resolve_contradiction(s, a, d, "analysts may not write")
    with open_session(ws, "admin", key=key) as s:
        with pytest.raises(InputError, match="do not contradict"):
            corroboration.resolve_contradiction(s, a, b, "they agree")
        with pytest.raises(InputError, match="needs a note"):
            corroboration.resolve_contradiction(s, a, d, "  ")
        with pytest.raises(InputError, match="itself"):
            corroboration.resolve_contradiction(s, a, a, "same claim")
