"""Which writing system a name is written in, and Arabic-Indic or Persian digits folded to ASCII."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

__all__ = [
    "Script",
    "arabic_letters",
    "detect_script",
    "is_arabic_letter",
    "split_script_runs",
    "to_ascii_digits",
]


class Script(StrEnum):
    """The writing system of a string, as far as its letters tell.

    Digits, spaces and punctuation are ignored, so ``"٣ محمد"`` is Arabic and ``"12"`` is empty.
    """

    ARABIC = "arabic"
    LATIN = "latin"
    MIXED = "mixed"
    EMPTY = "empty"


# Letters of the Arabic, Arabic Supplement, Arabic Extended-A and presentation-form blocks
# (harakat, Quranic marks, tatweel, digits and Arabic punctuation excluded).
_ARABIC_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef"
    "\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufd3d\ufd50-\ufdfb"
    "\ufe70-\ufefc"
)
_ARABIC_LETTER = re.compile(f"[{_ARABIC_LETTERS}]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_KNOWN = re.compile(f"[{_ARABIC_LETTERS}A-Za-z\u00c0-\u024f\u1e00-\u1eff\\W\\d_]+")

_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
_DIGIT_TABLE = str.maketrans(_DIGITS)


def is_arabic_letter(char: str) -> bool:
    """Tell whether one character is a letter of an Arabic-script block (harakat excluded)."""
    return _ARABIC_LETTER.match(char) is not None


def arabic_letters(text: str) -> list[str]:
    """The Arabic-script letters of a string, in order (marks, digits and spaces dropped)."""
    return _ARABIC_LETTER.findall(text)


def _has_other_letters(text: str) -> bool:
    rest = _KNOWN.sub("", text)
    # Modifier letters (ʿ ʾ for ayn and hamza) are marks, not another script.
    return any(c.isalpha() and unicodedata.category(c) != "Lm" for c in rest)


def detect_script(text: str) -> Script:
    """Detect the script of a name from its letters.

    Linkage compares an Arabic-script name with a Latin one through the romanisation bridge, and
    a mixed string (an Arabic name with a Latin tribe name, or a data-entry slip) needs both
    paths, so the caller must know which it has.

    Args:
        text: Any string; digits, spaces and punctuation are ignored.

    Returns:
        ``Script.ARABIC`` or ``Script.LATIN`` when every letter is of that script,
        ``Script.MIXED`` when both occur (or letters of another script do), ``Script.EMPTY``
        when there is no letter at all.
    """
    words = text.split()
    if len(words) == 1:
        return _detect_word(words[0])
    kinds = {_detect_word(word) for word in words} - {Script.EMPTY}
    if not kinds:
        return Script.EMPTY
    return kinds.pop() if len(kinds) == 1 else Script.MIXED


@lru_cache(maxsize=262144)
def _detect_word(text: str) -> Script:
    arabic = _ARABIC_LETTER.search(text) is not None
    latin = _LATIN_LETTER.search(text) is not None
    other = _has_other_letters(text)
    if arabic and not latin and not other:
        return Script.ARABIC
    if latin and not arabic and not other:
        return Script.LATIN
    if not (arabic or latin or other):
        return Script.EMPTY
    return Script.MIXED


def to_ascii_digits(text: str) -> str:
    """Replace Arabic-Indic (٠-٩) and Persian (۰-۹) digits with ASCII 0-9.

    Lists typed on Arabic keyboards carry dates and ages in these digits; everything numeric
    downstream expects ASCII.
    """
    return text.translate(_DIGIT_TABLE)


def split_script_runs(name: str, script: Script | None = None) -> list[tuple[str, Script]]:
    """Split a name into runs of words of one script each (Arabic or Latin).

    A name that is not mixed is one run. In a mixed name each whitespace-separated word goes to
    the script its letters are mostly in; words without letters are dropped.

    Args:
        name: A name in any script.
        script: ``detect_script(name)`` when the caller already has it.
    """
    script = detect_script(name) if script is None else script
    if script is not Script.MIXED:
        return [(name, script)]
    runs: list[tuple[str, Script]] = []
    for word in name.split():
        word_script = detect_script(word)
        if word_script is Script.EMPTY:
            continue
        if word_script is Script.MIXED:
            arabic = len(arabic_letters(word))
            word_script = (
                Script.ARABIC if 2 * arabic >= sum(c.isalpha() for c in word) else Script.LATIN
            )
        kind = word_script
        if runs and runs[-1][1] is kind:
            runs[-1] = (runs[-1][0] + " " + word, kind)
        else:
            runs.append((word, kind))
    return runs
