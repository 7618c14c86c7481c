"""Tests of testimony-derived ranges: parsing, the Saydnaya arithmetic, drivers, pooling."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sijill.errors import InputError
from sijill.estimation.testimony import Period, WitnessReport, estimate_from_testimony
from sijill.estimation.testimony_inputs import UncertainDate, UncertainQuantity, weeks_between


def saydnaya(rate: str) -> WitnessReport:
    return WitnessReport("S-01", (Period.of("September 2011", "December 2015", rate, "20–50"),))


def test_parse_quantities() -> None:
    assert UncertainQuantity.parse("20–50").low == 20
    assert UncertainQuantity.parse("20 to 50").high == 50
    assert UncertainQuantity.parse("between 20 and 50 people").high == 50
    rate = UncertainQuantity.parse("once or twice a week")
    assert (rate.low, rate.high, rate.distribution) == (1, 2, "uniform")
    assert UncertainQuantity.parse("once a week").distribution == "fixed"
    about = UncertainQuantity.parse("about 40")
    assert (about.low, about.mode, about.high) == (30, 40, 50)
    assert UncertainQuantity.parse("٢٠-٥٠").high == 50
    with pytest.raises(InputError, match="cannot read"):
        UncertainQuantity.parse("many")
    with pytest.raises(InputError):
        UncertainQuantity(50, 20)


def test_parse_dates() -> None:
    september = UncertainDate.parse("September 2011")
    assert (september.earliest, september.latest) == (date(2011, 9, 1), date(2011, 9, 30))
    assert UncertainDate.parse("Dec 2015").latest == date(2015, 12, 31)
    assert UncertainDate.parse("2013").earliest == date(2013, 1, 1)
    assert UncertainDate.parse("2013-05-04").latest == date(2013, 5, 4)
    assert UncertainDate.parse("early 2012").latest < date(2012, 6, 1)
    with pytest.raises(InputError, match="cannot read the date"):
        UncertainDate.parse("the spring after the uprising")


def test_saydnaya_once_a_week_gives_about_5000_to_13000() -> None:
    result = estimate_from_testimony(saydnaya("once a week"), seed=1)
    shortest, longest = weeks_between(
        UncertainDate.parse("September 2011"), UncertainDate.parse("December 2015")
    )
    low, high = result.arithmetic_range
    assert low == pytest.approx(20 * shortest)
    assert high == pytest.approx(50 * longest)
    # Sept 2011 – Dec 2015 is 218–226 weeks; Amnesty's 5,000–13,000 rounds it up to ~260.
    assert 4_000 < result.lower < 5_500
    assert 10_000 < result.upper < 13_000
    assert 7_000 < result.estimate < 8_500
    assert result.drivers[0]["input"].startswith("people per event")
    assert result.drivers[0]["share_of_variance"] > 0.9
    assert "September 2011 – December 2015 spans 218–226 weeks" in result.summary()


def test_once_or_twice_a_week_widens_the_range_and_says_so() -> None:
    once = estimate_from_testimony(saydnaya("once a week"), seed=1)
    twice = estimate_from_testimony(saydnaya("once or twice a week"), seed=1)
    assert twice.upper > once.upper * 1.4
    assert twice.upper - twice.lower > 1.5 * (once.upper - once.lower)
    rate_driver = next(d for d in twice.drivers if d["input"].startswith("events per week"))
    assert rate_driver["share_of_variance"] > 0.2
    assert any("once or twice a week" in note and "widens" in note for note in twice.notes)
    assert "once or twice a week" in twice.summary()
    assert "once or twice a week" in twice.summary_html()


def test_sub_periods_add_up() -> None:
    report = WitnessReport(
        "S-02",
        (
            Period.of("2012-01-01", "2012-12-31", 2, 10, label="2012"),
            Period.of("2013-01-01", "2013-12-31", 1, 10, label="2013"),
        ),
    )
    result = estimate_from_testimony(report, draws=2_000)
    assert result.estimate == pytest.approx(10 * 2 * 366 / 7 + 10 * 1 * 365 / 7, rel=0.01)


def test_several_witnesses_are_pooled_and_disagreement_is_reported() -> None:
    low = WitnessReport("W-A", (Period.of("2012", "2013", "1", "10-12"),))
    high = WitnessReport("W-B", (Period.of("2012", "2013", "2", "40-50"),))
    result = estimate_from_testimony([low, high], draws=20_000, seed=3)
    assert set(result.per_source) == {"W-A", "W-B"}
    assert result.lower < result.per_source["W-B"]["lower"]
    assert result.upper > result.per_source["W-A"]["upper"]
    assert any("do not overlap" in note for note in result.notes)
    with pytest.raises(InputError, match="own source code"):
        estimate_from_testimony([low, low])


def test_result_is_immutable_and_serialisable() -> None:
    result = estimate_from_testimony(saydnaya("once a week"), draws=5_000, seed=9)
    again = estimate_from_testimony(saydnaya("once a week"), draws=5_000, seed=9)
    assert result.to_dict() == again.to_dict()
    data = json.loads(json.dumps(result.to_dict()))
    assert {"method", "estimate", "lower", "upper", "level"} <= set(data)
    with pytest.raises(AttributeError):
        result.estimate = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.settings["seed"] = 2  # type: ignore[index]


def test_averaging_independent_sources_narrows_the_pooled_range() -> None:
    first = WitnessReport("W-A", (Period.of("2012", "2013", "1-2", "20-40"),))
    second = WitnessReport("W-B", (Period.of("2012", "2013", "1-2", "25-50"),))
    pooled = estimate_from_testimony([first, second], draws=20_000, seed=4)
    averaged = estimate_from_testimony([first, second], draws=20_000, seed=4, combine="average")
    assert averaged.upper - averaged.lower < pooled.upper - pooled.lower
    assert averaged.settings["combine"] == "average"
    with pytest.raises(InputError, match="combine"):
        estimate_from_testimony(first, combine="each")
