"""Claim values compared by attribute: dates and counts as intervals, places, free text."""

from __future__ import annotations

import pytest

from sijill.corroboration.values import (
    Verdict,
    agreed_value,
    compare_values,
    has_value,
    normalise_text,
    place_contains,
)
from sijill.domain.claims import ClaimValue
from sijill.domain.dates import parse_uncertain_date
from sijill.domain.ranges import parse_count_range


def _date(text: str) -> ClaimValue:
    return ClaimValue(text, date=parse_uncertain_date(text))


def _count(text: str) -> ClaimValue:
    return ClaimValue(text, count=parse_count_range(text))


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ("2009", "2011-09 to 2015-12", Verdict.INCOMPATIBLE),
        ("2012/2013", "2011-09 to 2015-12", Verdict.COMPATIBLE),
        ("2013-05", "2013-05-14", Verdict.COMPATIBLE),
        ("2013-05", "2013-06-01", Verdict.INCOMPATIBLE),
        ("before 2012", "2011-12-31", Verdict.COMPATIBLE),
        ("before 2012", "2012-01-01", Verdict.INCOMPATIBLE),
        ("after 2013", "2014", Verdict.COMPATIBLE),
        ("٢٠١٣", "2013-07", Verdict.COMPATIBLE),
    ],
)
def test_dates_agree_when_their_intervals_overlap(a: str, b: str, verdict: Verdict) -> None:
    result = compare_values("date", _date(a), _date(b))
    assert result.verdict is verdict
    assert result.reason


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ("20-50", "30-50", Verdict.COMPATIBLE),
        ("20-50", "5-10", Verdict.INCOMPATIBLE),
        ("about 30", "20-25", Verdict.COMPATIBLE),
        ("at least 12", "100", Verdict.COMPATIBLE),
        ("at least 12", "11", Verdict.INCOMPATIBLE),
    ],
)
def test_counts_agree_when_their_ranges_overlap(a: str, b: str, verdict: Verdict) -> None:
    assert compare_values("count", _count(a), _count(b)).verdict is verdict


def test_a_number_against_words_is_left_to_a_person() -> None:
    result = compare_values("count", _count("20-50"), ClaimValue("dozens"))
    assert result.verdict is Verdict.NOT_COMPARABLE
    assert "dozens" in result.reason


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ("basement of the white building", "The basement of the White Building", True),
        ("white building", "basement of the white building", True),
        ("red building", "white building", False),
        ("el-Najha", "Najha", True),
        ("Nájha", "najha", True),
        ("المبنى الأبيض", "مبنى الابيض", True),
    ],
)
def test_place_texts_compare_after_normalising(a: str, b: str, verdict: bool) -> None:
    result = compare_values("place", ClaimValue(a), ClaimValue(b))
    assert result.compatible is verdict


def test_place_texts_in_different_scripts_are_not_called_a_contradiction() -> None:
    result = compare_values("place", ClaimValue("المبنى الأبيض"), ClaimValue("white building"))
    assert result.verdict is Verdict.NOT_COMPARABLE


def test_place_codes_nest_facilities_in_their_governorate() -> None:
    saydnaya, rif, damascus = "FAC-01", "SY03", "SY01"
    assert place_contains(rif, saydnaya) and not place_contains(damascus, saydnaya)
    assert place_contains("SY03", "SY0300") and not place_contains("SY0300", "SY03")
    inside = compare_values(
        "place", ClaimValue("Saydnaya", place_pcode=saydnaya), ClaimValue("Rif", place_pcode=rif)
    )
    assert inside.compatible and "within" in inside.reason
    apart = compare_values(
        "place", ClaimValue("Saydnaya", place_pcode=saydnaya), ClaimValue("D", place_pcode=damascus)
    )
    assert apart.verdict is Verdict.INCOMPATIBLE


def test_free_text_uses_normalised_equality_only() -> None:
    assert compare_values("outcome", ClaimValue("Died"), ClaimValue("died")).compatible
    assert not compare_values("outcome", ClaimValue("died"), ClaimValue("released")).compatible
    # For free text a subset is not agreement: "not hanged" is not a detail of "hanged".
    assert not compare_values("method", ClaimValue("hanged"), ClaimValue("not hanged")).compatible


def test_normalise_text_folds_articles_case_and_arabic_letter_forms() -> None:
    assert normalise_text("The al-Abyad Building") == normalise_text("abyad building")
    assert normalise_text("مدرسة") == normalise_text("مدرسه")


def test_unknown_dates_and_empty_texts_assert_nothing() -> None:
    assert not has_value(_date("unknown"))
    assert not has_value(ClaimValue("  "))
    assert has_value(_date("2013")) and has_value(ClaimValue("Najha"))


def test_agreed_value_is_the_intersection_of_intervals() -> None:
    assert agreed_value("count", [_count("20-50"), _count("30-60")]) == "30–50"
    assert agreed_value("date", [_date("2011-09 to 2015-12"), _date("2012/2013")]) == (
        "2012-01 to 2013-12"
    )
    assert agreed_value("date", [_date("2009"), _date("2009")]) == "2009"
