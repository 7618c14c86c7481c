"""Column mapping: guesses from Arabic and English headers, overrides, mapping-file round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sijill.errors import InputError
from sijill.importers import ColumnMapping, guess_mapping, read_mapping_file
from sijill.simulate.formatting import HEADERS

DATA = Path(__file__).parent / "data" / "lists"


@pytest.mark.parametrize("language", sorted(HEADERS))
def test_every_simulated_header_language_maps_completely(language: str) -> None:
    headers = HEADERS[language]
    # A list with separate name parts, and one with a single full-name column.
    parts = [h for f, h in headers.items() if f != "full_name"]
    mapping = guess_mapping(parts)
    expected = {("record_id" if f == "id" else f): h for f, h in headers.items()}
    for fld, column in expected.items():
        sijill_field = {"date_of_death": "death_date"}.get(fld, fld)
        if fld != "full_name":
            assert mapping.column(sijill_field) == column, (language, fld)
    full = guess_mapping([headers["id"], headers["full_name"], headers["sex"]])
    assert full.column("full_name") == headers["full_name"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("victim_name", "full_name"),
        ("Full Name", "full_name"),
        ("الاسم الثلاثي", "full_name"),
        ("Name of the victim", "full_name"),
        ("اسم الاب", "father"),
        ("Father's Name", "father"),
        ("اسم الجد", "grandfather"),
        ("العائلة", "family"),
        ("اللقب", "family"),
        ("Surname", "family"),
        ("اسم الأم", "mother"),
        ("Gender", "sex"),
        ("الجنس", "sex"),
        ("DOB", "birth_date"),
        ("سنة الميلاد", "birth_year"),
        ("Year of birth", "birth_year"),
        ("Age at death", "age"),
        ("العمر", "age"),
        ("Date of death (approx.)", "death_date"),
        ("تاريخ الاستشهاد", "death_date"),
        ("Province", "governorate"),
        ("محافظة", "governorate"),
        ("Place of death", "place_of_death"),
        ("مكان الوفاة", "place_of_death"),
        ("Record ID", "record_id"),
        ("الرقم", "record_id"),
    ],
)
def test_headers_in_either_language_map_to_fields(header: str, field: str) -> None:
    assert guess_mapping([header]).fields == {field: header}


def test_a_plain_name_column_is_given_name_only_beside_other_parts() -> None:
    assert guess_mapping(["Name", "Sex"]).column("full_name") == "Name"
    with_parts = guess_mapping(["Name", "Father Name", "Family"])
    assert with_parts.column("given") == "Name" and with_parts.column("full_name") is None
    assert guess_mapping(["الاسم", "الكنية"]).column("given") == "الاسم"


def test_unrecognised_columns_stay_unmapped() -> None:
    mapping = guess_mapping(["id", "notes", "source organisation"])
    assert mapping.fields == {"record_id": "id"}


def test_mapping_file_round_trip_and_override(tmp_path: Path) -> None:
    headers = ["Record ID", "First Name", "Last Name", "Place of Death", "Remarks"]
    guessed = guess_mapping(headers)
    path = guessed.save(tmp_path / "m.json")
    doc = json.loads(path.read_text("utf-8"))
    assert doc["format"] == "sijill-column-mapping" and doc["version"] == 1
    assert read_mapping_file(path) == guessed.fields
    assert guessed.overridden_by(read_mapping_file(path)) == guessed

    override = guessed.overridden_by(read_mapping_file(DATA / "mapping_en.json"))
    assert override.column("place_of_death") is None
    moved = guessed.overridden_by({"full_name": "First Name"})
    assert moved.column("full_name") == "First Name" and moved.column("given") is None


def test_arabic_mapping_file_stays_readable(tmp_path: Path) -> None:
    path = ColumnMapping({"given": "الاسم"}).save(tmp_path / "ar.json")
    assert "الاسم" in path.read_text("utf-8")


def test_bad_mappings_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown field"):
        ColumnMapping({"nickname": "x"})
    with pytest.raises(InputError, match="more than one field"):
        ColumnMapping({"given": "x", "family": "x"})
    with pytest.raises(InputError, match="lacks"):
        ColumnMapping({"given": "First"}).check_headers(["Name"], "f.csv")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(InputError, match="not a JSON mapping file"):
        read_mapping_file(bad)
    bad.write_text('{"fields": {"age": 3}}', "utf-8")
    with pytest.raises(InputError, match="expected"):
        read_mapping_file(bad)
    bad.write_text('{"fields": {"height": "h"}}', "utf-8")
    with pytest.raises(InputError, match="unknown field"):
        read_mapping_file(bad)
    with pytest.raises(InputError, match="no such mapping file"):
        read_mapping_file(tmp_path / "missing.json")
