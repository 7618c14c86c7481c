"""Reading list files: every encoding and delimiter, quoting, XLSX sheets, JSON/JSONL, limits."""

from __future__ import annotations

import codecs
import hashlib
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from sijill.errors import ImportRejectedError, InputError
from sijill.importers import ReadLimits, open_table
from sijill.importers.encoding import looks_garbled

DATA = Path(__file__).parent / "data" / "lists"
HEADER = ["الرقم", "الاسم الكامل", "الجنس", "المحافظة", "تاريخ الوفاة"]
ROWS = [
    ["1", "محمد عبد الرحمن الحلبي", "ذكر", "حلب", "14/05/2013"],
    ["2", "هدى محمود العلي", "أنثى", "حمص", "2014-03"],
    ["3", "خالد عمر النجار", "ذكر", "ريف دمشق", "2012"],
]


def _text(delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(r) for r in [HEADER, *ROWS]) + "\r\n"


def _rows(path: Path, **kwargs: str) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    table = open_table(path, **kwargs)  # type: ignore[arg-type]
    return table.headers, list(table.rows()), table.encoding


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("cp1256", "cp1256"),
        ("iso8859-6", "iso8859-6"),
    ],
)
def test_every_encoding_is_detected_and_decoded(tmp_path: Path, codec: str, expected: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(_text().encode(codec))
    headers, rows, encoding = _rows(path)
    assert encoding == expected
    assert headers == HEADER
    assert [cells for _, cells in rows] == ROWS
    assert [n for n, _ in rows] == [1, 2, 3]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(_text().encode(codec))
    headers, rows, encoding = _rows(path)
    assert (encoding, headers, rows[-1][1]) == (codec, HEADER, ROWS[-1])


@pytest.mark.parametrize("given", ["windows-1256", "Windows-1256", "cp1256"])
def test_a_given_encoding_wins(tmp_path: Path, given: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(_text().encode("cp1256"))
    headers, rows, encoding = _rows(path, encoding=given)
    assert encoding == "cp1256" and headers == HEADER and rows[0][1] == ROWS[0]


def test_a_wrong_encoding_shows_as_garbled_text(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(_text().encode("utf-8"))
    headers, _, _ = _rows(path, encoding="windows-1256")
    assert headers != HEADER
    assert looks_garbled(" ".join(headers))
    assert not looks_garbled(" ".join(HEADER + ROWS[0]))


def test_iso_8859_6_read_as_windows_1256_looks_garbled(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(_text().encode("iso8859-6"))
    headers, rows, _ = _rows(path, encoding="windows-1256")
    assert looks_garbled(" ".join(headers + [c for _, cells in rows for c in cells]))


def test_a_code_page_after_a_long_ascii_start_is_detected(tmp_path: Path) -> None:
    ascii_rows = "".join(f"{i},Ali {i},M,Homs,2013\r\n" for i in range(4, 4000))
    path = tmp_path / "late.csv"
    header = "id,name,sex,governorate,date of death\r\n"
    last = "4000,محمد الحلبي,ذكر,حلب,2013\r\n"
    path.write_bytes((header + ascii_rows + last).encode("cp1256"))
    assert path.stat().st_size > 70_000
    table = open_table(path)
    assert table.encoding == "cp1256" and "not UTF-8 from byte" in table.details["encoding_source"]
    assert list(table.rows())[-1][1][1] == "محمد الحلبي"


def test_a_damaged_utf8_file_is_an_error_not_a_code_page(tmp_path: Path) -> None:
    rows = "".join(f"{i},محمد {i},ذكر,حلب,2013\r\n" for i in range(4, 3000))
    path = tmp_path / "damaged.csv"
    path.write_bytes(_text().encode("utf-8") + rows.encode("utf-8") + b"3000,\xff\xfe,M,x,2013\r\n")
    table = open_table(path)
    assert table.encoding == "utf-8"
    with pytest.raises(
        InputError, match=r"line 3001 \(byte \d+\) holds bytes that are not valid utf-8"
    ):
        list(table.rows())


def test_undecodable_bytes_are_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(_text().encode("cp1256"))
    with pytest.raises(InputError, match="not valid utf-8"):
        _rows(path, encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        _rows(path, encoding="klingon-8")


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")])  # fmt: skip
def test_every_delimiter_is_found(tmp_path: Path, delimiter: str, name: str) -> None:
    path = tmp_path / "list.txt"
    path.write_text(_text(delimiter), "utf-8")
    table = open_table(path)
    assert table.details["delimiter"] == name
    assert [cells for _, cells in table.rows()] == ROWS


def test_quoted_cells_keep_delimiters_and_newlines() -> None:
    headers, rows, _ = _rows(DATA / "victims_en.tsv")
    assert headers[0] == "Record ID" and len(headers) == 11
    last = rows[-1][1]
    assert last[1] == "Omar, Jr"
    assert last[4] == "al-Masri\n(Cairo)"
    assert [n for n, _ in rows] == [1, 2, 3, 4]


def test_bom_and_arabic_indic_digits_are_kept_verbatim() -> None:
    headers, rows, encoding = _rows(DATA / "victims_ar.csv")
    assert encoding == "utf-8-sig" and headers[0] == "الرقم"
    assert rows[0][1][0] == "ن-١" and rows[0][1][4] == "٣٤"


def test_file_hash_is_of_the_bytes(tmp_path: Path) -> None:
    path = DATA / "victims_ar.csv"
    table = open_table(path)
    assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert table.size == path.stat().st_size


def test_xlsx_first_sheet_named_sheet_and_cell_types(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "notes"
    first.append(["ID", "Full Name", "Age", "Date of Death"])
    first.append([1, "Ahmad Ali", 34.0, None])
    first.append([None, None, None, None])
    first.append([3, "Sami Omar", 40, "2013-05"])
    other = book.create_sheet("victims")
    other.append(["الرقم", "الاسم"])
    other.append(["A-1", "محمد"])
    path = tmp_path / "list.xlsx"
    book.save(path)

    table = open_table(path)
    assert table.details["sheet"] == "notes" and table.encoding == ""
    rows = list(table.rows())
    assert rows == [(1, ["1", "Ahmad Ali", "34", ""]), (3, ["3", "Sami Omar", "40", "2013-05"])]
    named = open_table(path, sheet="victims")
    assert named.headers == ["الرقم", "الاسم"]
    with pytest.raises(InputError, match="no sheet"):
        open_table(path, sheet="missing")
    with pytest.raises(InputError, match="CSV files only"):
        open_table(path, encoding="utf-8")


def test_json_array_and_json_lines(tmp_path: Path) -> None:
    table = open_table(DATA / "victims.jsonl")
    assert table.file_format == "jsonl"
    assert table.headers == ["id", "victim_name", "sex", "age", "governorate", "date of death"]
    rows = list(table.rows())
    assert [n for n, _ in rows] == [1, 2, 3]
    assert rows[0][1][3] == "30" and rows[1][1][3] == ""
    array = tmp_path / "list.json"
    array.write_text(json.dumps([{"id": 7, "name": "Omar", "x": [1]}, {"name": "Ali"}]), "utf-8")
    table = open_table(array)
    assert table.file_format == "json"
    assert list(table.rows()) == [(1, ["7", "Omar", "[1]"]), (2, ["", "Ali", ""])]


def test_json_duplicate_keys_and_bad_lines_are_row_errors(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": 1}\n{"id": 2, "id": 3}\n', "utf-8")
    with pytest.raises(ImportRejectedError, match=r"row 2, column 'id'.*twice"):
        open_table(path)
    path.write_text('{"id": 1}\n{"id": 2,\n', "utf-8")
    with pytest.raises(ImportRejectedError, match=r"row 2.*not valid JSON"):
        open_table(path)


def test_json_lines_that_are_not_utf8_give_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": 1}\n{"id": 2}\n{"name": "\xe3\xd8"}\n')
    with pytest.raises(InputError, match=r"line 3 \(byte 30\) is not valid UTF-8"):
        open_table(path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("bom-only.csv", codecs.BOM_UTF8),
        ("blank.csv", b"\r\n\r\n"),
        ("empty.json", b"[]"),
    ],
)
def test_empty_files_are_rejected(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportRejectedError, match="nothing was imported"):
        open_table(path)


def test_duplicate_headers_are_rejected_with_both_positions(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,name,Name\n1,a,b\n", "utf-8")
    with pytest.raises(
        ImportRejectedError, match=r"column 'Name': duplicate header: columns 2 and 3"
    ):
        open_table(path)


def test_size_and_row_limits_refuse_big_files_early(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("id,name\n" + "".join(f"{i},n{i}\n" for i in range(1, 101)), "utf-8")
    with pytest.raises(InputError, match="above the import limit"):
        open_table(path, limits=ReadLimits(max_bytes=100))
    table = open_table(path, limits=ReadLimits(max_rows=50))
    with pytest.raises(InputError, match="more than 50 data rows"):
        list(table.rows())


def test_size_limit_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(_text(), "utf-8")
    monkeypatch.setenv("SIJILL_IMPORT_MAX_BYTES", "10")
    with pytest.raises(InputError, match="SIJILL_IMPORT_MAX_BYTES"):
        open_table(path)


def test_unsupported_files(tmp_path: Path) -> None:
    old = tmp_path / "list.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match=r"\.xlsx"):
        open_table(old)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable XLSX"):
        open_table(broken)
    with pytest.raises(InputError, match="no such file"):
        open_table(tmp_path / "missing.csv")


def _both_readers(path: Path) -> tuple[list[RawRowT], list[RawRowT]]:
    from sijill.importers.xlsx_reader import _read_openpyxl, _read_streaming

    limits = ReadLimits()
    fast = _read_streaming(path, None, limits, "", 0)
    slow = _read_openpyxl(path, None, limits, "", 0)
    assert fast.headers == slow.headers

    def trimmed(rows: list[RawRowT]) -> list[RawRowT]:
        # Trailing empty cells are padding, which the readers may add or not.
        out = []
        for number, cells in rows:
            while cells and not cells[-1]:
                cells = cells[:-1]
            out.append((number, cells))
        return out

    try:
        return trimmed(list(fast.rows())), trimmed(list(slow.rows()))
    finally:
        fast.close()
        slow.close()


RawRowT = tuple[int, list[str]]


def test_streaming_xlsx_reader_agrees_with_openpyxl(tmp_path: Path) -> None:
    from datetime import date, datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "الاسم", "Age", "Died", "Born", "Verified", "Score", "Note"])
    sheet.append([1, "محمد", 34, date(2013, 5, 14), datetime(1979, 1, 1, 12, 30), True, 0.5, None])
    sheet.append([2, "Omar", 40.0, "2013-05", None, False, -3, "=not a formula"])
    sheet.append([None] * 8)
    sheet.append([4, "=1+1", None, date(2012, 2, 29), None, None, 1e-5, "<b>x</b>"])
    sheet["C5"].number_format = "0.00"
    sheet["G3"].number_format = "dd/mm/yyyy"  # a custom date format on a number
    sheet["H3"].data_type = "s"
    path = tmp_path / "mixed.xlsx"
    book.save(path)
    fast, slow = _both_readers(path)
    assert fast == slow
    assert fast[0][1][3] == "2013-05-14" and fast[0][1][4] == "1979-01-01T12:30:00"
    assert fast[0][1][6] == "0.5" and fast[1][1][6] == "1899-12-27"  # a date format shows a date
    assert fast[1][1][7] == "=not a formula"
    assert [n for n, _ in fast] == [1, 2, 4]


def test_streaming_xlsx_reader_on_a_simulated_list(tmp_path: Path) -> None:
    from sijill.simulate import preset_config, simulate, write_simulation

    result = simulate(preset_config("realistic", people=300, lists=4, seed=5))
    write_simulation(result, tmp_path)
    (path,) = tmp_path.glob("*.xlsx")
    fast, slow = _both_readers(path)
    assert len(fast) > 50 and fast == slow
    table = open_table(path)
    assert "reader" not in table.details  # the streaming reader was used
