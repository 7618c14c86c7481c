"""The demo case's claims give the known corroboration answers its author wrote them for."""

from __future__ import annotations

from pathlib import Path

from sijill.corroboration import FindingStatus
from sijill.demo import build_demo
from sijill.services import corroboration
from sijill.services.session import open_session
from tests.conftest import TEST_KDF


def test_demo_case_corroborates_depends_and_contradicts(tmp_path: Path) -> None:
    builder = build_demo(
        tmp_path / "demo", "demo passphrase", kdf=TEST_KDF, only={"case", "corroboration"}
    )
    try:
        assert any(line.startswith("Corroboration: 8 findings") for line in builder.lines)
        with open_session(builder.workspace, "rana") as s:  # a reviewer may read the report
            report = corroboration.corroborate(s, 1)
    finally:
        builder.workspace.close()
    by_key = {(f.attribute, f.value): f for f in report.findings}
    place = by_key[("place", "basement of the white building")]
    assert place.status is FindingStatus.CORROBORATED and place.independent_direct == 2
    assert [g.members for g in place.groups] == [("W-001", "W-006"), ("W-002", "W-003", "W-004")]
    assert "interviewed together" in place.groups[0].explanation
    # The count contradiction (5–10 against 20–50 / 30–50) was reconciled by the demo.
    assert by_key[("count", "30–50")].status is FindingStatus.CORROBORATED
    assert by_key[("count", "5–10")].status is FindingStatus.SINGLE_SOURCE
    # The impossible date of 2009 is hearsay through W-002, whose own account disagrees.
    hearsay = by_key[("date", "2009")]
    assert hearsay.support is FindingStatus.HEARSAY_ONLY
    assert hearsay.status is FindingStatus.CONTESTED
    assert by_key[("date", "2012-01 to 2013-12")].status is FindingStatus.CORROBORATED
    assert by_key[("place", "Najha")].sources == ("D-001", "W-007")
    assert [c.resolved for c in report.contradictions] == [True, True, False, False]
