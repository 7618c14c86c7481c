"""The demo case's report: numbers, Arabic in logical order, consent, identities, reproduce.

How the PDF text is read: pypdf extracts WeasyPrint's Arabic in logical (reading) order, word
by word, because WeasyPrint writes each shaped run with a ToUnicode map back to its characters.
WeasyPrint maps each glyph to the text of the first cluster it drew it for, so a base letter
drawn once with a vowel mark (أُ) would later extract with that mark: the report's own labels
therefore carry no short vowels.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from sijill.demo import DemoBuilder, build_demo
from sijill.services import cases, events, testimonies
from sijill.services.reports import ReportResult, build_report, reproduce_report
from sijill.services.session import open_session
from tests.conftest import TEST_KDF

DAY = date(2026, 1, 15)
#: Every identity the demo case holds (sources.SOURCES); none may appear in a public report.
IDENTITIES = (
    "Najjar",
    "النجار",
    "Dabbagh",
    "الدباغ",
    "al-Qadi",
    "القاضي",
    "Huda",
    "هدى",
    "al-Shami",
    "الشامي",
    "al-Homsi",
    "الحمصي",
    "al-Halabi",
    "الحلبي",
)


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoBuilder]:
    root = tmp_path_factory.mktemp("report") / "demo"
    builder = build_demo(root, "demo passphrase", kdf=TEST_KDF, only={"case", "corroboration"})
    yield builder
    builder.workspace.close()


@pytest.fixture(scope="module")
def reports(demo: DemoBuilder) -> dict[str, ReportResult]:
    made = {}
    with open_session(demo.workspace, "nour", key=demo.key) as s:
        for lang, scope in (("en", "public"), ("ar", "public"), ("en", "named")):
            made[f"{lang}-{scope}"] = build_report(
                s,
                "SAY",
                lang=lang,
                scope=scope,
                out=demo.workspace.root / "out" / f"{lang}-{scope}",
                methods=("loglinear",),
                on=DAY,
            )
    return made


def test_english_report_numbers_and_consent(reports: dict[str, ReportResult]) -> None:
    result = reports["en-public"]
    text = _text(result.pdf)
    assert "Case report" in text and "Saydnaya 2011–2016" in text
    # 10 sources; W-002 (coi, iiim), W-003 (public consent withdrawn) and W-005 (iiim) are
    # counted but not listed in a public report.
    assert re.search(r"Total\s*10\s*3", text)
    for listed in ("W-001", "W-004", "W-006", "W-007", "D-001", "O-001", "M-001"):
        assert listed in text
    sources = result.sections["sources"]
    listed_codes = {e["code"] for k in sources["kinds"] for e in k["listed"]}
    assert {"W-002", "W-003", "W-005"}.isdisjoint(listed_codes)
    # Timeline: the four events with their uncertain dates.
    for code, when in (("E-001", "2011-09 to 2015-12"), ("E-004", "after 2012")):
        assert code in text and when in text
    # Testimony range: W-001's 20–50 per hanging, once or twice a week, 2011-09 – 2015-12.
    (row,) = result.sections["testimony"]
    assert (row["source"], row["per_event"], row["per_week"]) == ("W-001", "20-50", "1-2")
    assert (row["start"], row["end"]) == ("2011-09-01", "2015-12-31")
    low, high = row["arithmetic"]
    assert low < row["lower"] < row["estimate"] < row["upper"] < high
    assert f"{row['estimate']:,.0f}" in text and f"{high:,.0f}" in text
    # Corroboration recomputed on public-consent testimonies only (W-002's are left out).
    cor = result.sections["corroboration"]
    assert cor["claims_withheld"] > 0
    assert all("W-002" not in f["sources"] for f in cor["findings"])
    # Methods appendix: versions and the data hash.
    manifest = json.loads(result.manifest.read_text("utf-8"))
    assert manifest["data_hash"] in text.replace("\n", "")
    assert "weasyprint" in text and manifest["software"]["python"] in text
    # Every figure has a stamp in report.json and its caption.
    for key in ("timeline", "map", "testimony"):
        item = manifest["items"][key]
        assert (result.directory / item["figure"]).is_file()
        assert item["data_hash"][:12] in text


def test_no_identity_in_public_reports(reports: dict[str, ReportResult]) -> None:
    for key in ("en-public", "ar-public"):
        result = reports[key]
        blobs = [_text(result.pdf), result.html.read_text("utf-8"), result.manifest.read_text()]
        for blob in blobs:
            for name in IDENTITIES:
                assert name not in blob, (key, name)


def test_named_report_names_only_who_consented(reports: dict[str, ReportResult]) -> None:
    text = _text(reports["en-named"].pdf)
    assert "Huda Mahmoud al-Ali" in text  # W-004 consented to being named
    for name in ("Najjar", "Dabbagh", "Homsi", "Shami"):
        assert name not in text


def test_arabic_report_is_rtl_and_reads_in_logical_order(
    reports: dict[str, ReportResult],
) -> None:
    result = reports["ar-public"]
    html = result.html.read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    text = _text(result.pdf)
    for phrase in ("تقرير القضية", "التسلسل الزمني للأحداث", "حارس أو مسؤول سابق", "ملحق المنهجية"):
        assert phrase in text, phrase
        assert phrase[::-1] not in text
    assert "النشر دون ذكر الهوية" in text  # the scope's Arabic label
    (row,) = result.sections["testimony"]
    assert f"{row['estimate']:,.0f}" in text


def test_reproduce_finds_no_difference_then_names_the_changed_figure(
    demo: DemoBuilder, reports: dict[str, ReportResult]
) -> None:
    result = reports["en-public"]
    with open_session(demo.workspace, "rana", key=demo.key) as s:  # a reviewer checks it
        same = reproduce_report(s, result.directory)
    assert same["differ"] == [] and set(same["items"].values()) == {"same"}
    with open_session(demo.workspace, "nour", key=demo.key) as s:
        case = cases.get_case(s, "SAY")
        events.add_event(
            s, case.id, violation_type="torture", title="Beatings on arrival", date="2012-03"
        )
        testimonies.withdraw_consent(s, "W-007", "public", date(2025, 6, 1))
    with open_session(demo.workspace, "nour", key=demo.key) as s:
        changed = reproduce_report(s, result.manifest)
    assert "timeline" in changed["differ"] and "sources" in changed["differ"]
    assert changed["details"]["timeline"] == ["events"]
    assert "testimony" not in changed["differ"]
