"""Whether two claim values about the same attribute can both be true, and why (or why not)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache

from sijill.domain.claims import ClaimValue
from sijill.domain.dates import DatePrecision, UncertainDate
from sijill.domain.ranges import CountRange
from sijill.errors import InputError
from sijill.names.arabic import fold_arabic, split_arabic_article
from sijill.names.script import Script, detect_script

#: Attributes that can hold several true values at once (several perpetrators, several methods):
#: different values there are different findings, never a contradiction.
MULTI_VALUED_ATTRIBUTES = frozenset({"actor", "method"})

# Words that change nothing about where or what something is ("the basement of the white
# building" and "basement, white building" are one place). Arabic prepositions fold first.
_STOP_WORDS = frozenset(
    {"the", "a", "an", "of", "in", "at", "on", "near", "inside", "by", "في", "من", "قرب", "عند"}
)
_LATIN_ARTICLE = re.compile(r"^(?:al|el|ad|as|ash|ar|at|az|an)-(?=\w)")
_SEPARATORS = re.compile(r"[\W_]+")


class Verdict(StrEnum):
    """The outcome of comparing two values."""

    COMPATIBLE = "compatible"  # both can be true
    INCOMPATIBLE = "incompatible"  # they cannot both be true: a contradiction
    NOT_COMPARABLE = "not_comparable"  # typed differently (a number against words, Arabic
    # against Latin text): left to a person, never called a contradiction automatically


@dataclass(frozen=True)
class Comparison:
    """A verdict with the sentence that explains it (shown to investigators as is).

    The sentence is written only when asked for: grouping compares every pair of values and
    needs only the verdict.
    """

    verdict: Verdict
    explain: Callable[[], str] = field(repr=False, compare=False)

    @property
    def reason(self) -> str:
        """Why the values agree or not, e.g. "counts 20–50 and 5–10 do not overlap"."""
        return self.explain()

    @property
    def compatible(self) -> bool:
        """Whether the two values can both be true."""
        return self.verdict is Verdict.COMPATIBLE


@lru_cache(maxsize=65536)
def text_tokens(text: str) -> tuple[str, ...]:
    """Match tokens of a free-text value: case, accents, Arabic letter forms and articles folded.

    NFKC then casefold; Latin accents are stripped; Arabic hamza forms, ta marbuta, alif
    maqsura and diacritics fold as in :func:`sijill.names.arabic.fold_arabic`; the articles
    al-/el- (and assimilated ad-/as-/ash- …) and ال are removed; filler words ("the", "of",
    "near", في, من …) are dropped. Word order is kept.
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or _is_arabic_mark(ch))
    text = fold_arabic(text.casefold())
    tokens = []
    for raw in text.split():
        raw = _LATIN_ARTICLE.sub("", raw)
        for token in _SEPARATORS.split(raw):
            token = split_arabic_article(token)[1]
            if token and token not in _STOP_WORDS and token not in ("al", "el"):
                tokens.append(token)
    return tuple(tokens)


def _is_arabic_mark(ch: str) -> bool:
    # Arabic harakat are combining marks too; fold_arabic removes them itself.
    return "\u0610" <= ch <= "\u06ff"


def normalise_text(text: str) -> str:
    """The comparison form of a free-text value (see :func:`text_tokens`)."""
    return " ".join(text_tokens(text))


def has_value(value: ClaimValue) -> bool:
    """Whether a claim value asserts anything (an unknown date or an empty text asserts nothing)."""
    if value.count is not None or value.place_pcode:
        return True
    if value.date is not None:
        return value.date.earliest is not None or value.date.latest is not None
    return bool(text_tokens(value.text))


def compare_values(attribute: str, a: ClaimValue, b: ClaimValue) -> Comparison:
    """Decide whether two values of one attribute can both be true.

    Dates are intervals and agree when they overlap; counts (also frequency and duration) are
    ranges and agree when they overlap; places agree when they share a gazetteer p-code, when
    one lies inside the other (a facility in its governorate, a sub-district in its district),
    or when their texts match after normalising (or one text only adds detail to the other:
    "white building" and "basement of the white building"); other attributes agree when their
    normalised texts are equal. Values typed differently (a count against words) and texts in
    different scripts are NOT_COMPARABLE: a person must judge them.

    Args:
        attribute: The claim attribute code both values belong to.
        a: One value.
        b: The other value.
    """
    if a.date is not None and b.date is not None:
        return _compare_dates(a.date, b.date)
    if a.count is not None and b.count is not None:
        return _compare_counts(a.count, b.count)
    if a.date is not None or b.date is not None or a.count is not None or b.count is not None:
        return Comparison(
            Verdict.NOT_COMPARABLE,
            lambda: f"{_show(a)!r} and {_show(b)!r} are not both dates or both numbers",
        )
    if attribute == "place":
        return _compare_places(a, b)
    return _compare_texts(a.text, b.text, allow_detail=False)


def _show(value: ClaimValue) -> str:
    return str(value) or value.text


def _interval(d: UncertainDate) -> str:
    lo = d.earliest.isoformat() if d.earliest else "…"
    hi = d.latest.isoformat() if d.latest else "…"
    return f"{lo} to {hi}"


def _compare_dates(a: UncertainDate, b: UncertainDate) -> Comparison:
    if a.overlaps(b):
        return Comparison(
            Verdict.COMPATIBLE, lambda: f"dates {_interval(a)} and {_interval(b)} overlap"
        )
    return Comparison(
        Verdict.INCOMPATIBLE,
        lambda: f"dates {_interval(a)} and {_interval(b)} do not overlap: both cannot be true",
    )


def _compare_counts(a: CountRange, b: CountRange) -> Comparison:
    if a.overlaps(b):
        return Comparison(Verdict.COMPATIBLE, lambda: f"counts {a} and {b} overlap")
    return Comparison(
        Verdict.INCOMPATIBLE, lambda: f"counts {a} and {b} do not overlap: both cannot be true"
    )


def _place_label(pcode: str) -> str:
    from sijill.geo import gazetteer

    try:
        return f"{gazetteer().by_pcode(pcode).name_en} ({pcode})"
    except InputError:  # an unknown code is shown as it is
        return pcode


def place_contains(outer: str, inner: str) -> bool:
    """Whether the place `outer` (a p-code) contains the place `inner`.

    OCHA p-codes nest by prefix (SY03 ⊃ SY0300 ⊃ SY030000); a facility lies in its governorate.
    """
    if outer == inner:
        return True
    if outer.startswith("SY") and inner.startswith(outer):
        return True
    if inner.startswith("FAC-"):
        from sijill.geo import gazetteer

        try:
            governorate = gazetteer().by_pcode(inner).governorate_pcode
        except InputError:
            return False
        return governorate is not None and governorate.startswith(outer)
    return False


def _compare_places(a: ClaimValue, b: ClaimValue) -> Comparison:
    if a.place_pcode and b.place_pcode:
        pa, pb = a.place_pcode, b.place_pcode
        if pa == pb:
            return Comparison(Verdict.COMPATIBLE, lambda: f"same place {_place_label(pa)}")
        if place_contains(pa, pb) or place_contains(pb, pa):
            inner, outer = (pb, pa) if place_contains(pa, pb) else (pa, pb)
            return Comparison(
                Verdict.COMPATIBLE,
                lambda: f"{_place_label(inner)} lies within {_place_label(outer)}",
            )
        return Comparison(
            Verdict.INCOMPATIBLE,
            lambda: f"different places {_place_label(pa)} and {_place_label(pb)}",
        )
    return _compare_texts(a.text, b.text, allow_detail=True)


def _compare_texts(a: str, b: str, *, allow_detail: bool) -> Comparison:
    ta, tb = text_tokens(a), text_tokens(b)
    if ta == tb:
        return Comparison(Verdict.COMPATIBLE, lambda: f"{a!r} and {b!r} say the same")
    script_a, script_b = detect_script(" ".join(ta)), detect_script(" ".join(tb))
    if {script_a, script_b} == {Script.ARABIC, Script.LATIN}:
        return Comparison(
            Verdict.NOT_COMPARABLE,
            lambda: f"{a!r} and {b!r} are in different scripts: compare them by hand",
        )
    if allow_detail and ta and tb and (set(ta) <= set(tb) or set(tb) <= set(ta)):
        general, precise = (a, b) if set(ta) <= set(tb) else (b, a)
        return Comparison(Verdict.COMPATIBLE, lambda: f"{precise!r} adds detail to {general!r}")
    return Comparison(Verdict.INCOMPATIBLE, lambda: f"{a!r} and {b!r} differ")


def agreed_value(attribute: str, values: list[ClaimValue]) -> str:
    """What every one of `values` (mutually compatible) allows: the narrowest common value.

    Dates and counts give their intersection ("20–50" and "30–50" agree on "30–50"); places
    give the most precise one; texts give the first. Values all written alike keep their wording.
    """
    if values and len({str(v) for v in values}) == 1:
        return str(values[0])
    dates = [v.date for v in values if v.date is not None]
    if dates and len(dates) == len(values):
        lows = [d.earliest for d in dates if d.earliest]
        highs = [d.latest for d in dates if d.latest]
        common = UncertainDate(
            max(lows) if lows else None, min(highs) if highs else None, DatePrecision.RANGE
        )
        return _date_text(common)
    counts = [v.count for v in values if v.count is not None]
    if counts and len(counts) == len(values):
        highs_c = [c.maximum for c in counts if c.maximum is not None]
        return str(CountRange(max(c.minimum for c in counts), min(highs_c) if highs_c else None))
    if attribute == "place":
        coded = [v.place_pcode for v in values if v.place_pcode]
        if coded:
            innermost = max(coded, key=lambda p: sum(place_contains(o, p) for o in coded))
            return _place_label(innermost)
        return max((v.text for v in values), key=lambda t: len(text_tokens(t)))
    return values[0].text if values else ""


def _date_text(d: UncertainDate) -> str:
    if d.earliest and d.latest and d.earliest == d.latest:
        return d.earliest.isoformat()
    if d.earliest and d.latest and _whole_months(d.earliest, d.latest):
        first, last = d.earliest.strftime("%Y-%m"), d.latest.strftime("%Y-%m")
        return first if first == last else f"{first} to {last}"
    return _interval(d)


def _whole_months(lo: date, hi: date) -> bool:
    from calendar import monthrange

    return lo.day == 1 and hi.day == monthrange(hi.year, hi.month)[1]
