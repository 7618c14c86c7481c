"""Canonical romanisation of names, from Arabic script or from any Latin spelling."""

from __future__ import annotations

import csv
import re
from functools import cache, lru_cache
from importlib import resources

from sijill.names.arabic import ABD, COMPOUND_TAILS, arabic_tokens, split_arabic_article
from sijill.names.latin import clean_latin_tokens, fold_latin_token, split_latin_article
from sijill.names.script import Script, detect_script, split_script_runs

__all__ = ["canonical_latin_token", "common_names", "romanise", "romanise_arabic_token"]

# The simple scheme: one Latin letter group per Arabic consonant, no diacritics, ayn and hamza
# written as nothing (lists almost never write them), emphatics as their plain letters.
_CONSONANTS = {
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
}
_VOWEL_LETTERS = "اويىة"
_TAIL_LATIN = {"الدين": "aldin", "الله": "allah", "الاسلام": "alislam", "العابدين": "alabidin"}
_VOWEL = re.compile(r"[aiu]")


@cache
def common_names() -> dict[str, str]:
    """The packaged table of common names: folded Arabic token → canonical Latin spelling.

    Vowels are not written in Arabic script, so محمد cannot be romanised as ``muhammad`` by
    rule; the few hundred names that make up most of a Syrian list are looked up instead.
    """
    table: dict[str, str] = {}
    source = resources.files("sijill.names").joinpath("data/common_names.csv")
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            tokens = arabic_tokens(row["arabic"])
            table.setdefault(tokens[0], row["latin"])
    return table


def _loose_key(folded: str) -> str:
    """Merge the vowels between the first vowel and the last letter, where spellings differ.

    The first vowel (Hasan / Husayn) and a final vowel (Shami / Shammaa, the nisba -i) tell
    names apart, so they are kept.
    """
    first = _VOWEL.search(folded)
    if first is None or first.end() >= len(folded) - 1:
        return folded
    middle = _VOWEL.sub("a", folded[first.end() : -1])
    return folded[: first.end()] + middle + folded[-1]


@cache
def _latin_index() -> tuple[dict[str, str], dict[str, str | None]]:
    """Folded canonical spelling → canonical, and a looser key → canonical (None if shared)."""
    exact: dict[str, str] = {}
    loose: dict[str, str | None] = {}
    for canonical in common_names().values():
        folded = fold_latin_token(canonical)
        exact.setdefault(folded, canonical)
        key = _loose_key(folded)
        if loose.get(key, canonical) != canonical:
            loose[key] = None
        else:
            loose[key] = canonical
    return exact, loose


def _scheme(token: str) -> str:
    """Romanise a token not in the table by the simple scheme (documented in the module).

    Each letter becomes a unit, consonant or vowel: ا ى ة are ``a``; و and ي are ``w``/``y``
    at the start of a word, after ا or before a vowel letter, ``aw``/``ay`` right after the
    first consonant, else the long vowels ``u``/``i``;
    a final ه after a consonant is a ta marbuta written with ه, so ``a``. Two guesses supply
    unwritten short vowels: ``a`` between two consonants at the start (Arabic words never
    begin with a cluster: علي → ali, خليل → khalil), and ``i`` in a word of the pattern CāCC
    (فارس → faris, جابري → jabiri), the active participle so common in names.
    """
    if not token:
        return ""
    units: list[tuple[bool, str]] = []  # (is_consonant, latin)
    last = len(token) - 1
    for position, letter in enumerate(token):
        before = token[position - 1] if position else ""
        after = token[position + 1] if position < last else ""
        if letter in "اىة":
            units.append((False, "a"))
        elif letter in "وي":
            consonant = position == 0 or before == "ا" or (after != "" and after in "اوىةي")
            if position == 1 and before not in "اوي" and after != "" and not consonant:
                # After the first consonant و/ي is most often a diphthong: زيدان → zaydan,
                # بيطار → baytar, حوراني → hawrani (the CaCīC names are in the table).
                units.append((False, "a"))
                units.append((True, "w" if letter == "و" else "y"))
            elif consonant:
                units.append((True, "w" if letter == "و" else "y"))
            else:
                units.append((False, "u" if letter == "و" else "i"))
        elif letter == "ه" and position == last and position >= 3 and before not in "اوي":
            units.append((False, "a"))
        else:
            units.append((True, _CONSONANTS.get(letter, "")))
    # CāCC, before an optional final vowel: insert i between the last two consonants.
    end = len(units) - (0 if units[-1][0] else 1)
    if end == 4 and units[0][0] and units[1] == (False, "a") and units[2][0] and units[3][0]:
        units.insert(3, (False, "i"))
    if len(units) >= 2 and units[0][0] and units[1][0]:
        units.insert(1, (False, "a"))
    return "".join(latin for _, latin in units)


@lru_cache(maxsize=262144)
def romanise_arabic_token(token: str) -> str:
    """Romanise one Arabic token (ta marbuta and alif maqsura kept, as the scheme needs them).

    Known names come from :func:`common_names`; then the article, kunya, عبد compounds and
    compound tails are romanised piecewise (``al`` + ..., ``abu`` + ..., ``abdul`` + ...,
    ... + ``aldin``); anything else by the consonant scheme.
    """
    folded = arabic_tokens(token)[0] if token else token
    table = common_names()
    if folded in table:
        return table[folded]
    article = split_arabic_article(folded)[0]
    if article:
        return "al" + romanise_arabic_token(token[len(article) :])
    if folded.startswith("ابو") and len(folded) > 4:
        return "abu" + romanise_arabic_token(token[3:])
    if folded.startswith(ABD) and len(folded) > 4:
        rest = token[3:]
        rest = rest[2:] if rest.startswith("ال") else rest
        return "abdul" + romanise_arabic_token(rest) if rest else "abd"
    for tail in COMPOUND_TAILS:
        if folded.endswith(tail) and len(folded) > len(tail) + 1:
            return romanise_arabic_token(token[: -len(tail)]) + _TAIL_LATIN[tail]
    return _scheme(token)


@lru_cache(maxsize=262144)
def canonical_latin_token(token: str) -> str:
    """Map one clean Latin token to the table's canonical spelling when it is a known name.

    ``mohamed`` → ``muhammad``, ``hussein`` → ``husayn``, ``alshami`` → ``alshami``. A spelling
    whose folded form matches no canonical name exactly is tried with its inner vowels merged
    (Latin e stands for a or i: Ahmed, Khaled; Yousef for Yusuf), then, for a final -eh, as -ih
    (Saleh → salih); it is kept as it is when that is ambiguous (Hamid / Hamad) or unknown.
    """
    article, stem = split_latin_article(token)
    found = _lookup_latin(fold_latin_token(stem))
    if found is None and stem.endswith("eh") and len(stem) > 4:
        # Folding reads a final -eh as ta marbuta (Fatmeh); Saleh, Rajeh end in ح instead.
        found = _lookup_latin(fold_latin_token(stem[:-2] + "ih"))
    return article + (found if found is not None else stem)


def _lookup_latin(folded: str) -> str | None:
    exact, loose = _latin_index()
    found = exact.get(folded)
    return found if found is not None else loose.get(_loose_key(folded))


@lru_cache(maxsize=262144)
def romanise(name: str) -> str:
    """Return the canonical Latin form of a name written in either script.

    Arabic script is romanised token by token: first the packaged table of common names
    (:func:`common_names`, vocalised: محمد → ``muhammad``), then, piecewise, the article, kunya,
    عبد compounds and compound tails, and for the rest a simple consonant scheme (one plain
    letter group per consonant, ayn and hamza unwritten, ا ى ة as ``a``, و ي as ``w``/``y`` or
    long ``u``/``i``, with two guesses for unwritten short vowels; see ``_scheme``). A Latin
    spelling is mapped to the same canonical spelling when it is a known name. Particles become ``bin``/``bint``;
    the article stays joined as ``al``. ``محمد الحموي``, ``Mohamed al-Hamwi`` and
    ``Mhd Alhamwi`` all give ``muhammad alhamwi``.

    Args:
        name: A full name or one part.
    """
    script = detect_script(name)
    if script is Script.EMPTY:
        return ""
    parts: list[str] = []
    for chunk, chunk_script in split_script_runs(name, script):
        if chunk_script is Script.ARABIC:
            for token in arabic_tokens(chunk, fold_endings=False):
                if token in ("بن", "بنت"):
                    parts.append("bin" if token == "بن" else "bint")
                else:
                    parts.append(romanise_arabic_token(token))
        else:
            parts += [canonical_latin_token(t) for t in clean_latin_tokens(chunk)]
    return " ".join(p for p in parts if p)
