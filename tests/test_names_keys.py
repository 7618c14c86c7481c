"""The façade: match forms, blocking keys and cross-script similarity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sijill.names.caches import clear_caches
from sijill.names.keys import (
    NameForms,
    _forms_by_tokens,
    first_token_skeleton,
    match_forms,
    match_forms_columns,
    name_key,
    name_similarity,
    parts_similarity,
    skeleton_key,
    soundex_key,
)
from sijill.names.parse import parse_name
from sijill.names.romanise import romanise
from sijill.names.script import Script
from sijill.names.similarity import jaro_winkler
from sijill.names.skeleton import skeleton


def test_match_forms_of_an_arabic_name() -> None:
    forms = match_forms("مُحَمَّد بن أحمد الحموي")
    assert forms == NameForms(
        script=Script.ARABIC,
        arabic_norm="محمد بن احمد الحموي",
        latin_norm="muhamad bin ahmad alhamwi",
        romanised="muhammad bin ahmad alhamwi",
        skeleton="mhmd hmd hm",
    )


def test_match_forms_of_latin_and_mixed_names() -> None:
    latin = match_forms("Mhd bin Ahmed Al-Hamwi")
    assert (latin.script, latin.arabic_norm) == (Script.LATIN, "")
    assert latin.latin_norm == "muhamad bin ahmad alhamwi"
    mixed = match_forms("محمد Khaled الحموي")
    assert mixed.script is Script.MIXED
    assert mixed.arabic_norm == "محمد الحموي"
    assert mixed.romanised == "muhammad khalid alhamwi"
    assert match_forms("") == NameForms(Script.EMPTY, "", "", "", "")


def test_match_forms_columns_aligns_with_the_input() -> None:
    columns = match_forms_columns(["محمد", None, "Mohamed", "", "محمد"])
    assert columns["script"] == ["arabic", "empty", "latin", "empty", "arabic"]
    assert columns["skeleton"] == ["mhmd", "", "mhmd", "", "mhmd"]
    assert columns["romanised"][0] == columns["romanised"][2] == "muhammad"
    assert set(columns) == {"script", "arabic_norm", "latin_norm", "romanised", "skeleton"}


def test_blocking_keys() -> None:
    assert skeleton_key("Abdelrahmane al-Chami") == skeleton_key("عبد الرحمن الشامي")
    assert first_token_skeleton("Mohamed Ali") == first_token_skeleton("محمد علي") == "mhmd"
    assert first_token_skeleton("") == ""
    assert skeleton_key("Diab") == skeleton_key("ذياب") == skeleton_key("Thiab")
    # The coarse key also survives the s/k/g slips the skeleton keeps apart.
    assert skeleton_key("Gassem") != skeleton_key("قاسم")
    assert soundex_key("Gassem") == soundex_key("قاسم")
    assert len(soundex_key("Muhammad")) == 4
    assert soundex_key("") == ""


def test_numbers_are_no_part_of_a_name() -> None:
    assert match_forms("محمد ٢") == match_forms("محمد")
    assert match_forms("Mohamed 2").romanised == "muhammad"


def test_name_key_drops_the_article() -> None:
    assert name_key("al-Hajj") == name_key("Haj") == name_key("الحاج") == "haj"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("محمد", "Mohamed"),
        ("عبد الرحمن", "Abdul Rahman"),
        ("حسين", "Hussain"),
        ("الشامي", "Chami"),
        ("فاطمة", "Fatima"),
    ],
)
def test_cross_script_pairs_score_high(a: str, b: str) -> None:
    assert name_similarity(a, b) >= 0.95
    assert jaro_winkler(a, b) < 0.5  # what a plain comparison sees


@pytest.mark.parametrize(
    ("a", "b"),
    [("Hasan", "Husayn"), ("محمد", "Mahmoud"), ("Ali", "Wael"), ("Khaled", "زينب")],
)
def test_different_names_score_lower(a: str, b: str) -> None:
    assert name_similarity(a, b) < 0.9


def test_similarity_of_empty_names_is_zero() -> None:
    assert name_similarity("", "Ali") == 0.0
    assert name_similarity("Ali", "علي") == 1.0


@settings(deadline=None, derandomize=True)
@given(st.text(max_size=30), st.text(max_size=30))
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    score = name_similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert score == pytest.approx(name_similarity(b, a))


_NAME_WORDS = st.sampled_from(
    [
        *("محمد", "عبد", "الرحمن", "أبو", "علي", "بن", "الحموي", "نور", "الدين", "فاطمة", "آل"),
        *("Mhd", "Abdel", "Rahman", "al-Hamwi", "Abu", "bin", "Nour", "Eddine", "Fatmeh", "el"),
    ]
)


_PLAIN_WORDS = st.sampled_from(
    [*("حسن", "ع", "فاطمة", "١٢", "Khaled", "Mo7amed", "Aïcha", "M", "(", "Elias", "-", "Ali")]
)


@settings(deadline=None, derandomize=True)
@given(st.lists(_NAME_WORDS | _PLAIN_WORDS, min_size=1, max_size=6).map(" ".join))
def test_word_by_word_forms_equal_whole_name_tokenising(name: str) -> None:
    assert match_forms(name) == _forms_by_tokens(name)


@settings(deadline=None, derandomize=True)
@given(st.lists(_NAME_WORDS, min_size=1, max_size=5).map(" ".join))
def test_match_forms_agrees_with_the_single_purpose_functions(name: str) -> None:
    forms = match_forms(name)
    assert forms.skeleton == skeleton(name)
    assert forms.romanised == romanise(name)


@settings(deadline=None, derandomize=True)
@given(
    st.lists(_NAME_WORDS.filter(lambda w: not w.isascii()), min_size=1, max_size=4).map(" ".join)
)
def test_arabic_match_form_keeps_keys(name: str) -> None:
    folded = match_forms(name).arabic_norm
    assert skeleton(folded) == skeleton(name)


@settings(deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.just(" ")))
def test_any_arabic_text_gives_forms(text: str) -> None:
    forms = match_forms(text)
    assert forms.romanised.isascii()
    assert forms.skeleton.isascii()
    assert parse_name(text).script in (forms.script, Script.EMPTY)


def test_clear_caches_empties_them_and_keeps_results() -> None:
    before = match_forms("عبد الرحمن الشامي")
    clear_caches()
    assert match_forms.cache_info().currsize == 0
    assert match_forms("عبد الرحمن الشامي") == before


def test_parts_similarity_tolerates_missing_parts_across_scripts() -> None:
    assert parts_similarity("محمد أحمد علي الحموي", "Mohamed al-Hamwi") == 1.0
    assert parts_similarity("Mhd bin Ahmad", "محمد أحمد") == 1.0
    assert name_similarity("محمد أحمد علي الحموي", "Mohamed al-Hamwi") < 0.9
    assert parts_similarity("Khaled al-Shami", "زينب درويش") < 0.7
    assert parts_similarity("", "Ali") == 0.0
