"""Which writing system a name is written in, and Arabic-Indic or Persian digits folded to ASCII."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import lru_cache

__all__ = [
    "Script",
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


# Arabic, Arabic Supplement, Arabic Extended-A and the two presentation-form blocks.
_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)

_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
_DIGIT_TABLE = str.maketrans(_DIGITS)


def is_arabic_letter(char: str) -> bool:
    """Tell whether one character is a letter of an Arabic-script block (harakat excluded)."""
    code = ord(char)
    if not any(lo <= code <= hi for lo, hi in _ARABIC_RANGES):
        return False
    return unicodedata.category(char).startswith("L")


def _is_latin_letter(char: str) -> bool:
    if char.isascii():
        return char.isalpha()
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


@lru_cache(maxsize=65536)
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
    arabic = latin = other = False
    for char in text:
        if is_arabic_letter(char):
            arabic = True
        elif _is_latin_letter(char):
            latin = True
        elif char.isalpha() and unicodedata.category(char) != "Lm":
            # Modifier letters (ʿ ʾ for ayn and hamza) are marks, not another script.
            other = True
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
            arabic = sum(is_arabic_letter(c) for c in word)
            word_script = (
                Script.ARABIC if 2 * arabic >= sum(c.isalpha() for c in word) else Script.LATIN
            )
        kind = word_script
        if runs and runs[-1][1] is kind:
            runs[-1] = (runs[-1][0] + " " + word, kind)
        else:
            runs.append((word, kind))
    return runs
