"""Row parsing: names, sex codes, dates and ages, governorates, hostile cells, row errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sijill.domain.dates import DatePrecision, parse_uncertain_date
from sijill.domain.lists import ListRecord
from sijill.errors import ImportRejectedError, InputError
from sijill.importers import guess_mapping, open_table, parse_table, preview_table, safe_cell
from sijill.importers.name_split import split_full_name
from sijill.importers.parse_row import (
    RowParser,
    approximate_governorate,
    birth_from_age,
    normalise_sex,
    parse_age,
)

DATA = Path(__file__).parent / "data" / "lists"


@pytest.mark.parametrize(
    ("code", "sex"),
    [
        ("M", "male"), ("m", "male"), ("Male", "male"), ("ذكر", "male"), ("ذ", "male"),
        ("F", "female"), ("female", "female"), ("أنثى", "female"), ("انثى", "female"),
        ("أ", "female"), ("", "unknown"), ("غير معروف", "unknown"), ("?", "unknown"),
        ("X", None), ("1", None),
    ],
)  # fmt: skip
def test_sex_codes(code: str, sex: str | None) -> None:
    assert normalise_sex(code) == sex


@pytest.mark.parametrize(
    ("text", "age"),
    [("34", (34, 34)), ("٣٤", (34, 34)), ("34 years", (34, 34)), ("34.0", (34, 34)),
     ("about 40", (40, 40)), ("30-35", (30, 35)), ("٢٥ سنة", (25, 25)), ("", None)],
)  # fmt: skip
def test_ages(text: str, age: tuple[int, int] | None) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["abc", "240", "40-30", "-3"])
def test_impossible_ages_are_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_age(text)


def test_age_at_death_becomes_a_birth_year_range() -> None:
    born = birth_from_age((34, 34), parse_uncertain_date("2013-05-14"))
    assert born is not None
    assert (born.earliest, born.latest) == (date(1978, 1, 1), date(1979, 12, 31))
    # A death known only as 2012–2013 widens the range by a year.
    wide = birth_from_age((30, 30), parse_uncertain_date("2012/2013"))
    assert wide is not None and (wide.earliest, wide.latest) == (
        date(1981, 1, 1),
        date(1983, 12, 31),
    )
    assert birth_from_age((30, 30), parse_uncertain_date("")) is None


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Mohammad Abd al-Rahman al-Halabi", ("Mohammad", "Abd al-Rahman", "", "al-Halabi")),
        ("محمد عبد الرحمن أحمد الحلبي", ("محمد", "عبد الرحمن", "أحمد", "الحلبي")),
        ("Ahmad Khaled Hasan Abu Zeid", ("Ahmad", "Khaled", "Hasan", "Abu Zeid")),
        ("خالد بن عمر النجار", ("خالد", "عمر", "", "النجار")),
        ("Omar Ali", ("Omar", "", "", "Ali")),
        ("Khalid Khalid Khalid al-Ali", ("Khalid", "Khalid", "Khalid", "al-Ali")),
    ],
)
def test_full_names_split_in_the_words_the_list_used(
    full: str, parts: tuple[str, str, str, str]
) -> None:
    assert split_full_name(full) == parts


@pytest.mark.parametrize(
    ("text", "pcode"),
    [("Dayr Az Zor", "SY09"), ("Der Ezzor", "SY09"), ("Edlib", "SY07"), ("Lattakia", "SY06"),
     ("Hasaka", "SY08"), ("Damascus Countryside Region West", None), ("Atlantis", None)],
)  # fmt: skip
def test_governorates_spelled_oddly_match_by_skeleton(text: str, pcode: str | None) -> None:
    assert approximate_governorate(text) == pcode


def _parse(headers: list[str], cells: list[str]) -> tuple[ListRecord | None, RowParser, list[str]]:
    parser = RowParser(headers, guess_mapping(headers), None)
    record, errors = parser.parse(1, cells)
    return record, parser, [str(e) for e in errors]


def test_arabic_row_with_digits_full_name_age_and_governorate() -> None:
    table = open_table(DATA / "victims_ar.csv")
    mapping = guess_mapping(table.headers)
    got: list[ListRecord] = []
    summary = parse_table(table, mapping, mapping.column("record_id"), got.extend)
    assert summary.rows == 4 and len(got) == 4
    first = got[0]
    assert first.record_id == "ن-١"
    assert (first.given, first.father, first.grandfather, first.family) == (
        "محمد", "عبد الرحمن", "أحمد", "الحلبي",
    )  # fmt: skip
    assert first.mother == "فاطمة الخطيب" and first.sex == "male"
    assert (first.death.earliest, first.death.precision) == (date(2013, 5, 14), DatePrecision.DAY)
    assert (first.birth.earliest, first.birth.latest) == (date(1978, 1, 1), date(1979, 12, 31))
    assert first.governorate_pcode == "SY02" and first.place_text == "صيدنايا"
    assert first.raw["العمر"] == "٣٤"
    assert got[1].given == "خالد" and got[1].father == "عمر" and got[1].governorate_pcode == "SY03"
    assert got[1].death.precision is DatePrecision.MONTH
    # The place gives the governorate when the governorate cell resolves to nothing better.
    assert got[2].sex == "female" and got[2].governorate_pcode == "SY04"
    assert got[3].death.precision is DatePrecision.BEFORE and got[3].governorate_pcode == "SY09"
    messages = [str(n) for n in summary.notices]
    assert any("approximate spelling to SY09" in m and "row 4" in m for m in messages)


def test_english_tab_list_with_parts_and_birth_years() -> None:
    table = open_table(DATA / "victims_en.tsv")
    mapping = guess_mapping(table.headers)
    assert mapping.column("father") == "Father's Name"
    got: list[ListRecord] = []
    parse_table(table, mapping, mapping.column("record_id"), got.extend)
    assert [r.record_id for r in got] == ["V-001", "V-002", "V-003", "V-004"]
    assert got[0].full_name == "Mohammad Abd al-Rahman Ahmad al-Halabi"
    assert got[0].birth.earliest == date(1979, 1, 1) and got[0].governorate_pcode == "SY02"
    assert got[2].place_text == "Tishreen Military Hospital"
    assert got[3].family == "al-Masri (Cairo)" and got[3].sex == "female"
    assert got[3].death.precision is DatePrecision.RANGE


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("14-05-2013", date(2013, 5, 14), date(2013, 5, 14)),
        ("١٤-٥-٢٠١٣", date(2013, 5, 14), date(2013, 5, 14)),
        ("05-2013", date(2013, 5, 1), date(2013, 5, 31)),
        ("2013/05/14", date(2013, 5, 14), date(2013, 5, 14)),
        ("2013/5", date(2013, 5, 1), date(2013, 5, 31)),
        ("2012/2013", date(2012, 1, 1), date(2013, 12, 31)),
        ("2013-05-14 08:00", date(2013, 5, 14), date(2013, 5, 14)),
    ],
)
def test_date_forms_lists_use(text: str, earliest: date, latest: date) -> None:
    record, _, errors = _parse(["name", "date of death"], ["Ali", text])
    assert errors == [] and record is not None
    assert (record.death.earliest, record.death.latest) == (earliest, latest)


@pytest.mark.parametrize("cell", ["غير معروف", "Unknown", "?", "N/A"])
def test_unknown_places_are_not_warnings(cell: str) -> None:
    record, parser, errors = _parse(["name", "governorate", "place of death"], ["Ali", cell, cell])
    assert errors == [] and record is not None and record.governorate_pcode is None
    assert record.place_text == cell and parser.notices == {}


def test_spreadsheet_date_times_are_days() -> None:
    record, _, errors = _parse(["name", "date of death"], ["Ali", "2013-05-14T10:30:00"])
    assert errors == [] and record is not None
    assert record.death.earliest == record.death.latest == date(2013, 5, 14)
    assert record.raw["date of death"] == "2013-05-14T10:30:00"


def test_unknown_labels_are_warnings_not_errors() -> None:
    record, parser, errors = _parse(
        ["name", "sex", "governorate", "place"], ["Ali", "X", "Atlantis", "somewhere"]
    )
    assert errors == [] and record is not None
    assert record.sex == "unknown" and record.governorate_pcode is None
    assert record.raw["governorate"] == "Atlantis"
    notes = {n.column: n for n in parser.notices.values()}
    assert "sex code not recognised" in notes["sex"].message
    assert "governorate not recognised" in notes["governorate"].message
    assert notes["governorate"].example == "Atlantis" and notes["governorate"].first_row == 1


@pytest.mark.parametrize(
    ("column", "cell", "reason"),
    [
        ("date of death", "31/02/2013", "not a real date"),
        ("date of death", "2013-13", "month 13"),
        ("date of death", "yesterday", "cannot read"),
        ("date of death", "2099", "in the future"),
        ("age", "old", "not an age"),
        ("birth year", "19x5", "cannot read"),
    ],
)
def test_impossible_values_are_row_errors_with_column(column: str, cell: str, reason: str) -> None:
    headers = ["name", "date of death", "age", "birth year"]
    cells = ["Ali", "", "", ""]
    cells[headers.index(column)] = cell
    record, _, errors = _parse(headers, cells)
    assert record is None
    assert len(errors) == 1 and errors[0].startswith(f"row 1, column {column!r}")
    assert reason in errors[0]


def test_too_many_cells_is_a_row_error_but_trailing_blanks_are_not() -> None:
    record, _, errors = _parse(["name", "sex"], ["Ali", "M", "extra"])
    assert record is None and "3 cells but the header names 2 columns" in errors[0]
    record, _, errors = _parse(["name", "sex"], ["Ali", "M", "", " "])
    assert errors == [] and record is not None


def test_hostile_cells_are_kept_verbatim_and_flagged() -> None:
    table = open_table(DATA / "hostile.csv")
    mapping = guess_mapping(table.headers)
    assert mapping.column("given") == "name"
    got: list[ListRecord] = []
    summary = parse_table(table, mapping, "id", got.extend)
    assert got[0].given == '=HYPERLINK("http://example.invalid/x","click")'
    assert got[1].given == "<script>alert('x')</script>" and got[1].father == "<b>Omar</b>"
    assert got[2].given == "Robert'); DROP TABLE list_records;--"
    assert got[0].raw["notes"] == "+cmd|' /C calc'!A0"
    flagged = {(n.column, n.message.split(";")[0]): n.count for n in summary.notices}
    assert flagged[("name", "starts like a spreadsheet formula")] == 1
    assert flagged[("notes", "starts like a spreadsheet formula")] == 3  # "-5" is a number
    assert flagged[("name", "contains HTML-like markup")] == 1


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("-2+3", "'-2+3"),
     ("\tx", "'\tx"), ("-5", "-5"), ("+963", "+963"), ("Ali", "Ali"), ("<b>x</b>", "<b>x</b>")],
)  # fmt: skip
def test_safe_cell_neutralises_formulas_for_exports(cell: str, safe: str) -> None:
    assert safe_cell(cell) == safe


def test_problems_reject_the_whole_file_with_rows_and_total(tmp_path: Path) -> None:
    lines = ["id,name,date of death"] + [f"{i},N{i},2013-01-0{1 + i % 9}" for i in range(1, 40)]
    lines[5] = "5,N5,31/02/2013"
    lines[9] = "9,N9,2013-01-01,extra"
    lines[12] = "3,N12,2013"
    lines[20] = ",N20,2013"
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    table = open_table(path)
    batches: list[list[ListRecord]] = []
    with pytest.raises(ImportRejectedError) as caught:
        parse_table(table, guess_mapping(table.headers), "id", batches.append, batch_size=2)
    text = str(caught.value)
    assert "4 problem(s)" in text
    assert "row 5, column 'date of death'" in text and "31/02/2013" in text
    assert "row 9: 4 cells" in text
    assert "row 12, column 'id': record id '3' already used by row 3" in text
    assert "row 20, column 'id': the record id is empty" in text
    assert [r.row for r in caught.value.problems] == [5, 9, 12, 20]
    # Batches stop at the first problem (the caller's transaction discards those written).
    assert sum(len(b) for b in batches) <= 4


def test_rows_are_numbered_when_there_is_no_id_column(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("name\nAli\n\nOmar\n", "utf-8")
    table = open_table(path)
    got: list[ListRecord] = []
    parse_table(table, guess_mapping(table.headers), None, got.extend)
    assert [(r.record_id, r.row_number, r.full_name) for r in got] == [
        ("1", 1, "Ali"),
        ("3", 3, "Omar"),
    ]


def test_preview_parses_only_the_first_rows() -> None:
    table = open_table(DATA / "victims_en.tsv")
    rows, _ = preview_table(table, guess_mapping(table.headers), "Record ID", count=2)
    assert [r.row_number for r in rows] == [1, 2]
    assert rows[0].record is not None and rows[0].record.given == "Mohammad"
