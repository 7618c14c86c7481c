"""The names façade for linkage and the vault: match forms, blocking keys and a similarity.

Why our own code: no maintained Python library covers Syrian Arabic names across scripts.
pyarabic and camel-tools normalise Arabic script only (no bridge to the many Latin spellings);
arabic-name-romanizer ranks Latin spellings of Arabic input but does not map a Latin spelling
back, nor give a key both scripts share. See bench/RESULTS-names.md for the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sijill.names.arabic import normalise_arabic
from sijill.names.latin import fold_latin_token, split_latin_article
from sijill.names.romanise import romanise
from sijill.names.script import Script, detect_script, split_script_runs
from sijill.names.similarity import jaro_winkler
from sijill.names.skeleton import skeleton, skeleton_tokens

__all__ = [
    "NameForms",
    "first_token_skeleton",
    "match_forms",
    "name_key",
    "name_similarity",
    "skeleton_key",
    "soundex_key",
]


@dataclass(frozen=True, slots=True)
class NameForms:
    """The forms of one name that linkage, blocking and blind indexes compare.

    Attributes:
        script: The script the name was written in.
        arabic_norm: The Arabic match form (:func:`sijill.names.arabic.normalise_arabic`) of
            the Arabic-script words, empty when there are none.
        latin_norm: The phonetic Latin match form of the canonical romanisation: equal for an
            Arabic name and its common Latin spellings when the name is known, close otherwise.
        romanised: The canonical Latin spelling (:func:`sijill.names.romanise.romanise`).
        skeleton: The cross-script consonant skeleton (:func:`sijill.names.skeleton.skeleton`).
    """

    script: Script
    arabic_norm: str
    latin_norm: str
    romanised: str
    skeleton: str


@lru_cache(maxsize=262144)
def match_forms(name: str) -> NameForms:
    """Compute every match form of a name (full name or one part) in either script.

    Results are cached: lists repeat the same names many times.

    Args:
        name: The name as it appears in a list or testimony.

    Returns:
        A frozen :class:`NameForms`; all fields are empty strings for an empty name.
    """
    script = detect_script(name)
    if script is Script.EMPTY:
        return NameForms(script, "", "", "", "")
    arabic = " ".join(
        normalise_arabic(chunk)
        for chunk, chunk_script in split_script_runs(name, script)
        if chunk_script is Script.ARABIC
    )
    romanised = romanise(name)
    latin_norm = " ".join(fold_latin_token(t) for t in romanised.split())
    return NameForms(script, arabic, latin_norm, romanised, skeleton(name))


def name_key(name: str) -> str:
    """The full match key: ``latin_norm`` without articles.

    Unlike the skeleton it keeps vowels and medial w/y, so Hasan (``hasan``) and Husayn
    (``husayn``) differ while Hussein, Hussain and حسين agree. The article is dropped because
    lists write family names with and without it (al-Hajj / Hajj).
    """
    return " ".join(split_latin_article(t)[1] for t in match_forms(name).latin_norm.split())


def skeleton_key(name: str) -> str:
    """Blocking key: the whole skeleton with parts joined by spaces (``"mhmd hmd hm"``)."""
    return match_forms(name).skeleton


def first_token_skeleton(name: str) -> str:
    """Blocking key: the skeleton of the first name part only (given name), ``""`` if none."""
    parts = skeleton_tokens(name)
    return parts[0] if parts else ""


# Soundex-style digit groups over skeleton letters: labials (b f), gutturals and sibilants
# (k g s c x), dentals with z (d z, so Diab / Dhiab and Osman-style slips of z and d agree), l,
# nasals (m n), r; h and the initial w/y carry no digit. Coarser than the skeleton on purpose.
_SOUNDEX = str.maketrans("bfkgscxdzlmnrhwy-", "11222223345560000")


def soundex_key(name: str, length: int = 4) -> str:
    """Blocking key: a Soundex-like digit code of the first part's skeleton, e.g. ``"5530"``.

    Every skeleton letter becomes its group digit, repeats collapse, then the code is padded
    with zeros or cut to ``length``. A second, coarser key for blocking passes that must
    survive the consonant slips the skeleton keeps apart.
    """
    first = first_token_skeleton(name)
    if not first:
        return ""
    code: list[str] = []
    for digit in first.translate(_SOUNDEX):
        if digit != "0" and (not code or code[-1] != digit):
            code.append(digit)
    return "".join(code).ljust(length, "0")[:length]


def _bare(latin_norm: str) -> str:
    return " ".join(split_latin_article(t)[1] for t in latin_norm.split())


def name_similarity(a: str, b: str) -> float:
    """Similarity of two names in [0, 1], across scripts.

    0.7 × Jaro-Winkler of the article-free ``latin_norm`` forms plus 0.3 × Jaro-Winkler of the
    skeletons. Both forms exist for both scripts, so ``محمد`` vs ``Mohamed`` scores 1.0 where
    raw Jaro-Winkler scores 0; Hasan vs Husayn share a skeleton but not a ``latin_norm`` and
    score below 1. Compare names with their parts in the same order (or part by part).

    Args:
        a: A name in either script.
        b: Another name in either script.

    Returns:
        0.0 when either name is empty, else the weighted score.
    """
    fa, fb = match_forms(a), match_forms(b)
    if not fa.latin_norm or not fb.latin_norm:
        return 0.0
    norm = jaro_winkler(_bare(fa.latin_norm), _bare(fb.latin_norm))
    skel = jaro_winkler(fa.skeleton, fb.skeleton) if fa.skeleton and fb.skeleton else norm
    return 0.7 * norm + 0.3 * skel
