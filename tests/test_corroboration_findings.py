"""Hand-built cases with known answers: findings, independence, contradictions, withdrawals."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sijill.corroboration import (
    CaseEvidence,
    CorroborationReport,
    CorroborationSettings,
    FindingStatus,
    Resolution,
    corroborate_case,
)
from sijill.domain.claims import Claim, ClaimValue
from sijill.domain.dates import parse_uncertain_date
from sijill.domain.ranges import parse_count_range
from sijill.domain.sources import Source, SourceRelation
from sijill.errors import InputError

SUBJECT = "event:E-001"


def _sources(*grades: str | None) -> tuple[Source, ...]:
    """W-001, W-002 … with the given reliability grades (id n is W-00n)."""
    return tuple(
        Source(n, 1, f"W-{n:03d}", "survivor", "", grade) for n, grade in enumerate(grades, 1)
    )


def _value(attribute: str, text: str) -> ClaimValue:
    if attribute == "date":
        return ClaimValue(text, date=parse_uncertain_date(text))
    if attribute == "count":
        return ClaimValue(text, count=parse_count_range(text))
    return ClaimValue(text)


def _claim(
    cid: int,
    source: int,
    text: str,
    *,
    attribute: str = "date",
    basis: str = "saw",
    heard: int | None = None,
    credibility: int | None = None,
    subject: str = SUBJECT,
) -> Claim:
    return Claim(
        cid,
        1,
        100 + cid,  # one testimony per claim: T-(100+cid)
        source,
        subject,
        attribute,
        _value(attribute, text),
        basis,
        heard,
        "",
        credibility,
    )


def _relation(a: int, b: int, kind: str) -> SourceRelation:
    return SourceRelation(0, a, b, kind)


def _run(
    claims: list[Claim],
    n_sources: int = 6,
    relations: tuple[SourceRelation, ...] = (),
    *,
    withdrawn: frozenset[int] = frozenset(),
    resolutions: tuple[Resolution, ...] = (),
    min_independent: int = 2,
    grades: tuple[str | None, ...] | None = None,
) -> CorroborationReport:
    evidence = CaseEvidence(
        claims=tuple(claims),
        sources=_sources(*(grades or ("B",) * n_sources)),
        relations=relations,
        withdrawn_testimonies=withdrawn,
        testimony_codes={100 + c.id: f"T-{100 + c.id}" for c in claims},
        resolutions=resolutions,
        case_code="TEST",
    )
    return corroborate_case(evidence, CorroborationSettings(min_independent=min_independent))


def test_two_witnesses_who_both_heard_it_from_a_third_count_as_one() -> None:
    report = _run(
        [
            _claim(1, 1, "2013", basis="saw"),
            _claim(2, 3, "2013", basis="heard_from", heard=2),
            _claim(3, 4, "2013", basis="heard_from", heard=2),
        ]
    )
    (finding,) = report.findings
    assert len(finding.groups) == 2
    hearsay = next(g for g in finding.groups if not g.direct)
    assert hearsay.members == ("W-003", "W-004") and hearsay.via == ("W-002",)
    assert "W-003 and W-004 both heard it from W-002" in hearsay.explanation
    assert "count as one" in hearsay.explanation
    assert finding.independent_direct == 1
    assert finding.status is FindingStatus.SINGLE_SOURCE


def test_hearsay_adds_nothing_when_its_origin_says_it_first_hand() -> None:
    report = _run(
        [
            _claim(1, 2, "2013", basis="took_part"),
            _claim(2, 3, "2013", basis="heard_from", heard=2),
            _claim(3, 4, "2013", basis="heard_from", heard=2),
            _claim(4, 5, "2013", basis="saw"),
        ]
    )
    (finding,) = report.findings
    assert [g.members for g in finding.groups] == [("W-002", "W-003", "W-004"), ("W-005",)]
    assert "add nothing to W-002's account" in finding.groups[0].explanation
    assert finding.independent_direct == 2
    assert finding.status is FindingStatus.CORROBORATED


@pytest.mark.parametrize("min_independent", [1, 2, 5])
def test_a_finding_backed_only_by_hearsay_is_never_corroborated(min_independent: int) -> None:
    claims = [_claim(n, n, "2013", basis="heard_from", heard=n + 5) for n in range(1, 6)]
    report = _run(claims, n_sources=10, min_independent=min_independent)
    (finding,) = report.findings
    assert len(finding.groups) == 5  # five independent lines of hearsay …
    assert finding.independent_direct == 0  # … and no first-hand knowledge
    assert finding.status is FindingStatus.HEARSAY_ONLY
    assert "never corroborates" in finding.reasons[0]


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        ("relative_of", "are relatives"),
        ("interviewed_together", "were interviewed together"),
        ("same_intermediary", "same intermediary"),
        ("same_organisation", "same organisation"),
        ("heard_from", "heard from"),
    ],
)
def test_related_sources_count_once(kind: str, phrase: str) -> None:
    claims = [_claim(1, 1, "2013"), _claim(2, 2, "2013")]
    report = _run(claims, relations=(_relation(2, 1, kind),))
    (finding,) = report.findings
    assert [g.members for g in finding.groups] == [("W-001", "W-002")]
    assert phrase in finding.groups[0].explanation
    assert finding.status is FindingStatus.SINGLE_SOURCE
    # Without the relation they are two independent eyewitnesses.
    assert _run(claims).findings[0].status is FindingStatus.CORROBORATED


def test_ties_are_transitive_through_a_source_who_makes_no_claim() -> None:
    claims = [_claim(1, 1, "2013"), _claim(2, 2, "2013"), _claim(3, 4, "2013")]
    family = (_relation(1, 3, "relative_of"), _relation(2, 3, "relative_of"))
    (finding,) = _run(claims, relations=family).findings
    assert [g.members for g in finding.groups] == [("W-001", "W-002"), ("W-004",)]
    assert finding.groups[0].via == ("W-003",)


def test_detained_together_is_noted_but_not_merged() -> None:
    claims = [_claim(1, 1, "2013"), _claim(2, 2, "2013")]
    (finding,) = _run(claims, relations=(_relation(1, 2, "detained_with"),)).findings
    assert finding.status is FindingStatus.CORROBORATED
    assert any("detained together" in r for r in finding.reasons)


def test_disjoint_date_ranges_are_flagged_and_overlapping_ones_are_not() -> None:
    report = _run(
        [
            _claim(1, 1, "2011-09 to 2015-12"),
            _claim(2, 2, "2012/2013"),
            _claim(3, 3, "2009"),
        ]
    )
    pairs = {(c.claim_a.claim_id, c.claim_b.claim_id) for c in report.contradictions}
    assert pairs == {(1, 3), (2, 3)}
    assert all("do not overlap" in c.reason for c in report.contradictions)
    assert [sorted(c.claim_id for c in f.claims) for f in report.findings] == [[1, 2], [3]]


def test_a_vague_claim_fitting_two_contradicting_groups_supports_both() -> None:
    report = _run(
        [
            _claim(1, 1, "2011/2012"),
            _claim(2, 2, "2011/2015"),
            _claim(3, 3, "2014/2015"),
        ]
    )
    ids = [sorted(c.claim_id for c in f.claims) for f in report.findings]
    assert ids == [[1, 2], [2, 3]]
    for finding in report.findings:
        assert any(r.startswith("Broad enough") and "#2 (W-002" in r for r in finding.reasons)
        assert finding.status is FindingStatus.CONTESTED
    # No finding contains a contradiction of its own.
    for pair in report.contradictions:
        assert not set(pair.findings[0]) & set(pair.findings[1])


def test_withdrawing_a_testimony_updates_every_status() -> None:
    claims = [
        _claim(1, 1, "2013"),
        _claim(2, 2, "2013"),
        _claim(3, 3, "2009"),
        _claim(4, 3, "20-50", attribute="count"),
        _claim(5, 4, "20-50", attribute="count"),
    ]
    before = _run(claims)
    assert [f.status for f in before.findings] == [
        FindingStatus.CORROBORATED,
        FindingStatus.CONTESTED,
        FindingStatus.CONTESTED,
    ]
    # W-003 withdraws both testimonies (T-103, T-104); W-002's claim T-102 goes too.
    after = _run(claims, withdrawn=frozenset({102, 103, 104}))
    assert [f.status for f in after.findings] == [
        FindingStatus.SINGLE_SOURCE,
        FindingStatus.SINGLE_SOURCE,
    ]
    assert after.contradictions == ()
    assert {e.claim.claim_id for e in after.excluded} == {2, 3, 4}
    assert all("withdrawn" in e.reason for e in after.excluded)
    assert any("Not counted: claim #2" in r for r in after.findings[1].reasons)


def test_every_status_comes_with_reasons() -> None:
    claims = [
        _claim(1, 1, "2013"),
        _claim(2, 2, "2013"),
        _claim(3, 3, "2013"),  # date 2013: three independent eyewitnesses
        _claim(4, 1, "5-10", attribute="count"),
        _claim(5, 2, "5-10", attribute="count"),  # count 5–10: two
        _claim(6, 3, "Najha", attribute="place"),  # place: one
        _claim(7, 4, "2-3", attribute="duration", basis="heard_from", heard=5),
        _claim(8, 1, "died", attribute="outcome"),
        _claim(9, 2, "released", attribute="outcome"),
    ]
    report = _run(claims, min_independent=3)
    statuses = {f.status for f in report.findings}
    assert statuses == set(FindingStatus)
    for finding in report.findings:
        assert finding.reasons
        label = finding.support.label.split()[0].capitalize()
        assert finding.reasons[0].startswith(label), finding.reasons[0]
        if finding.status is FindingStatus.CONTESTED:
            assert any(r.startswith("Contested by") for r in finding.reasons)


def test_a_resolution_lifts_the_contest_and_is_shown() -> None:
    claims = [_claim(1, 1, "20-50", attribute="count"), _claim(2, 2, "5-10", attribute="count")]
    assert {f.status for f in _run(claims).findings} == {FindingStatus.CONTESTED}
    when = datetime(2026, 1, 5, tzinfo=UTC)
    note = "W-002 described 2011, when the groups were smaller"
    report = _run(claims, resolutions=(Resolution(2, 1, note, "nour", when),))
    assert {f.status for f in report.findings} == {FindingStatus.SINGLE_SOURCE}
    (pair,) = report.contradictions
    assert pair.resolved and pair.resolutions[0].resolved_by == "nour"
    assert any(
        "resolved by nour on 2026-01-05" in r and note in r for r in report.findings[0].reasons
    )


def test_hearsay_does_not_contest_first_hand_knowledge_but_is_listed() -> None:
    claims = [
        _claim(1, 1, "2012/2013"),
        _claim(2, 2, "2012/2013", basis="took_part"),
        _claim(3, 3, "2009", basis="heard_from", heard=2),
    ]
    report = _run(claims)
    direct, hearsay = report.findings
    assert direct.status is FindingStatus.CORROBORATED
    assert any("hearsay does not contest" in r for r in direct.reasons)
    assert hearsay.status is FindingStatus.CONTESTED and hearsay.support.value == "hearsay_only"
    assert any("W-002's own first-hand account" in r for r in hearsay.reasons)
    assert len(report.contradictions) == 2


def test_several_actors_are_separate_findings_not_contradictions() -> None:
    claims = [
        _claim(1, 1, "Military Police", attribute="actor"),
        _claim(2, 2, "military police", attribute="actor"),
        _claim(3, 3, "Air Force Intelligence", attribute="actor"),
    ]
    report = _run(claims)
    assert [len(f.claims) for f in report.findings] == [2, 1]
    assert report.contradictions == ()
    assert report.findings[0].status is FindingStatus.CORROBORATED


def test_reliability_weights_but_never_hides() -> None:
    claims = [_claim(1, 1, "2013", credibility=1), _claim(2, 2, "2013")]
    report = _run(claims, grades=("A", "E"))
    (finding,) = report.findings
    assert finding.status is FindingStatus.CORROBORATED
    assert [c.weight for c in finding.claims] == [1.0, 0.1]
    assert finding.score == pytest.approx(1.1)
    assert {c.source for c in finding.claims} == {"W-001", "W-002"}
    assert any("W-002 (E: Unreliable)" in r for r in finding.reasons)


def test_matrix_and_dict_are_complete_and_serialisable() -> None:
    claims = [
        _claim(1, 1, "2013"),
        _claim(2, 3, "2013", basis="heard_from", heard=2),
        _claim(3, 2, "Najha", attribute="place", basis="document"),
    ]
    report = _run(claims)
    assert [s.code for s in report.matrix.sources] == ["W-001", "W-002", "W-003"]
    assert [r.cells for r in report.matrix.rows] == [
        ("saw", "", "heard from W-002"),
        ("", "document", ""),
    ]
    data = json.loads(json.dumps(report.to_dict()))
    assert data["summary"]["findings"] == 2
    assert data["findings"][0]["claims"][1]["basis_text"] == "heard from W-002"
    assert data["settings"] == {"min_independent": 2}


def test_min_independent_must_be_positive() -> None:
    with pytest.raises(InputError, match="at least 1"):
        CorroborationSettings(min_independent=0)


def test_many_overlapping_values_split_only_where_they_must() -> None:
    # 300 distinct but overlapping counts ("at least n") agree with one another; "exactly 1"
    # agrees only with "at least 1", which therefore supports both findings.
    claims = [_claim(n, n, f"at least {n}", attribute="count") for n in range(1, 301)]
    claims.append(_claim(301, 301, "1", attribute="count"))
    report = _run(claims, n_sources=301)
    big, small = report.findings
    assert len(big.claims) == 300 and big.independent_direct == 300 and big.value == "≥300"
    assert [c.claim_id for c in small.claims] == [1, 301] and small.value == "1"
    assert len(report.contradictions) == 299


def test_a_claim_from_an_edited_testimony_is_flagged_but_still_counted() -> None:
    claims = [_claim(1, 1, "2013"), _claim(2, 2, "2013")]
    evidence = CaseEvidence(
        claims=tuple(claims),
        sources=_sources("B", "B"),
        testimony_codes={101: "T-101", 102: "T-102"},
        testimony_versions={101: 1, 102: 3},
    )
    (finding,) = corroborate_case(evidence).findings
    assert finding.status is FindingStatus.CORROBORATED
    flagged = [r for r in finding.reasons if "since been edited" in r]
    assert flagged == [
        "Claim #2 (W-002) was recorded from version 1 of T-102, which has since been edited "
        "(now version 3): check that the passage still says this."
    ]


def test_values_that_cannot_be_compared_are_listed_for_review_not_contradicted() -> None:
    claims = [
        _claim(1, 1, "20-50", attribute="count"),
        _claim(2, 2, "20-50", attribute="count"),
    ]
    # As the claims service types it: words stay text ("dozens" has no digits to read).
    claims[1] = replace(claims[1], value=ClaimValue("dozens"))
    report = _run(claims)
    assert report.contradictions == ()
    (pair,) = report.to_review
    assert pair.verdict == "not_comparable" and "dozens" in pair.reason
    assert [f.status for f in report.findings] == [FindingStatus.SINGLE_SOURCE] * 2
