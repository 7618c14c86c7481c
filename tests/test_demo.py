"""`sijill demo` builds a complete synthetic case and says what it built."""

from __future__ import annotations

from pathlib import Path

import pytest

from sijill.demo import build_demo
from sijill.services import cases, claims, evidence, sources, testimonies
from sijill.services.session import open_session
from tests.conftest import TEST_KDF

BASE_ONLY = {"case"}


def test_demo_builds_the_base_case(tmp_path: Path) -> None:
    builder = build_demo(tmp_path / "demo", "demo passphrase", kdf=TEST_KDF, only=BASE_ONLY)
    assert any("Case SAY" in line for line in builder.lines)
    ws = builder.workspace
    with open_session(ws, "admin", key=builder.key) as s:
        case = cases.get_case(s, "SAY")
        views = sources.list_sources(s, case.id)
        kinds = {v.source.kind for v in views}
        assert kinds == {
            "survivor",
            "guard_official",
            "judge_lawyer",
            "family",
            "other_witness",
            "document",
            "organisation_list",
            "media",
        }
        langs = {t.current.language for t in testimonies.list_testimonies(s, case.id)}
        assert langs == {"ar", "en"}
        assert len(claims.list_claims(s, case.id)) == 16
        checked, problems = evidence.verify_evidence(s)
        assert checked == 3 and problems == []
    with open_session(ws, "sami", key=builder.key) as s:
        assert all(v.identity is None for v in sources.list_sources(s, case.id, with_identity=True))
    ws.close()


def test_demo_identities_are_not_in_the_database_file(tmp_path: Path) -> None:
    builder = build_demo(tmp_path / "demo", "demo passphrase", kdf=TEST_KDF, only=BASE_ONLY)
    data = b"".join(p.read_bytes() for p in (tmp_path / "demo").rglob("*") if p.is_file())
    for needle in ("al-Najjar", "النجار", "al-Dabbagh", "الدباغ"):
        assert needle.encode("utf-8") not in data
        assert needle.encode("utf-16-le") not in data
    builder.workspace.close()


def test_demo_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "keep.txt").write_text("x")
    from sijill.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="not empty"):
        build_demo(tmp_path / "demo", "demo passphrase", kdf=TEST_KDF, only=BASE_ONLY)
