"""Which column of a list file holds which Sijill field: guessed from Arabic or English headers,
overridable, and saved as a reusable JSON mapping file."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sijill.errors import InputError

#: The Sijill fields a list column can map to, in display order.
FIELDS: tuple[str, ...] = (
    "record_id",
    "full_name",
    "given",
    "father",
    "grandfather",
    "family",
    "mother",
    "sex",
    "birth_date",
    "birth_year",
    "age",
    "death_date",
    "governorate",
    "place_of_death",
)
MAPPING_FORMAT = "sijill-column-mapping"
MAPPING_VERSION = 1

# Exact header spellings (compared after `header_key` folding). "name"/"الاسم" alone is decided
# later: the given name when the file also has father or family columns, else the full name.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "record_id": (
        "id", "record id", "record", "record no", "record number", "no", "number", "#", "serial",
        "ref", "reference", "code", "victim id", "person id", "الرقم", "رقم", "الرقم التسلسلي",
        "م", "ت", "التسلسل", "رقم السجل", "المعرف", "الرمز",
    ),
    "full_name": (
        "full name", "fullname", "victim name", "victim", "name of victim", "person name",
        "deceased", "deceased name", "names", "الاسم الكامل", "الاسم الثلاثي", "الاسم الرباعي",
        "اسم الضحية", "اسم الشهيد", "الاسم والكنية", "الاسم الكامل للضحية", "اسم المتوفى",
    ),
    "given": ("first name", "firstname", "given name", "given", "forename", "first", "الاسم الأول"),
    "father": ("father name", "father s name", "fathers name", "father", "اسم الأب", "الأب", "الوالد"),
    "grandfather": ("grandfather name", "grandfather s name", "grandfather", "اسم الجد", "الجد"),
    "family": (
        "family name", "last name", "lastname", "surname", "family", "الكنية", "العائلة",
        "اللقب", "الشهرة", "اسم العائلة", "النسبة",
    ),
    "mother": ("mother name", "mother s name", "mothers name", "mother", "اسم الأم", "الأم", "الوالدة"),
    "sex": ("sex", "gender", "m f", "الجنس", "النوع"),
    "birth_date": ("date of birth", "birth date", "birthdate", "dob", "born", "تاريخ الميلاد", "تاريخ الولادة"),
    "birth_year": ("birth year", "year of birth", "yob", "سنة الميلاد", "سنة الولادة", "مواليد", "التولد", "المواليد"),
    "age": ("age", "age at death", "age years", "العمر", "السن", "العمر عند الوفاة"),
    "death_date": (
        "date of death", "death date", "dod", "date", "date of killing", "date of incident",
        "تاريخ الوفاة", "تاريخ الاستشهاد", "تاريخ القتل", "تاريخ الوفاة المقدر", "التاريخ",
    ),
    "governorate": ("governorate", "province", "gov", "muhafaza", "muhafazah", "region", "المحافظة", "محافظة"),
    "place_of_death": (
        "place of death", "death place", "place", "location", "place of killing",
        "مكان الوفاة", "مكان الاستشهاد", "مكان القتل", "المكان", "مكان الحادثة",
    ),
}  # fmt: skip

# Words that, found in a header no synonym matched, point at a field (first rule wins).
_WORD_RULES: tuple[tuple[str, frozenset[str]], ...] = (
    ("grandfather", frozenset({"grandfather", "grandfathers", "الجد", "جد"})),
    ("father", frozenset({"father", "fathers", "الاب", "اب", "والد"})),
    ("mother", frozenset({"mother", "mothers", "الام", "ام", "والده"})),
    ("family", frozenset({"family", "surname", "last", "الكنيه", "العائله", "اللقب", "الشهره"})),
    ("birth_year", frozenset({"yob"})),
    ("age", frozenset({"age", "العمر", "السن"})),
    ("sex", frozenset({"sex", "gender", "الجنس"})),
    ("governorate", frozenset({"governorate", "province", "المحافظه", "محافظه"})),
    ("full_name", frozenset({"full", "fullname", "الكامل", "الثلاثي", "الرباعي"})),
    ("record_id", frozenset({"id", "الرقم"})),
)
_DEATH = frozenset({"death", "died", "killed", "killing", "الوفاه", "الاستشهاد", "القتل", "وفاه"})
_BIRTH = frozenset({"birth", "born", "dob", "الميلاد", "الولاده"})
_DATE = frozenset({"date", "day", "تاريخ", "التاريخ"})
_YEAR = frozenset({"year", "سنه", "عام"})
_PLACE = frozenset({"place", "location", "where", "مكان", "المكان"})
_NAME = frozenset({"name", "الاسم", "اسم"})


def header_key(header: str) -> str:
    """A header folded for matching: case, Arabic letter variants, diacritics and punctuation."""
    text = unicodedata.normalize("NFKC", header).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for src, dst in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي"), ("ـ", "")):
        text = text.replace(src, dst)
    text = re.sub(r"[\s_\-./:()\[\]'’`]+", " ", text)
    return text.strip()


_EXACT: dict[str, str] = {header_key(h): f for f, names in _SYNONYMS.items() for h in names}
_NAME_KEYS = {header_key(h) for h in ("name", "الاسم", "اسم", "الإسم")}


def _by_words(key: str) -> str | None:
    words = set(key.split())
    if words & _DEATH and words & _PLACE:
        return "place_of_death"
    if words & _BIRTH:
        return "birth_year" if words & _YEAR else "birth_date"
    if words & _DEATH or (words & _DATE and not words & _NAME):
        return "death_date"
    for fld, cues in _WORD_RULES:
        if words & cues:
            return fld
    if words & _PLACE:
        return "place_of_death"
    return None


@dataclass
class ColumnMapping:
    """Sijill field → column header of one list file; saved with the list for provenance.

    Attributes:
        fields: Field name (see FIELDS) → the exact header of the column holding it. Columns
            not mapped are still kept verbatim in each record's raw row.
    """

    fields: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.fields) - set(FIELDS))
        if unknown:
            raise InputError(
                f"unknown field(s) in the column mapping: {', '.join(unknown)}",
                hint="fields: " + ", ".join(FIELDS),
            )
        columns = list(self.fields.values())
        twice = sorted({c for c in columns if columns.count(c) > 1})
        if twice:
            raise InputError(
                f"column(s) mapped to more than one field: {', '.join(map(repr, twice))}",
                hint="map each column to one field",
            )

    def column(self, name: str) -> str | None:
        """The column mapped to field `name`, if any."""
        return self.fields.get(name)

    def check_headers(self, headers: list[str], source: str) -> None:
        """Refuse a mapping that names columns the file does not have."""
        missing = [f"{f} → {c!r}" for f, c in self.fields.items() if c not in headers]
        if missing:
            raise InputError(
                f"{source}: the mapping names column(s) the file lacks: {', '.join(missing)}",
                hint="the file's columns: " + ", ".join(repr(h) for h in headers),
            )

    def overridden_by(self, other: dict[str, str | None]) -> ColumnMapping:
        """This mapping with `other`'s entries replacing it (None unmaps a field)."""
        merged: dict[str, str] = dict(self.fields)
        for name, column in other.items():
            if column is None:
                merged.pop(name, None)
            else:
                taken = [f for f, c in merged.items() if c == column and f != name]
                for f in taken:
                    merged.pop(f)
                merged[name] = column
        return ColumnMapping({f: merged[f] for f in FIELDS if f in merged})

    def to_json(self) -> dict[str, Any]:
        """The mapping as a JSON document (what --save-mapping writes)."""
        return {"format": MAPPING_FORMAT, "version": MAPPING_VERSION, "fields": dict(self.fields)}

    def save(self, path: str | Path) -> Path:
        """Write the mapping file (UTF-8 JSON, Arabic kept readable)."""
        target = Path(path)
        target.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", "utf-8")
        return target


def read_mapping_file(path: str | Path) -> dict[str, str | None]:
    """The entries of a mapping file (field → column, or None to unmap), checked."""
    file = Path(path)
    try:
        doc = json.loads(file.read_text("utf-8-sig"))
    except FileNotFoundError:
        raise InputError(f"no such mapping file: {file}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{file.name} is not a JSON mapping file: {exc}") from None
    fields = doc.get("fields") if isinstance(doc, dict) and "fields" in doc else doc
    if not isinstance(fields, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in fields.items()
    ):
        raise InputError(
            f"{file.name}: expected {{'fields': {{field: column header or null}}}}",
            hint="write one with --save-mapping and edit it",
        )
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise InputError(
            f"{file.name}: unknown field(s) {', '.join(unknown)}",
            hint="fields: " + ", ".join(FIELDS),
        )
    return dict(fields)


def guess_mapping(headers: list[str]) -> ColumnMapping:
    """Map columns to fields from their headers (Arabic or English; exact synonyms, then words).

    A header "name"/"الاسم" alone is the given name when the file also has a father's or family
    name column, else the full name. Each field takes the first column that matches it.
    """
    found: dict[str, str] = {}
    plain_name: str | None = None
    for header in headers:
        key = header_key(header)
        if key in _NAME_KEYS:
            plain_name = plain_name or header
            continue
        fld = _EXACT.get(key) or _by_words(key)
        if fld is None and _NAME & set(key.split()):
            fld = "full_name"
        if fld and fld not in found:
            found[fld] = header
    if plain_name is not None:
        parts = {"father", "family", "grandfather"} & set(found)
        slot = "given" if parts else "full_name"
        if slot not in found:
            found[slot] = plain_name
    return ColumnMapping({f: found[f] for f in FIELDS if f in found})
