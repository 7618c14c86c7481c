"""The names façade for linkage and the vault: match forms, blocking keys and a similarity.

Why our own code: no maintained Python library covers Syrian Arabic names across scripts.
pyarabic and camel-tools normalise Arabic script only (no bridge to the many Latin spellings);
arabic-name-romanizer ranks Latin spellings of Arabic input but does not map a Latin spelling
back, nor give a key both scripts share. See bench/RESULTS-names.md for the comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sijill.names.arabic import PARTICLES as ARABIC_PARTICLES
from sijill.names.arabic import arabic_tokens, fold_token_endings
from sijill.names.arabic import standalone_word_tokens as arabic_standalone_tokens
from sijill.names.latin import clean_latin_tokens, fold_latin_token, split_latin_article
from sijill.names.latin import standalone_word_tokens as latin_standalone_tokens
from sijill.names.romanise import canonical_latin_token, romanise_arabic_token
from sijill.names.script import Script, detect_script, split_script_runs
from sijill.names.similarity import jaro_winkler
from sijill.names.skeleton import arabic_token_skeleton, latin_token_skeleton, skeleton_tokens

KEYS_VERSION = 1
"""Version of the rules and tables behind every key here: bump it whenever a change to
``sijill.names`` can change a key. Blind indexes (keyed HMACs over these forms) and stored linkage
runs record it, so a change is detected and the indexes rebuilt rather than silently missing."""

__all__ = [
    "KEYS_VERSION",
    "NameForms",
    "first_token_skeleton",
    "match_forms",
    "match_forms_columns",
    "name_key",
    "name_similarity",
    "parts_similarity",
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

    A name whose words read the same alone (no article, عبد, kunya, compound or particle to
    join) is assembled from cached per-word forms; any other is tokenised whole, then worked
    token by token with its own caches, as lists repeat the same name parts many times. Use :func:`match_forms_columns` for a column.

    Args:
        name: The name as it appears in a list or testimony.

    Returns:
        A frozen :class:`NameForms`; all fields are empty strings for an empty name.
    """
    words = [_word_forms(word) for word in name.split()]
    if all(w is not None for w in words):
        return _join_words([w for w in words if w is not None])
    return _forms_by_tokens(name)


def _forms_by_tokens(name: str) -> NameForms:
    """The general path: tokenise the whole name (joins across words), then token by token."""
    script = detect_script(name)
    if script is Script.EMPTY:
        return NameForms(script, "", "", "", "")
    arabic: list[str] = []
    romanised: list[str] = []
    folded_latin: list[str] = []
    skeletons: list[str] = []
    for chunk, chunk_script in split_script_runs(name, script):
        if chunk_script is Script.ARABIC:
            for token in arabic_tokens(chunk, fold_endings=False):
                folded, roman, fold, skel = _arabic_token_forms(token)
                arabic.append(folded)
                romanised.append(roman)
                folded_latin.append(fold)
                if skel:
                    skeletons.append(skel)
        else:
            for token in clean_latin_tokens(chunk):
                roman, fold, skel = _latin_token_forms(token)
                romanised.append(roman)
                folded_latin.append(fold)
                if skel:
                    skeletons.append(skel)
    return NameForms(
        script,
        " ".join(arabic),
        " ".join(t for t in folded_latin if t),
        " ".join(t for t in romanised if t),
        " ".join(skeletons),
    )


_WordForms = tuple[Script, str, str, str, str]  # script, arabic, romanised, folded, skeleton


@lru_cache(maxsize=262144)
def _word_forms(word: str) -> _WordForms | None:
    """Forms of one word that reads the same alone as in a name (else ``None``)."""
    script = detect_script(word)
    arabic: list[str] = []
    roman: list[str] = []
    fold: list[str] = []
    skel: list[str] = []
    if script is Script.ARABIC:
        arabic_tokens_ = arabic_standalone_tokens(word)
        if arabic_tokens_ is None:
            return None
        for token in arabic_tokens_:
            folded, r, f, k = _arabic_token_forms(token)
            arabic.append(folded)
            roman.append(r)
            fold.append(f)
            skel.append(k)
    elif script is Script.LATIN:
        latin_tokens_ = latin_standalone_tokens(word)
        if latin_tokens_ is None:
            return None
        for token in latin_tokens_:
            r, f, k = _latin_token_forms(token)
            roman.append(r)
            fold.append(f)
            skel.append(k)
    elif script is Script.MIXED:
        return None
    return (
        script,
        " ".join(arabic),
        " ".join(filter(None, roman)),
        " ".join(filter(None, fold)),
        " ".join(filter(None, skel)),
    )


def _join_words(words: list[_WordForms]) -> NameForms:
    scripts = {w[0] for w in words}
    scripts.discard(Script.EMPTY)
    if not scripts:
        return NameForms(Script.EMPTY, "", "", "", "")
    script = scripts.pop() if len(scripts) == 1 else Script.MIXED
    if len(words) == 1:
        _, arabic, roman, fold, skel = words[0]
        return NameForms(script, arabic, fold, roman, skel)
    return NameForms(
        script,
        " ".join([w[1] for w in words if w[1]]),
        " ".join([w[3] for w in words if w[3]]),
        " ".join([w[2] for w in words if w[2]]),
        " ".join([w[4] for w in words if w[4]]),
    )


@lru_cache(maxsize=262144)
def _arabic_token_forms(token: str) -> tuple[str, str, str, str]:
    """Folded Arabic, romanised, folded Latin and skeleton of one token (ة/ى kept)."""
    folded = fold_token_endings(token)
    if folded in ARABIC_PARTICLES:
        roman = "bin" if folded == "بن" else "bint"
        return folded, roman, roman, ""
    roman = romanise_arabic_token(token)
    return folded, roman, fold_latin_token(roman), arabic_token_skeleton(folded) or "-"


@lru_cache(maxsize=262144)
def _latin_token_forms(token: str) -> tuple[str, str, str]:
    """Romanised, folded Latin and skeleton of one clean Latin token."""
    roman = canonical_latin_token(token)
    skel = "" if token in ("bin", "bint") else latin_token_skeleton(token) or "-"
    return roman, fold_latin_token(roman), skel


def match_forms_columns(names: Iterable[str | None]) -> dict[str, list[str]]:
    """Match forms of a whole column, computed once per distinct name.

    Args:
        names: One name per record; ``None`` is treated as an empty name.

    Returns:
        One list per :class:`NameForms` field (``script`` as its string value), aligned with
        ``names``: ready for ``pandas.DataFrame(...)`` or a DuckDB table.
    """
    values = ["" if name is None else name for name in names]
    distinct = {name: match_forms(name) for name in dict.fromkeys(values)}
    rows = [distinct[name] for name in values]
    return {
        "script": [f.script.value for f in rows],
        "arabic_norm": [f.arabic_norm for f in rows],
        "latin_norm": [f.latin_norm for f in rows],
        "romanised": [f.romanised for f in rows],
        "skeleton": [f.skeleton for f in rows],
    }


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
# (k g s c x), dentals (d), l, nasals (m n), r; h and the initial w/y carry no digit. Coarser
# than the skeleton on purpose (k/g/s/c/x merge), for a second blocking pass.
_SOUNDEX = str.maketrans("bfkgscxdzlmnrhwy-", "11222223345560000")


def soundex_key(name: str, length: int = 4) -> str:
    """Blocking key: a Soundex-like digit code of the first part's skeleton (Muhammad: ``"5300"``).

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


def _part_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    skeleton_a, skeleton_b = latin_token_skeleton(a), latin_token_skeleton(b)
    skel = jaro_winkler(skeleton_a, skeleton_b) if skeleton_a and skeleton_b else 0.0
    return 0.7 * jaro_winkler(a, b) + 0.3 * skel


def _parts(forms: NameForms) -> list[str]:
    return [split_latin_article(t)[1] for t in forms.latin_norm.split() if t not in ("bin", "bint")]


def parts_similarity(a: str, b: str) -> float:
    """Similarity of two full names whose parts may be missing, extra or reordered, in [0, 1].

    Lists give "given father grandfather family" in one place and "given family" in another.
    Each part of the shorter name is matched to its most similar part of the longer one
    (0.7 × Jaro-Winkler of the folded parts + 0.3 × of their skeletons) and the best scores are
    averaged (Monge-Elkan), so ``محمد أحمد علي الحموي`` vs ``Mohamed al-Hamwi`` scores 1.0.
    It says nothing of the parts left over: pair it with part-by-part comparisons.

    Args:
        a: A full name in either script.
        b: Another full name in either script.

    Returns:
        0.0 when either name has no part, else the mean best-match score.
    """
    parts_a, parts_b = _parts(match_forms(a)), _parts(match_forms(b))
    if not parts_a or not parts_b:
        return 0.0
    if len(parts_a) > len(parts_b):
        parts_a, parts_b = parts_b, parts_a
    best = [max(_part_similarity(x, y) for y in parts_b) for x in parts_a]
    return sum(best) / len(best)
