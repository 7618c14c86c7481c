"""Uncertain dates: every date is an interval (earliest, latest) with the precision it was given at."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sijill.errors import InputError

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class DatePrecision(StrEnum):
    """How precisely a date was known when recorded (HURIDOCS date types, extended)."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    BEFORE = "before"
    AFTER = "after"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class UncertainDate:
    """A date known only to lie in [earliest, latest] (either end may be open)."""

    earliest: date | None
    latest: date | None
    precision: DatePrecision
    text: str = ""

    def __post_init__(self) -> None:
        if self.earliest and self.latest and self.earliest > self.latest:
            raise InputError(f"date interval {self.text!r} ends before it starts")

    @classmethod
    def unknown(cls) -> UncertainDate:
        """A date about which nothing is known."""
        return cls(None, None, DatePrecision.UNKNOWN, "")

    def overlaps(self, other: UncertainDate, tolerance_days: int = 0) -> bool:
        """Whether both could be the same day (open ends overlap everything on that side)."""
        lo_a, hi_a = self.earliest or date.min, self.latest or date.max
        lo_b, hi_b = other.earliest or date.min, other.latest or date.max
        return (lo_a.toordinal() - tolerance_days <= hi_b.toordinal()) and (
            lo_b.toordinal() - tolerance_days <= hi_a.toordinal()
        )

    def __str__(self) -> str:
        if self.text:
            return self.text
        return f"{self.earliest or '…'}/{self.latest or '…'}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _make_day(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(
            f"{raw!r} is not a real date (day {day} of month {month} in {year})",
            hint="check day and month; use YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or YYYY",
        ) from None


def _check_month(month: int, raw: str) -> None:
    if not 1 <= month <= 12:
        raise InputError(f"{raw!r}: month {month} does not exist", hint="months run 1 to 12")


def _check_year(year: int, raw: str) -> None:
    if not 1900 <= year <= 2100:
        raise InputError(f"{raw!r}: year {year} is outside 1900–2100")


#: Month names as witnesses say them: English (full and short), Levantine and Egyptian Arabic.
_MONTHS = {
    **{name: n for n, name in enumerate(calendar.month_name) if name},
    **{name[:3]: n for n, name in enumerate(calendar.month_name) if name},
    "sept": 9,
    **dict.fromkeys(("كانون الثاني", "يناير"), 1),
    **dict.fromkeys(("شباط", "فبراير"), 2),
    **dict.fromkeys(("آذار", "اذار", "مارس"), 3),
    **dict.fromkeys(("نيسان", "أبريل", "ابريل"), 4),
    **dict.fromkeys(("أيار", "ايار", "مايو"), 5),
    **dict.fromkeys(("حزيران", "يونيو"), 6),
    **dict.fromkeys(("تموز", "يوليو"), 7),
    **dict.fromkeys(("آب", "اب", "أغسطس", "اغسطس"), 8),
    **dict.fromkeys(("أيلول", "ايلول", "سبتمبر"), 9),
    **dict.fromkeys(("تشرين الأول", "تشرين الاول", "أكتوبر", "اكتوبر"), 10),
    **dict.fromkeys(("تشرين الثاني", "نوفمبر"), 11),
    **dict.fromkeys(("كانون الأول", "كانون الاول", "ديسمبر"), 12),
}
_MONTHS = {k.lower(): v for k, v in _MONTHS.items()}
_PARTS = {
    "early": 0,
    "mid": 1,
    "late": 2,
    "أوائل": 0,
    "اوائل": 0,
    "منتصف": 1,
    "أواخر": 2,
    "اواخر": 2,
}


def _single(text: str, raw: str) -> tuple[date, date, DatePrecision]:
    """Parse one point form into its (earliest, latest, precision)."""
    # early / mid / late: the first, middle or last third of the span
    if (m := re.fullmatch(r"(\S+) (.+)", text)) and m[1] in _PARTS:
        lo, hi, _ = _single(m[2], raw)
        third = (hi.toordinal() - lo.toordinal() + 1) / 3
        start = lo.toordinal() + round(third * _PARTS[m[1]])
        end = lo.toordinal() + round(third * (_PARTS[m[1]] + 1)) - 1
        return date.fromordinal(start), date.fromordinal(end), DatePrecision.RANGE
    if m := re.fullmatch(r"(.+?)\.? (\d{4})", text):
        month = _MONTHS.get(m[1].strip())
        if month is not None:
            y = int(m[2])
            _check_year(y, raw)
            return date(y, month, 1), _month_end(y, month), DatePrecision.MONTH
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        _check_year(y, raw)
        _check_month(mo, raw)
        day = _make_day(y, mo, d, raw)
        return day, day, DatePrecision.DAY
    if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        _check_year(y, raw)
        _check_month(mo, raw)
        day = _make_day(y, mo, d, raw)
        return day, day, DatePrecision.DAY
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})[/.](\d{4})", text):
        a, b = int(m[1]), int(m[2])
        y, mo = (a, b) if a > 12 and len(m[1]) == 4 else (b, a)
        _check_year(y, raw)
        _check_month(mo, raw)
        return date(y, mo, 1), _month_end(y, mo), DatePrecision.MONTH
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m[1])
        _check_year(y, raw)
        return date(y, 1, 1), date(y, 12, 31), DatePrecision.YEAR
    raise InputError(
        f"cannot read {raw!r} as a date",
        hint="accepted: 2013-05-14, 14/05/2013, 2013-05, 05/2013, September 2011, early 2012, 2013, 2012/2013, "
        "before 2014-03, after 2013 (Arabic قبل/بعد and Arabic-Indic digits too)",
    )


def parse_uncertain_date(value: str | None) -> UncertainDate:
    """Read a date given at any precision into an interval.

    Accepts `2013-05-14`, `14/05/2013` (day first, as in Syrian records), `2013-05`, `05/2013`,
    `September 2011` / `Sept 2011` / `أيلول 2011`, `early 2012` / `mid 2013` / `late 2014`,
    `2013`, year ranges `2012/2013` or `2012-2013`, explicit ranges `2013-05-01..2013-06-15`,
    `before 2014-03` / `قبل 2014-03`, `after 2013` / `بعد 2013`, and Arabic-Indic digits.
    An empty value is an unknown date. Impossible dates (31/02/2013, 2013-13) raise InputError.
    """
    raw = (value or "").strip()
    text = raw.translate(_DIGITS).strip().lower()
    if text in ("", "unknown", "?", "غير معروف", "n/a", "na"):
        return UncertainDate.unknown()
    text = re.sub(r"\s+", " ", text)
    if m := re.fullmatch(r"(before|قبل) (.+)", text):
        lo, _, _ = _single(m[2].strip(), raw)
        return UncertainDate(None, date.fromordinal(lo.toordinal() - 1), DatePrecision.BEFORE, raw)
    if m := re.fullmatch(r"(after|بعد) (.+)", text):
        _, hi, _ = _single(m[2].strip(), raw)
        return UncertainDate(date.fromordinal(hi.toordinal() + 1), None, DatePrecision.AFTER, raw)
    if m := re.fullmatch(r"(\d{4}) ?[/-] ?(\d{4})", text):
        a, b = int(m[1]), int(m[2])
        _check_year(a, raw)
        _check_year(b, raw)
        if b < a:
            raise InputError(f"{raw!r}: the range ends ({b}) before it starts ({a})")
        return UncertainDate(date(a, 1, 1), date(b, 12, 31), DatePrecision.RANGE, raw)
    if m := re.fullmatch(r"(.+?) ?(?:\.\.|–|—| to | - ) ?(.+)", text):
        lo, _, _ = _single(m[1].strip(), raw)
        _, hi, _ = _single(m[2].strip(), raw)
        if hi < lo:
            raise InputError(f"{raw!r}: the range ends before it starts")
        return UncertainDate(lo, hi, DatePrecision.RANGE, raw)
    lo, hi, precision = _single(text, raw)
    return UncertainDate(lo, hi, precision, raw)


def from_stored(
    earliest: str | None, latest: str | None, precision: str | None, text: str | None
) -> UncertainDate:
    """Rebuild an UncertainDate from its stored ISO columns."""
    return UncertainDate(
        date.fromisoformat(earliest) if earliest else None,
        date.fromisoformat(latest) if latest else None,
        DatePrecision(precision or DatePrecision.UNKNOWN),
        text or "",
    )
