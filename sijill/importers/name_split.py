"""Split a full-name cell into given, father's, grandfather's and family name, as written.

`sijill.names.parse.parse_name` decides which words are which part but returns normalised match
tokens ("abdulrahman"); reviewers need the words as the list wrote them ("Abd al-Rahman"). This
module aligns the tokens back onto the original words; when alignment fails (it should not),
the normalised tokens are kept, which linkage compares equally well.
"""

from __future__ import annotations

from functools import lru_cache

from sijill.names.arabic import arabic_tokens
from sijill.names.latin import clean_latin_tokens
from sijill.names.parse import parse_name
from sijill.names.script import Script, detect_script, split_script_runs

NAME_PARTS = ("given", "father", "grandfather", "family")


def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for chunk, script in split_script_runs(text, detect_script(text)):
        out += arabic_tokens(chunk) if script is Script.ARABIC else clean_latin_tokens(chunk)
    return tuple(out)


def _segments(words: list[str]) -> list[tuple[str, str]] | None:
    """(token, the words it came from) for each token of the name, or None if they do not align."""
    whole = _tokens(" ".join(words))
    if len(whole) == len(words):
        # As many tokens as words: the normaliser joined nothing, so they pair up in order.
        return list(zip(whole, words, strict=True))
    segments: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        rest = _tokens(" ".join(words[i:]))
        if not rest:
            break
        end = None
        for j in range(i + 1, len(words) + 1):
            found = _tokens(" ".join(words[i:j]))
            if found == rest[:1]:
                end = j
            elif len(found) > 1:
                break
        if end is None:
            return None
        segments.append((rest[0], " ".join(words[i:end])))
        i = end
    return segments if tuple(t for t, _ in segments) == whole else None


def _claim(segments: list[tuple[str, str]], used: list[bool], value: str) -> str:
    """The original words of the first unused run of segments whose tokens make `value`."""
    want = value.split(" ")
    width = len(want)
    for start in range(len(segments) - width + 1):
        if all(not used[start + k] and segments[start + k][0] == want[k] for k in range(width)):
            for k in range(start, start + width):
                used[k] = True
            return " ".join(segments[k][1] for k in range(start, start + width))
    return value


@lru_cache(maxsize=65536)
def split_full_name(text: str) -> tuple[str, str, str, str]:
    """(given, father, grandfather, family) of a full name, in the words the list used.

    Further ancestors beyond the grandfather and a kunya (Abu X) that is not the family name
    are left out of the parts (the full name keeps them). Empty strings for parts not given.
    """
    parts = parse_name(text)
    values = [getattr(parts, p) or "" for p in NAME_PARTS]
    segments = _segments(text.split())
    if segments is None:
        return values[0], values[1], values[2], values[3]
    used = [False] * len(segments)
    out = [_claim(segments, used, v) if v else "" for v in values]
    return out[0], out[1], out[2], out[3]
