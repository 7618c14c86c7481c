"""Importing lists through the service on both databases: provenance, all or nothing, replace."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from sijill.errors import ImportRejectedError, InputError, NotFoundError, PermissionDeniedError
from sijill.importers import ColumnMapping
from sijill.services import cases
from sijill.services import lists as service
from sijill.services.session import open_session
from sijill.simulate import preset_config, simulate, write_simulation
from sijill.store import audit
from sijill.store import lists as store
from sijill.store.schema import review_decisions
from sijill.workspace import Workspace

DATA = Path(__file__).parent / "data" / "lists"


def _counts(ws: Workspace) -> tuple[int, int]:
    with open_session(ws, "admin") as s:
        return len(store.list_lists(s.conn)), store.count_records(s.conn)


def test_import_keeps_provenance_raw_rows_and_parsed_fields(workspace: Workspace) -> None:
    path = DATA / "victims_ar.csv"
    with open_session(workspace, "admin") as s:
        report = service.import_list(s, path, "SNHR-test", organisation="synthetic")
    assert report.rows == 4 and report.victim_list is not None
    with open_session(workspace, "admin") as s:
        found = service.get_list(s, "SNHR-test")
        records = service.list_records(s, "SNHR-test")
        entries = audit.read_entries(s.conn)
    assert found.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (found.file_name, found.encoding, found.id_column) == (
        "victims_ar.csv",
        "utf-8-sig",
        "الرقم",
    )
    assert found.row_count == 4 and found.organisation == "synthetic"
    assert found.mapping["full_name"] == "الاسم الكامل"
    assert found.imported_at.tzinfo is not None
    assert [r.record_id for r in records] == ["ن-١", "ن-٢", "ن-٣", "ن-٤"]
    first = records[0]
    assert first.raw["الاسم الكامل"] == "محمد عبد الرحمن أحمد الحلبي"
    assert (first.given, first.family, first.sex, first.governorate_pcode) == (
        "محمد", "الحلبي", "male", "SY02",
    )  # fmt: skip
    assert str(first.death.earliest) == "2013-05-14" and first.birth.earliest is not None
    last = entries[-1]
    assert last.action == "list.import" and last.target == "list:SNHR-test"
    assert "محمد" not in json.dumps(last.details, ensure_ascii=False)


def test_records_frame_for_linkage(workspace: Workspace) -> None:
    with open_session(workspace, "admin") as s:
        service.import_list(s, DATA / "victims_ar.csv", "A")
        service.import_list(s, DATA / "victims_en.tsv", "B")
        frame = service.records_frame(s)
        only_b = service.records_frame(s, ["B"])
    assert len(frame) == 8 and list(frame["list"].unique()) == ["A", "B"]
    assert list(only_b["record_id"]) == ["V-001", "V-002", "V-003", "V-004"]
    assert {"given", "father", "family", "birth_earliest", "governorate_pcode"} <= set(
        frame.columns
    )


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("id,name,name\n1,a,b\n", "duplicate header"),
        ("", "the file is empty"),
        ("id,name\n", "no data rows"),
        ("id,name\n1,Ali\n2,Omar,extra\n", "row 2: 3 cells"),
        ("id,name,date of death\n1,Ali,2013\n2,Omar,31/02/2013\n", "row 2, column 'date of death'"),
        ("id,name\n1,Ali\n1,Omar\n", "row 2, column 'id': record id '1' already used by row 1"),
    ],
)
def test_bad_files_import_nothing(
    workspace: Workspace, tmp_path: Path, content: str, where: str
) -> None:
    with open_session(workspace, "admin") as s:
        service.import_list(s, DATA / "victims_en.tsv", "kept")
    before = _counts(workspace)
    path = tmp_path / "bad.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(ImportRejectedError, match=where), open_session(workspace, "admin") as s:
        service.import_list(s, path, "bad", id_column="id" if content else None)
    assert _counts(workspace) == before


def test_a_late_error_rolls_back_batches_already_written(
    workspace: Workspace, tmp_path: Path
) -> None:
    rows = [f"{i},Name{i},2013" for i in range(1, 12_001)]
    rows.append("12001,Late,31/02/2013")
    path = tmp_path / "late.csv"
    path.write_text("id,name,date of death\n" + "\n".join(rows) + "\n", "utf-8")
    with (
        pytest.raises(ImportRejectedError, match="row 12001"),
        open_session(workspace, "admin") as s,
    ):
        service.import_list(s, path, "late", id_column="id")
    assert _counts(workspace) == (0, 0)


def test_hostile_strings_are_stored_verbatim(workspace: Workspace) -> None:
    with open_session(workspace, "admin") as s:
        report = service.import_list(s, DATA / "hostile.csv", "hostile", id_column="id")
        records = service.list_records(s, "hostile")
    assert report.rows == 4
    assert records[0].given == '=HYPERLINK("http://example.invalid/x","click")'
    assert records[1].raw["name"] == "<script>alert('x')</script>"
    assert records[2].given == "Robert'); DROP TABLE list_records;--"
    assert any("formula" in n.message for n in report.notices)
    assert _counts(workspace) == (1, 4)


def test_names_are_unique_unless_replacing_and_replace_keeps_the_list(
    workspace: Workspace, tmp_path: Path
) -> None:
    with open_session(workspace, "admin") as s:
        first = service.import_list(s, DATA / "victims_en.tsv", "VDC")
    assert first.victim_list is not None
    with pytest.raises(InputError, match="already exists"), open_session(workspace, "admin") as s:
        service.import_list(s, DATA / "victims_en.tsv", "VDC")
    with open_session(workspace, "admin") as s:
        before = {r.record_id: r.id for r in service.list_records(s, "VDC")}
        # A reviewer's decision on two records must survive the list being replaced.
        s.conn.execute(
            insert(review_decisions).values(
                record_a_id=before["V-001"],
                record_b_id=before["V-002"],
                decision="reject",
                decided_by="admin",
                decided_at=datetime.now(UTC),
            )
        )
    smaller = tmp_path / "smaller.tsv"
    lines = (DATA / "victims_en.tsv").read_text("utf-8").splitlines()
    lines[2] = lines[2].replace("Khaled", "Khalid")
    smaller.write_text("\n".join([*lines[:3], "V-009\tNew\t\t\tPerson"]) + "\n", "utf-8")
    with open_session(workspace, "admin") as s:
        again = service.import_list(s, smaller, "VDC", replace=True)
        records = service.list_records(s, "VDC")
        entries = audit.read_entries(s.conn)
        decisions = s.conn.execute(select(review_decisions)).all()
    assert again.replaced and again.victim_list is not None
    assert again.victim_list.id == first.victim_list.id
    assert again.victim_list.file_name == "smaller.tsv" and again.victim_list.row_count == 3
    assert again.changes == {"added": 1, "updated": 2, "removed": 2}
    assert [r.record_id for r in records] == ["V-001", "V-002", "V-009"]
    assert {r.record_id: r.id for r in records[:2]} == {k: before[k] for k in ("V-001", "V-002")}
    assert records[1].given == "Khalid"
    assert len(decisions) == 1
    assert entries[-1].action == "list.replace" and entries[-1].details["removed"] == 2
    assert _counts(workspace) == (1, 3)


def test_a_rejected_replacement_keeps_the_old_records(workspace: Workspace, tmp_path: Path) -> None:
    with open_session(workspace, "admin") as s:
        service.import_list(s, DATA / "victims_en.tsv", "VDC")
    bad = tmp_path / "bad.csv"
    bad.write_text("Record ID,First Name\nV-1,Ali\nV-1,Omar\n", "utf-8")
    with pytest.raises(ImportRejectedError), open_session(workspace, "admin") as s:
        service.import_list(s, bad, "VDC", replace=True)
    with open_session(workspace, "admin") as s:
        assert service.get_list(s, "VDC").file_name == "victims_en.tsv"
    assert _counts(workspace) == (1, 4)


def test_preview_imports_nothing_and_flags_a_wrong_encoding(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "utf8.csv"
    shutil.copy(DATA / "victims_ar.csv", path)
    with open_session(workspace, "admin") as s:
        report = service.import_list(s, path, "P", encoding="windows-1256", preview=True)
    assert report.victim_list is None and report.rows == 0
    assert report.garbled is not None and "--encoding" in report.garbled
    with open_session(workspace, "admin") as s:
        fine = service.import_list(s, path, "P", preview=True, preview_rows=2)
    assert fine.garbled is None and len(fine.preview) == 2
    assert _counts(workspace) == (0, 0)


def test_mapping_and_id_column_override_the_guess(workspace: Workspace) -> None:
    with open_session(workspace, "admin") as s:
        by_file = service.import_list(
            s, DATA / "victims_en.tsv", "M1", mapping=DATA / "mapping_en.json"
        )
        explicit = service.import_list(
            s,
            DATA / "victims_en.tsv",
            "M2",
            mapping=ColumnMapping({"full_name": "First Name"}),
            id_column="Record ID",
        )
        records = service.list_records(s, "M1")
    assert by_file.mapping.column("place_of_death") is None
    assert records[2].place_text == "" and records[2].raw["Place of Death"]
    assert explicit.mapping.fields == {"record_id": "Record ID", "full_name": "First Name"}
    with pytest.raises(InputError, match="no column 'Nope'"), open_session(workspace, "admin") as s:
        service.import_list(s, DATA / "victims_en.tsv", "M3", id_column="Nope")


def test_permissions(workspace: Workspace) -> None:
    with open_session(workspace, "admin") as s:
        cases.add_user(s, "sami", "analyst")
        cases.add_user(s, "rana", "reviewer")
    with open_session(workspace, "sami") as s:
        service.import_list(s, DATA / "victims.jsonl", "J")
    with pytest.raises(PermissionDeniedError), open_session(workspace, "rana") as s:
        service.import_list(s, DATA / "victims.jsonl", "J2")
    with open_session(workspace, "rana") as s:
        assert [v.name for v in service.list_lists(s)] == ["J"]
        assert len(service.list_records(s, "J")) == 3
    with pytest.raises(NotFoundError), open_session(workspace, "rana") as s:
        service.get_list(s, "missing")


@pytest.mark.slow
def test_simulated_lists_import_whole(workspace: Workspace, tmp_path: Path) -> None:
    result = simulate(preset_config("realistic", people=300, lists=4, seed=7))
    write_simulation(result, tmp_path / "sim")
    config = json.loads((tmp_path / "sim" / "config.json").read_text("utf-8"))
    truth = (tmp_path / "sim" / "truth.csv").read_text("utf-8").splitlines()[1:]
    with open_session(workspace, "admin") as s:
        for lst in config["lists"]:
            report = service.import_list(s, tmp_path / "sim" / lst["file"], lst["name"])
            assert report.id_column == lst["id_column"], lst
            assert report.rows == lst["records"]
            mapped = set(report.mapping.fields.values())
            assert mapped == set(lst["columns"].values()), lst
        frame = service.records_frame(s)
    pairs = {(r.split(",")[0], r.split(",")[1]) for r in truth}
    assert set(zip(frame["list"], frame["record_id"], strict=True)) == pairs
    assert (frame["given"] != "").all() and (frame["family"] != "").all()


def test_demo_imports_four_simulated_lists(tmp_path: Path) -> None:
    from sijill.demo import build_demo
    from tests.conftest import TEST_KDF

    builder = build_demo(tmp_path / "demo", "demo passphrase", kdf=TEST_KDF, only={"lists"})
    facts = builder.facts["lists"]
    assert isinstance(facts, dict) and facts["names"] == ["A", "B", "C", "D"]
    assert Path(facts["truth"]).is_file() and facts["true_N"] == 2000
    assert any(line.startswith("Victim lists: 4 simulated lists") for line in builder.lines)
    truth_rows = len(Path(facts["truth"]).read_text("utf-8").splitlines()) - 1
    with open_session(builder.workspace, "admin", key=builder.key) as s:
        assert store.count_records(s.conn) == truth_rows
    builder.workspace.close()
