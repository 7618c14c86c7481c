"""One list row to one record: names split, sex coded, dates as intervals, ages as birth years,
governorates resolved; impossible values are row errors, unknown labels are warnings.

Policy: a value that cannot be what its column says (31/02/2013, an age of "abc" or 240) is an
error that rejects the file, because it shows a wrong mapping or corrupted data. A value that is
only an unfamiliar label (a sex code, a governorate or place spelled in a way the gazetteer does
not know) is kept verbatim in the raw row, parsed as unknown, and reported as a warning with its
count and first row, so one odd spelling never rejects a real list but is never silent either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from sijill.domain.dates import DatePrecision, UncertainDate, parse_uncertain_date
from sijill.domain.lists import ListRecord
from sijill.errors import InputError, RowError
from sijill.geo import gazetteer
from sijill.importers.mapping import ColumnMapping, header_key
from sijill.importers.name_split import split_full_name
from sijill.importers.safety import has_markup, is_formula_like
from sijill.names.skeleton import skeleton

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SEXES: dict[str, str] = {
    **dict.fromkeys(("m", "male", "man", "boy", "h", "homme", "ذكر", "ذ", "رجل", "ذكور"), "male"),
    **dict.fromkeys(
        ("f", "female", "woman", "girl", "femme", "انثي", "ا", "امراه", "اناث", "انثى", "أنثى"),
        "female",
    ),
    **dict.fromkeys(("", "u", "unknown", "?", "-", "غير معروف", "غير محدد", "مجهول"), "unknown"),
}
_AGE = re.compile(
    r"(?:about|approx\.?|~|c\.|حوالي|نحو)?\s*(\d{1,3})(?:\.0+)?"
    r"(?:\s*(?:-|–|to|الى|إلى)\s*(\d{1,3})(?:\.0+)?)?"
    r"\s*(?:years?( old)?|yrs?|y|سنة|سنه|عام|عاما|عامًا|سنوات)?"
)
_MAX_AGE = 120
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_DAY_FIRST_DASHES = re.compile(r"(\d{1,2}-)?\d{1,2}-\d{4}")
_YEAR_FIRST_SLASHES = re.compile(r"\d{4}/\d{1,2}(/\d{1,2})?")
# Cells that say the value is not known (folded by header_key): not a place to look up.
_UNKNOWN = frozenset({"", "?", "-", "unknown", "n a", "na", "غير معروف", "غير معروفه", "مجهول"})
_SUSPECT_START = frozenset("=+-@\t\r")
# Column widths of list_records (PostgreSQL enforces them; longer text means a wrong mapping).
_MAX_LENGTH = {"record_id": 200, "name part": 200, "full_name": 500}


@lru_cache(maxsize=4096)
def normalise_sex(value: str) -> str | None:
    """The sex code ("male", "female", "unknown") of M/F, ذكر/أنثى, ذ/أ …; None if unrecognised."""
    return _SEXES.get(header_key(value))


def parse_age(value: str) -> tuple[int, int] | None:
    """An age in whole years as (low, high): "34", "٣٤", "34 years", "about 34", "30-35".

    Returns None for an empty cell; raises InputError for anything else that is not an age.
    """
    text = value.translate(_DIGITS).strip().lower()
    if not text:
        return None
    match = _AGE.fullmatch(text)
    if match is None:
        raise InputError(f"{value!r} is not an age in years", hint="write a whole number, e.g. 34")
    low = int(match[1])
    high = int(match[2]) if match[2] else low
    if high < low or high > _MAX_AGE:
        raise InputError(f"{value!r} is not a possible age (0–{_MAX_AGE} years)")
    return low, high


def birth_from_age(age: tuple[int, int], death: UncertainDate) -> UncertainDate | None:
    """Birth years implied by an age at death: age A at death in year Y means born Y-A-1 … Y-A.

    With a death known only as an interval the range widens to cover every year in it; without
    any date of death an age gives no birth year (None).
    """
    if death.earliest is None or death.latest is None:
        return None
    first = death.earliest.year - age[1] - 1
    last = death.latest.year - age[0]
    if first < 1 or last > 9999:
        return None
    label = f"age {age[0]}" + (f"-{age[1]}" if age[1] != age[0] else "")
    return UncertainDate(date(first, 1, 1), date(last, 12, 31), DatePrecision.RANGE, label)


def list_date_text(text: str) -> str:
    """A date as lists write it, in a form `parse_uncertain_date` reads.

    Adds what lists use beyond that parser's forms: a time of day after a spreadsheet date
    ("2013-05-14T10:30:00" is that day), dashes between day, month and year ("14-05-2013",
    "05-2013") and year-first slashes ("2013/05/14"). Arabic-Indic digits are accepted.
    """
    plain = text.translate(_DIGITS).strip()
    if day := _DATE_TIME.fullmatch(plain):
        return day[1]
    if _DAY_FIRST_DASHES.fullmatch(plain):
        return plain.replace("-", "/")
    if _YEAR_FIRST_SLASHES.fullmatch(plain):
        return plain.replace("/", "-")
    return text


@cache
def _governorate_skeletons() -> dict[str, str]:
    """Consonant skeleton of each governorate's English and Arabic name → p-code (all distinct)."""
    keys: dict[str, str] = {}
    for place in gazetteer().governorates:
        for name in (place.name_en, place.name_ar):
            key = skeleton(name).replace(" ", "")
            if len(key) >= 2:
                keys[key] = place.pcode
    return keys


def approximate_governorate(text: str) -> str | None:
    """The governorate whose name has the same consonant skeleton ("Dayr Az Zor" → SY09), or None.

    A fallback after the gazetteer's exact names and aliases: the 14 governorates' skeletons are
    all different, so a spelling that keeps the consonants is recognised; it is reported.
    """
    if len(text.split()) > 3:
        return None
    return _governorate_skeletons().get(skeleton(text).replace(" ", ""))


@dataclass
class Notice:
    """A warning counted over a file: what, in which column, how often, first row, an example."""

    column: str
    message: str
    count: int = 0
    first_row: int = 0
    example: str = ""

    def __str__(self) -> str:
        example = f" (e.g. {self.example!r})" if self.example else ""
        return (
            f"column {self.column!r}: {self.message}{example}: {self.count} row(s), "
            f"first at row {self.first_row}"
        )


@dataclass
class RowParser:
    """Parses the rows of one file under one mapping; remembers warnings across rows.

    Attributes:
        headers: The file's columns.
        mapping: Which column holds which field.
        id_column: The column holding record ids; None means row numbers are the ids.
        notices: Warnings gathered so far, keyed by (column, message).
    """

    headers: list[str]
    mapping: ColumnMapping
    id_column: str | None = None
    notices: dict[tuple[str, str], Notice] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    _places: dict[tuple[str, bool], tuple[str | None, bool]] = field(
        default_factory=dict, repr=False
    )
    _dates: dict[str, UncertainDate | str] = field(default_factory=dict, repr=False)
    _columns: dict[str, tuple[str, int]] = field(default_factory=dict, repr=False)
    _today: date = field(default_factory=date.today, repr=False)

    def __post_init__(self) -> None:
        self._index = {h: i for i, h in enumerate(self.headers)}
        self._columns = {f: (c, self._index[c]) for f, c in self.mapping.fields.items()}

    def note(self, column: str, message: str, row: int, example: str = "") -> None:
        """Count one occurrence of a warning."""
        notice = self.notices.get((column, message))
        if notice is None:
            notice = self.notices[(column, message)] = Notice(column, message, 0, row, example)
        notice.count += 1

    def _cell(self, cells: list[str], fld: str) -> tuple[str, str]:
        found = self._columns.get(fld)
        if found is None:
            return "", ""
        column, i = found
        return column, (cells[i] if i < len(cells) else "").strip()

    def _date(self, text: str) -> UncertainDate | str:
        """A parsed date, or the error message (memoised: lists repeat dates a lot)."""
        found = self._dates.get(text)
        if found is None:
            try:
                found = parse_uncertain_date(list_date_text(text))
            except InputError as exc:
                found = exc.message
            if len(self._dates) < 100_000:
                self._dates[text] = found
        return found

    def _governorate(self, text: str, row: int, column: str, *, from_place: bool) -> str | None:
        """The p-code of the governorate a name lies in (a governorate, district or facility)."""
        hit = self._places.get((text, from_place))
        if hit is None:
            place = gazetteer().find(text, "governorate") or gazetteer().find(text)
            pcode = None
            if place is not None:
                pcode = place.pcode if place.level == "governorate" else place.governorate_pcode
            elif not from_place:
                pcode = approximate_governorate(text)
            hit = self._places[(text, from_place)] = (pcode, place is not None)
        if not hit[1] and hit[0] is not None:
            self.note(column, f"governorate matched by approximate spelling to {hit[0]}", row, text)
        elif not hit[1]:
            what = (
                "place not in the gazetteer; kept as text"
                if from_place
                else ("governorate not recognised; kept as text, governorate left unknown")
            )
            self.note(column, what, row, text)
        return hit[0]

    def _check_cells(self, number: int, cells: list[str], errors: list[RowError]) -> None:
        width = len(self.headers)
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            errors.append(
                RowError(number, None, f"{len(cells)} cells but the header names {width} columns")
            )
        for header, cell in zip(self.headers, cells, strict=False):
            if not cell or (cell[0] not in _SUSPECT_START and "<" not in cell):
                continue
            if is_formula_like(cell):
                self.note(
                    header,
                    "starts like a spreadsheet formula; stored verbatim, neutralised on export",
                    number,
                    cell[:40],
                )
            elif has_markup(cell):
                self.note(
                    header, "contains HTML-like markup; stored as plain text", number, cell[:40]
                )

    def _check_lengths(
        self,
        number: int,
        record_id: str,
        parts: dict[str, str],
        mother: str,
        full: str,
        errors: list[RowError],
    ) -> None:
        longest = max(len(record_id), len(mother), *(len(v) for v in parts.values()))
        if longest <= _MAX_LENGTH["name part"] and len(full) <= _MAX_LENGTH["full_name"]:
            return
        values = [("record_id", self.id_column, record_id, _MAX_LENGTH["record_id"])]
        values += [
            (
                p,
                self.mapping.column(p) or self.mapping.column("full_name"),
                v,
                _MAX_LENGTH["name part"],
            )
            for p, v in (*parts.items(), ("mother", mother))
        ]
        values.append(
            ("full_name", self.mapping.column("full_name"), full, _MAX_LENGTH["full_name"])
        )
        for fld, column, value, limit in values:
            if len(value) > limit:
                errors.append(
                    RowError(number, column, f"{fld} is {len(value)} characters (at most {limit})")
                )

    def _names(self, cells: list[str]) -> tuple[dict[str, str], str, str]:
        """Name parts (split from the full name when no part column gives them), full name, mother."""
        parts = {
            p: " ".join(self._cell(cells, p)[1].split())
            for p in ("given", "father", "grandfather", "family")
        }
        full = " ".join(self._cell(cells, "full_name")[1].split())
        if full and not (parts["given"] or parts["family"]):
            split = split_full_name(full)
            parts = {p: parts[p] or split[i] for i, p in enumerate(parts)}
        if not full:
            full = " ".join(v for v in parts.values() if v)
        return parts, full, " ".join(self._cell(cells, "mother")[1].split())

    def _death(self, number: int, cells: list[str], errors: list[RowError]) -> UncertainDate:
        column, text = self._cell(cells, "death_date")
        death = self._date(text) if text else UncertainDate.unknown()
        if isinstance(death, str):
            errors.append(RowError(number, column, death))
            return UncertainDate.unknown()
        if death.earliest and death.earliest > self._today:
            errors.append(RowError(number, column, f"{text!r} is in the future"))
        return death

    def _birth(
        self, number: int, cells: list[str], death: UncertainDate, errors: list[RowError]
    ) -> UncertainDate:
        """A birth date or year as given, else the range an age at death implies."""
        birth = UncertainDate.unknown()
        for fld in ("birth_date", "birth_year"):
            column, text = self._cell(cells, fld)
            if text and birth.precision is DatePrecision.UNKNOWN:
                found = self._date(text)
                if isinstance(found, str):
                    errors.append(RowError(number, column, found))
                else:
                    birth = found
        column, text = self._cell(cells, "age")
        try:
            age = parse_age(text)
        except InputError as exc:
            errors.append(RowError(number, column, exc.message))
            return birth
        if age is not None and birth.precision is DatePrecision.UNKNOWN:
            implied = birth_from_age(age, death)
            if implied is None:
                self.note(column, "age without a bounded date of death gives no birth year", number)
            else:
                birth = implied
        return birth

    def _where(self, number: int, cells: list[str]) -> tuple[str | None, str]:
        """Governorate p-code (from the governorate, else the place of death) and place text."""
        column, text = self._cell(cells, "governorate")
        known = text and header_key(text) not in _UNKNOWN
        governorate = self._governorate(text, number, column, from_place=False) if known else None
        column, place = self._cell(cells, "place_of_death")
        if place and header_key(place) not in _UNKNOWN:
            from_place = self._governorate(place, number, column, from_place=True)
            governorate = governorate or from_place
        return governorate, place

    def parse(self, number: int, cells: list[str]) -> tuple[ListRecord | None, list[RowError]]:
        """Parse one data row into a record (ids 0 until stored), or the row's errors."""
        errors: list[RowError] = []
        self._check_cells(number, cells, errors)
        raw = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(self.headers)}
        if self.id_column is None:
            record_id = str(number)
        else:
            record_id = raw[self.id_column].strip()
            if not record_id:
                errors.append(RowError(number, self.id_column, "the record id is empty"))
        parts, full, mother = self._names(cells)
        column, text = self._cell(cells, "sex")
        sex = normalise_sex(text)
        if sex is None:
            self.note(column, "sex code not recognised; parsed as unknown", number, text)
            sex = "unknown"
        death = self._death(number, cells, errors)
        birth = self._birth(number, cells, death, errors)
        governorate, place = self._where(number, cells)
        self._check_lengths(number, record_id, parts, mother, full, errors)
        if errors:
            return None, errors
        return (
            ListRecord(
                0, 0, number, record_id, raw, parts["given"], parts["father"],
                parts["grandfather"], parts["family"], mother, full, sex, birth, death,
                governorate, place,
            ),
            [],
        )  # fmt: skip
