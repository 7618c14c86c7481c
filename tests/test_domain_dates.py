"""Uncertain dates: every accepted input form, and the invalid ones with their errors."""

from __future__ import annotations

from datetime import date

import pytest

from sijill.domain.dates import DatePrecision, parse_uncertain_date
from sijill.errors import InputError

P = DatePrecision
VALID = [
    ("2013-05-14", date(2013, 5, 14), date(2013, 5, 14), P.DAY),
    ("14/05/2013", date(2013, 5, 14), date(2013, 5, 14), P.DAY),
    ("14.05.2013", date(2013, 5, 14), date(2013, 5, 14), P.DAY),
    ("2013-05", date(2013, 5, 1), date(2013, 5, 31), P.MONTH),
    ("05/2013", date(2013, 5, 1), date(2013, 5, 31), P.MONTH),
    ("2012-02", date(2012, 2, 1), date(2012, 2, 29), P.MONTH),
    ("2013", date(2013, 1, 1), date(2013, 12, 31), P.YEAR),
    ("2012/2013", date(2012, 1, 1), date(2013, 12, 31), P.RANGE),
    ("2012-2013", date(2012, 1, 1), date(2013, 12, 31), P.RANGE),
    ("before 2014-03", None, date(2014, 2, 28), P.BEFORE),
    ("Before 2014", None, date(2013, 12, 31), P.BEFORE),
    ("قبل 2014-03", None, date(2014, 2, 28), P.BEFORE),
    ("after 2013", date(2014, 1, 1), None, P.AFTER),
    ("بعد ٢٠١٣-٠٥", date(2013, 6, 1), None, P.AFTER),
    ("٢٠١٣-٠٥-١٤", date(2013, 5, 14), date(2013, 5, 14), P.DAY),
    ("2013-05-01..2013-06-15", date(2013, 5, 1), date(2013, 6, 15), P.RANGE),
    ("2011-09 to 2015-12", date(2011, 9, 1), date(2015, 12, 31), P.RANGE),
    ("  2013  ", date(2013, 1, 1), date(2013, 12, 31), P.YEAR),
    ("September 2011", date(2011, 9, 1), date(2011, 9, 30), P.MONTH),
    ("Sept. 2011", date(2011, 9, 1), date(2011, 9, 30), P.MONTH),
    ("أيلول 2011", date(2011, 9, 1), date(2011, 9, 30), P.MONTH),
    ("كانون الأول ٢٠١٥", date(2015, 12, 1), date(2015, 12, 31), P.MONTH),
    ("early 2012", date(2012, 1, 1), date(2012, 5, 1), P.RANGE),
    ("late 2014", date(2014, 9, 1), date(2014, 12, 31), P.RANGE),
    ("", None, None, P.UNKNOWN),
    ("unknown", None, None, P.UNKNOWN),
    ("غير معروف", None, None, P.UNKNOWN),
]

INVALID = [
    ("31/02/2013", "not a real date"),
    ("2013-02-30", "not a real date"),
    ("2013-13", "month 13 does not exist"),
    ("13/2013", "month 13 does not exist"),
    ("2013-00-10", "month 0 does not exist"),
    ("2014/2012", r"ends \(2012\) before it starts"),
    ("1850", "outside 1900–2100"),
    ("yesterday", "cannot read"),
    ("2013-05-14..2013-05-01", "ends before it starts"),
    ("before", "cannot read"),
    ("Smarch 2011", "cannot read"),
]


@pytest.mark.parametrize(("text", "earliest", "latest", "precision"), VALID)
def test_valid_forms_give_their_interval(
    text: str, earliest: date | None, latest: date | None, precision: DatePrecision
) -> None:
    parsed = parse_uncertain_date(text)
    assert (parsed.earliest, parsed.latest, parsed.precision) == (earliest, latest, precision)


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_invalid_forms_raise_clear_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_uncertain_date(text)


def test_overlap_respects_open_ends_and_tolerance() -> None:
    before = parse_uncertain_date("before 2014-03")
    assert before.overlaps(parse_uncertain_date("2013"))
    assert not before.overlaps(parse_uncertain_date("2015"))
    a, b = parse_uncertain_date("2013-05-14"), parse_uncertain_date("2013-05-20")
    assert not a.overlaps(b)
    assert a.overlaps(b, tolerance_days=6)
