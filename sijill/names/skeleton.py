"""The cross-script consonant skeleton: one key for an Arabic-script name and its Latin spellings."""

from __future__ import annotations

import re
from functools import lru_cache

from sijill.names.arabic import PARTICLES as ARABIC_PARTICLES
from sijill.names.arabic import arabic_tokens, split_arabic_article
from sijill.names.latin import clean_latin_tokens, split_latin_article
from sijill.names.script import Script, arabic_letters, detect_script, split_script_runs

__all__ = ["arabic_token_skeleton", "latin_token_skeleton", "skeleton", "skeleton_tokens"]

# Consonant classes, one letter each, merged where Latin spellings of Syrian names mix them:
# d (ت ط د ض ث ذ ظ ز: t, d, th, dh, z all stand for several of these: Diab / Dhiab / Thiab for
# ذياب, Nidhal for نضال, Kawtar / Kawthar for كوثر), s (س ص), c (ش written sh, ch), x (خ kh),
# g (ج غ written j, g, dj, gh), k (ق ك written q, k, c), h (ح ه), f (ف ph), b (ب p).
# Vowels, alif, ayn and hamza carry no consonant; و and ي count only at the start of a word,
# where they are always consonants (medially Latin writes them as vowels: Yusuf, Husayn).
_ARABIC = {
    "ب": "b",
    "ت": "d",
    "ث": "d",
    "ج": "g",
    "ح": "h",
    "خ": "x",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "d",
    "س": "s",
    "ش": "c",
    "ص": "s",
    "ض": "d",
    "ط": "d",
    "ظ": "d",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
}
_LATIN = {
    "sch": "c",
    "sh": "c",
    "ch": "c",
    "kh": "x",
    "gh": "g",
    "th": "d",
    "dh": "d",
    "ph": "f",
    "dj": "g",
    "ck": "k",
    "b": "b",
    "p": "b",
    "t": "d",
    "d": "d",
    "z": "d",
    "s": "s",
    "c": "k",
    "j": "g",
    "g": "g",
    "h": "h",
    "q": "k",
    "k": "k",
    "f": "f",
    "l": "l",
    "r": "r",
    "m": "m",
    "n": "n",
    "x": "ks",
}
_LATIN_UNITS = re.compile(r"sch|sh|ch|kh|gh|th|dh|ph|dj|ck|[a-z]|'")
_SOFT_C = re.compile(r"c(?=[eiy])")  # French Youcef, Nacer
# Latin words where t+h, d+h or s+h are two sounds, not a digraph (فتحي, أدهم, إسحاق, مدحت).
_SPLIT_DIGRAPHS = {
    "fathi": "fat'hi",
    "fathy": "fat'hy",
    "fathia": "fat'hia",
    "fathiya": "fat'hiya",
    "fathallah": "fat'hallah",
    "adham": "ad'ham",
    "adhem": "ad'hem",
    "ishaq": "is'haq",
    "ishak": "is'hak",
    "medhat": "med'hat",
    "midhat": "mid'hat",
    "mithat": "mit'hat",
}
_LATIN_VOWELS = frozenset("aeiouy'")
_COLLAPSE = re.compile(r"(.)\1+")


@lru_cache(maxsize=262144)
def arabic_token_skeleton(token: str) -> str:
    """Skeleton of one folded Arabic token (see :func:`sijill.names.arabic.arabic_tokens`)."""
    stem = split_arabic_article(token)[1]
    letters = arabic_letters(stem)
    # A final ه or ح (ta marbuta folded to ه, or Saleh's ح) is written or dropped freely in Latin.
    if len(letters) >= 3 and letters[-1] in "هح":
        letters.pop()
    out = []
    for position, letter in enumerate(letters):
        if letter in "وي":
            if position == 0:
                out.append("w" if letter == "و" else "y")
        else:
            out.append(_ARABIC.get(letter, ""))
    return _COLLAPSE.sub(r"\1", "".join(out))


@lru_cache(maxsize=262144)
def latin_token_skeleton(token: str) -> str:
    """Skeleton of one clean Latin token (see :func:`sijill.names.latin.clean_latin_tokens`)."""
    stem = split_latin_article(token)[1]
    stem = _SOFT_C.sub("s", _SPLIT_DIGRAPHS.get(stem, stem))
    units = _LATIN_UNITS.findall(stem)
    if len(units) >= 3 and units[-1] == "h" and units[-2] in _LATIN_VOWELS:
        units.pop()
    out = []
    for position, unit in enumerate(units):
        if position == 0 and unit in ("w", "y", "v"):
            out.append("w" if unit != "y" else "y")
        elif position == 0 and unit == "o" and len(units) > 2 and units[1] == "u":
            # French Ouael, Ouassim: initial "ou" before a vowel is w.
            if units[2] in "aei":
                out.append("w")
        else:
            out.append(_LATIN.get(unit, ""))
    return _COLLAPSE.sub(r"\1", "".join(out))


@lru_cache(maxsize=262144)
def skeleton_tokens(name: str) -> tuple[str, ...]:
    """Per-part consonant skeletons of a name in either script (particles dropped).

    Both scripts go through their own normaliser first, so compounds are already one token and
    the article is removed from each part (``al-Hamwi`` and ``الحموي`` both give ``hm``).
    """
    script = detect_script(name)
    if script is Script.EMPTY:
        return ()
    out: list[str] = []
    for chunk, chunk_script in split_script_runs(name, script):
        if chunk_script is Script.ARABIC:
            out += [
                arabic_token_skeleton(t) for t in arabic_tokens(chunk) if t not in ARABIC_PARTICLES
            ]
        else:
            out += [
                latin_token_skeleton(t)
                for t in clean_latin_tokens(chunk)
                if t not in ("bin", "bint")
            ]
    # A part with no consonant at all (Aya, آية) still takes its place in the key.
    return tuple(s or "-" for s in out)


def skeleton(name: str) -> str:
    """Return the consonant skeleton of a name, parts separated by single spaces.

    The key is computable from both scripts: ``Muhammad``, ``Mohamed``, ``Mhd`` and ``محمد``
    all give ``mhmd``; ``Abd al-Rahman``, ``Abdelrahmane`` and ``عبد الرحمن`` give
    ``bdlrhmn``. Vowels, alif, ayn, hamza and medial و/ي are dropped, consonants merged into
    classes Latin spellings confuse, doubled consonants collapsed, the article and the
    particles bin/ibn removed. Different names can share a skeleton (Hasan and Husayn give
    ``hsn``; Muhammad and Mahmud ``mhmd``; Ahmad and Hamza ``hmd``): it is a blocking key,
    not an identity; :func:`sijill.names.keys.name_key` tells such names apart.
    """
    return " ".join(skeleton_tokens(name))
