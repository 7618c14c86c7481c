"""Report sections and packages read the same from SQLite and PostgreSQL workspaces."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sijill.domain.sources import SourceIdentity
from sijill.reports.package import verify_package
from sijill.reports.settings import ReportSettings
from sijill.reports.stamps import sha256_of
from sijill.services import cases, claims, events, evidence, sources, testimonies
from sijill.services.packages import build_package
from sijill.services.reports import collect_sections
from sijill.services.session import open_session
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace


def _small_case(ws: Workspace, key: WorkspaceKey, tmp_path: Path) -> None:
    with open_session(ws, "admin", key=key) as s:
        case = cases.create_case(s, "K1", "Synthetic case")
        witness = sources.add_source(
            s, case.id, "survivor", SourceIdentity(name_ar="زيد عمرو", name_latin="Zayd Amr")
        )
        hidden = sources.add_source(s, case.id, "family")
        testimonies.give_consent(s, witness.code, "public", date(2020, 1, 1))
        testimonies.give_consent(s, hidden.code, "iiim", date(2020, 1, 1))
        told = testimonies.add_testimony(s, witness.code, interview_date="2019-05", summary="x")
        testimonies.add_testimony(s, hidden.code, interview_date="2019-06", summary="y")
        hangings = events.add_event(
            s, case.id, violation_type="extrajudicial_execution", title="H", date="2012 to 2013"
        )
        subject = f"event:{hangings.code}"
        claims.add_claim(
            s, told.code, subject=subject, attribute="count", value="10-20", basis="saw"
        )
        claims.add_claim(
            s, told.code, subject=subject, attribute="frequency", value="1", basis="saw"
        )
        file = tmp_path / "register.csv"
        file.write_text("id;date\n1;2013-01-02\n")
        evidence.add_evidence(s, case.id, file, description="register")


def test_sections_and_package_on_each_backend(
    workspace_and_key: tuple[Workspace, WorkspaceKey], tmp_path: Path
) -> None:
    ws, key = workspace_and_key
    _small_case(ws, key, tmp_path)
    settings = ReportSettings(
        case="K1", scope="public", consent_day="2021-01-01", testimony_draws=2000
    )
    with open_session(ws, "admin", key=key) as s:
        sections = collect_sections(s, settings)
        again = collect_sections(s, settings)
        package = build_package(s, "public", tmp_path / "pkg", "K1", on=date(2021, 1, 1))
    assert sha256_of(sections) == sha256_of(again)
    kinds = {k["kind"]: k for k in sections["sources"]["kinds"]}
    assert kinds["survivor"]["listed"] == [{"code": "W-001", "reliability": None}]
    assert kinds["family"]["not_listed"] == 1
    (row,) = sections["testimony"]
    assert (row["per_event"], row["per_week"], row["period_from"]) == ("10-20", "1", "event")
    assert row["arithmetic"][0] < row["estimate"] < row["arithmetic"][1]
    assert sections["linkage"] is None and sections["map"]["measure"] == "events"
    assert package.testimonies == ["T-001"] and package.evidence == ["EV-001"]
    assert verify_package(package.directory, package.fingerprint).ok
