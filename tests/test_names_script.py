"""Script detection and digit folding for names."""

from __future__ import annotations

import pytest

from sijill.names.script import Script, detect_script, split_script_runs, to_ascii_digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("محمد الحموي", Script.ARABIC),
        ("مُحَمَّد", Script.ARABIC),
        ("یوسف", Script.ARABIC),  # Persian ye
        ("ﻣﺤﻤﺪ", Script.ARABIC),  # presentation forms
        ("Muhammad al-Hamwi", Script.LATIN),
        ("Muḥammad ʿAlī", Script.LATIN),
        ("Aïcha", Script.LATIN),
        ("محمد Khaled", Script.MIXED),
        ("Иван", Script.MIXED),  # letters of neither script
        ("", Script.EMPTY),
        ("  -  ", Script.EMPTY),
        ("١٢٣ 45", Script.EMPTY),
        ("٣ محمد", Script.ARABIC),
    ],
)
def test_detect_script(text: str, expected: Script) -> None:
    assert detect_script(text) is expected


def test_to_ascii_digits_folds_arabic_indic_and_persian_digits() -> None:
    assert to_ascii_digits("١٤/٠٣/٢٠١٣") == "14/03/2013"
    assert to_ascii_digits("۱۹۸۵") == "1985"
    assert to_ascii_digits("abc 12") == "abc 12"


def test_split_script_runs_groups_neighbouring_words() -> None:
    runs = split_script_runs("محمد أحمد Khaled al-Ali الحموي")
    assert runs == [
        ("محمد أحمد", Script.ARABIC),
        ("Khaled al-Ali", Script.LATIN),
        ("الحموي", Script.ARABIC),
    ]
    assert split_script_runs("Ali") == [("Ali", Script.LATIN)]
