"""Splitting full names into the parts of the Syrian name chain."""

from __future__ import annotations

import pytest

from sijill.names.parse import NameParts, parse_name
from sijill.names.script import Script

L, A = Script.LATIN, Script.ARABIC


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Muhammad al-Ahmad", NameParts("muhammad", family="alahmad", script=L)),
        ("Muhammad Darwish", NameParts("muhammad", family="darwish", script=L)),
        ("Muhammad", NameParts("muhammad", script=L)),
        (
            "Muhammad Ahmad al-Hamwi",
            NameParts("muhammad", "ahmad", family="alhamwi", script=L),
        ),
        (
            "Mhd Ahmad Ali Darwish",
            NameParts("muhammad", "ahmad", "ali", "darwish", script=L),
        ),
        (
            "Mhd Khaled Hasan Ali Darwish",
            NameParts("muhammad", "khaled", "hasan", "darwish", others=("ali",), script=L),
        ),
        ("Ali bin Hasan", NameParts("ali", "hasan", script=L)),
        ("Ali ibn Hasan bin Ahmad", NameParts("ali", "hasan", "ahmad", script=L)),
        ("Ali bin Hasan al-Hajj", NameParts("ali", "hasan", family="alhajj", script=L)),
        ("Fatima bint Ali", NameParts("fatima", "ali", script=L)),
        (
            "Abd al-Rahman Khaled al-Shami",
            NameParts("abdulrahman", "khaled", family="alshami", script=L),
        ),
        (
            "Abu Ali Muhammad Hasan",
            NameParts("muhammad", family="hasan", kunya="abuali", script=L),
        ),
        ("Abu Ahmad al-Halabi", NameParts(family="alhalabi", kunya="abuahmad", script=L)),
        ("Abu Ali", NameParts(kunya="abuali", script=L)),
        ("Ahmad Mahmoud Abu Zeid", NameParts("ahmad", "mahmoud", family="abuzeid", script=L)),
        ("Abu Bakr al-Siddiq", NameParts("abubakr", family="alsiddiq", script=L)),
        (
            "Muhammad Ahmad al-Hajj Ali",
            NameParts("muhammad", "ahmad", family="alhajj ali", script=L),
        ),
        ("محمد الأحمد", NameParts("محمد", family="الاحمد", script=A)),
        (
            "محمد أحمد علي الحموي",
            NameParts("محمد", "احمد", "علي", "الحموي", script=A),
        ),
        ("عبد الرحمن خالد", NameParts("عبدالرحمن", family="خالد", script=A)),
        ("محمد بن أحمد بن علي", NameParts("محمد", "احمد", "علي", script=A)),
        ("أبو أحمد الحلبي", NameParts(family="الحلبي", kunya="ابواحمد", script=A)),
        ("أم محمد", NameParts(kunya="اممحمد", script=A)),
        ("أمل محمد", NameParts("امل", family="محمد", script=A)),
        ("", NameParts()),
        (
            "الشهيد الحاج محمد أحمد الحاج",
            NameParts("محمد", "احمد", family="الحاج", titles=("الشهيد", "الحاج"), script=A),
        ),
        ("Dr. Ahmad al-Ali", NameParts("ahmad", family="alali", titles=("dr",), script=L)),
        ("Sheikh", NameParts("sheikh", script=L)),
        ("محمد (أبو علي) الحموي", NameParts("محمد", family="الحموي", kunya="ابوعلي", script=A)),
        (
            "Ahmad (Hamada) Khaled al-Ali",
            NameParts("ahmad", "khaled", family="alali", aliases=("hamada",), script=L),
        ),
    ],
)
def test_parse_name(name: str, expected: NameParts) -> None:
    assert parse_name(name) == expected


def test_parts_are_frozen() -> None:
    parts = parse_name("Muhammad al-Ahmad")
    with pytest.raises(AttributeError):
        parts.given = "ali"  # type: ignore[misc]
