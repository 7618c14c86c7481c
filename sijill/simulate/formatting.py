"""A list's file conventions: column names, full-name columns, codes, date formats, missing cells."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sijill.errors import InputError
from sijill.geo import gazetteer
from sijill.simulate.config import FIELDS, ListConfig
from sijill.simulate.population import admin_data
from sijill.simulate.records import RecordValues

HEADERS: dict[str, dict[str, str]] = {
    "en": {
        "id": "record_id",
        "given": "name",
        "father": "father_name",
        "grandfather": "grandfather_name",
        "family": "family_name",
        "mother": "mother_name",
        "full_name": "full_name",
        "sex": "sex",
        "birth_year": "birth_year",
        "age": "age",
        "governorate": "governorate",
        "date_of_death": "date_of_death",
        "place_of_death": "place_of_death",
    },
    "en_title": {
        "id": "ID",
        "given": "First Name",
        "father": "Father Name",
        "grandfather": "Grandfather Name",
        "family": "Last Name",
        "mother": "Mother Name",
        "full_name": "Full Name",
        "sex": "Gender",
        "birth_year": "Year of Birth",
        "age": "Age",
        "governorate": "Governorate",
        "date_of_death": "Date of Death",
        "place_of_death": "Place of Death",
    },
    "ar": {
        "id": "الرقم",
        "given": "الاسم",
        "father": "اسم الأب",
        "grandfather": "اسم الجد",
        "family": "الكنية",
        "mother": "اسم الأم",
        "full_name": "الاسم الكامل",
        "sex": "الجنس",
        "birth_year": "سنة الميلاد",
        "age": "العمر",
        "governorate": "المحافظة",
        "date_of_death": "تاريخ الوفاة",
        "place_of_death": "مكان الوفاة",
    },
}
SEX_CODES = {
    "MF": {"M": "M", "F": "F"},
    "male_female": {"M": "male", "F": "female"},
    "arabic": {"M": "ذكر", "F": "أنثى"},
}
_NAME_PARTS = ("given", "father", "grandfather", "family")
_ALWAYS_PRESENT = {"given", "family"}
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass
class ListTable:
    """One list as it will be written.

    Attributes:
        table: the file's columns and rows (strings; "" where a value is missing).
        values: the recorded values in the same row order.
        columns: Sijill field → column name in the file ("id" for the record id).
        record_ids: the record id of each row.
    """

    table: pd.DataFrame
    values: RecordValues
    columns: dict[str, str]
    record_ids: np.ndarray


def governorate_labels(arabic: bool) -> dict[str, list[str]]:
    """Every spelling of each governorate a list might use (p-code → labels, official first)."""
    data = admin_data()
    labels: dict[str, list[str]] = {}
    for row in data["governorates"]:
        if arabic:
            names = [row["name_ar"], "محافظة " + row["name_ar"], *row.get("aliases_ar", [])]
        else:
            names = [row["name_en"], *row.get("aliases_en", [])]
        labels[row["ocha_pcode"]] = names
    if not arabic:
        for label, code in data["list_label_to_pcode"].items():
            if code:
                labels[code].append(label)
    return {code: list(dict.fromkeys(names)) for code, names in sorted(labels.items())}


def _label_governorates(
    codes: np.ndarray, arabic: bool, variation: float, rng: np.random.Generator
) -> np.ndarray:
    labels = governorate_labels(arabic)
    order = list(labels)
    width = max(len(v) for v in labels.values())
    pool = np.full((len(order), width), "", dtype=object)
    sizes = np.array([len(labels[c]) for c in order])
    for i, code in enumerate(order):
        pool[i, : sizes[i]] = labels[code]
    # Each list has its own usual spelling of each governorate: the official name unless the
    # list is one that varies its spellings.
    unusual = rng.random(len(order)) < min(1.0, 2 * variation)
    usual = np.where(unusual, (rng.random(len(order)) * sizes).astype(int), 0)
    g = pd.Index(order).get_indexer(codes)
    other = (rng.random(len(codes)) * sizes[g]).astype(int)
    choice = np.where(rng.random(len(codes)) < variation, other, usual[g])
    labelled: np.ndarray = pool[g, choice]
    return labelled


def _places(codes: np.ndarray, governorate_text: np.ndarray, arabic: bool) -> np.ndarray:
    gaz = gazetteer()
    names = {p.pcode: p.label("ar" if arabic else "en") for p in gaz.facilities}
    facility = pd.Series(codes).map(names).to_numpy(dtype=object)
    return np.where(pd.isna(facility), governorate_text, facility)


def _dates(values: RecordValues, date_format: str) -> np.ndarray:
    y = pd.Series(values.year).astype(str)
    m = pd.Series(values.month).astype(str).str.zfill(2)
    d = pd.Series(values.day).astype(str).str.zfill(2)
    if date_format == "iso":
        day, month = y + "-" + m + "-" + d, y + "-" + m
    else:
        day, month = d + "/" + m + "/" + y, m + "/" + y
    out = np.where(values.precision == 0, day, np.where(values.precision == 1, month, y))
    formatted: np.ndarray = out.astype(object)
    return formatted


def _to_arabic_digits(texts: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = texts.copy()
    for i in np.flatnonzero(mask):
        out[i] = str(out[i]).translate(_ARABIC_DIGITS)
    return out


def id_prefix(name: str) -> str:
    """The record-id prefix of a list (its name's letters and digits, upper case)."""
    return re.sub(r"[^0-9A-Za-z]", "", name).upper()[:8] or "R"


def format_list(values: RecordValues, lst: ListConfig, rng: np.random.Generator) -> ListTable:
    """Lay out a list's records as its file would hold them (rows shuffled, ids assigned)."""
    n = len(values.person)
    order = rng.permutation(n)
    values = values.take(order)
    headers = HEADERS[lst.header_language]
    arabic = lst.scheme == "arabic_script"
    missing = {f: rng.random(n) < lst.missing_rate for f in FIELDS if f not in _ALWAYS_PRESENT}
    digits = rng.random(n) < lst.arabic_digits

    cells: dict[str, np.ndarray] = {}
    for f in lst.fields:
        if f in values.text:
            cells[f] = values.text[f].copy()
            if lst.encoding == "cp1256":
                # Records copied from a UTF-8 list lose the Persian ya on saving as Windows-1256.
                cells[f] = pd.Series(cells[f]).str.replace("ی", "ي").to_numpy(dtype=object)
        elif f == "sex":
            cells[f] = pd.Series(values.sex).map(SEX_CODES[lst.sex_coding]).to_numpy(dtype=object)
        elif f == "birth_year":
            cells[f] = _to_arabic_digits(values.birth_year.astype(str).astype(object), digits)
        elif f == "age":
            cells[f] = _to_arabic_digits(values.age.astype(str).astype(object), digits)
        elif f == "date_of_death":
            cells[f] = _to_arabic_digits(_dates(values, lst.date_format), digits)
        elif f == "governorate":
            cells[f] = _label_governorates(
                values.governorate, arabic, lst.governorate_variation, rng
            )
        elif f == "place_of_death":
            gov_text = _label_governorates(values.governorate, arabic, 0.0, rng)
            cells[f] = _places(values.place, gov_text, arabic)
        if f in missing:
            cells[f] = np.where(missing[f], "", cells[f]).astype(object)

    ids = np.array([f"{id_prefix(lst.name)}-{i:06d}" for i in range(1, n + 1)], dtype=object)
    columns: dict[str, str] = {"id": lst.id_column or headers["id"]}
    if columns["id"] in {headers[f] for f in (*lst.fields, "full_name")}:
        raise InputError(
            f"list {lst.name!r}: id_column {columns['id']!r} is also a field's column name",
            hint="choose another id_column",
        )
    data: dict[str, np.ndarray] = {columns["id"]: ids}
    name_parts = [f for f in lst.fields if f in _NAME_PARTS]
    for f in lst.fields:
        if lst.full_name and f in _NAME_PARTS:
            if f != name_parts[0]:
                continue
            joined = pd.Series(cells[name_parts[0]], dtype=object)
            for part in name_parts[1:]:
                piece = pd.Series(cells[part], dtype=object)
                joined = joined + np.where(piece == "", "", " " + piece)
            columns["full_name"] = headers["full_name"]
            data[headers["full_name"]] = joined.to_numpy(dtype=object)
        else:
            columns[f] = headers[f]
            data[headers[f]] = cells[f]
    return ListTable(pd.DataFrame(data), values, columns, ids)
