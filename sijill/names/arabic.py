"""Arabic-script name normalisation: a tidy display form and a folded match form."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sijill.names.script import to_ascii_digits

__all__ = [
    "ARTICLE",
    "COMPOUND_TAILS",
    "KUNYA_PREFIXES",
    "PARTICLES",
    "arabic_tokens",
    "display_arabic",
    "fold_arabic",
    "fold_token_endings",
    "normalise_arabic",
    "split_arabic_article",
    "standalone_word_tokens",
]

ARTICLE = "ال"
ABD = "عبد"
# After folding: ابن → بن (one particle, "son of"); بنت ("daughter of") kept apart.
PARTICLES = frozenset({"بن", "بنت"})
# أبو / أبي / أبا are the cases of one word ("father of"); أم is "mother of".
KUNYA_PREFIXES = frozenset({"ابو", "ام"})
_KUNYA_CASES = {"ابو": "ابو", "ابي": "ابو", "ابا": "ابو", "ام": "ام"}
# Second halves of compound given names written apart or joined: نور الدين, خير الله, ...
COMPOUND_TAILS = frozenset({"الدين", "الله", "الاسلام", "العابدين"})
# Folded names that begin with ال without it being the article (إلياس, إلهام, ألفت, ...).
_NOT_ARTICLE = frozenset({"الياس", "الهام", "الفت", "الماس", "الطاف", "الله", "اليسار", "اليسا"})

_STRIPPED = [
    *range(0x0610, 0x061B),
    *range(0x064B, 0x0660),
    0x0670,
    *range(0x06D6, 0x06DD),
    *range(0x06DF, 0x06E9),
    *range(0x06EA, 0x06EE),
    0x0640,
    *range(0x200B, 0x2010),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x061C,
    0xFEFF,
]
_LETTERS = {
    # Hamza seats on alif and wasla become bare alif; on waw and ya the seat letter stays.
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ؤ": "و",
    "ئ": "ي",
    # A hamza on the line is dropped: علاء and علا are written both ways.
    "ء": "",
    # Persian, Urdu and Kurdish letter forms typed on non-Arabic keyboards.
    "ی": "ي",
    "ې": "ي",
    "ے": "ي",
    "ۓ": "ي",
    "ک": "ك",
    "ڪ": "ك",
    "گ": "ك",
    "ە": "ه",
    "ۀ": "ه",
    "ہ": "ه",
    "ھ": "ه",
    "ۃ": "ة",
    "پ": "ب",
    "چ": "ج",
    "ژ": "ز",
    "ڤ": "ف",
    "ڨ": "ق",
}
_ENDINGS = {"ة": "ه", "ى": "ي"}
_TABLE_KEEP_ENDINGS = str.maketrans({**{chr(c): None for c in _STRIPPED}, **_LETTERS})
_TABLE_FOLD_ENDINGS = str.maketrans(
    {**{chr(c): None for c in _STRIPPED}, **_LETTERS, **_ENDINGS, "ۃ": "ه"}
)
_SEPARATORS = re.compile(r"[\W_]+")
_DISPLAY_DROP = str.maketrans(
    {chr(c): None for c in _STRIPPED if c in (0x0640, 0x061C) or c > 0x2000}
)


def display_arabic(text: str) -> str:
    """Tidy an Arabic-script name for display without changing how it reads.

    Diacritics and hamza forms are kept (they are what the witness or list wrote); tatweel,
    invisible direction marks and zero-width characters are removed, digits become ASCII and
    runs of spaces become one.
    """
    text = unicodedata.normalize("NFC", text).translate(_DISPLAY_DROP)
    return " ".join(to_ascii_digits(text).split())


def fold_arabic(text: str, *, fold_endings: bool = True) -> str:
    """Fold Arabic letters to the bare forms used for matching, keeping spaces and punctuation.

    Choices (documented because they lose information on purpose):
    diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) and tatweel are
    removed; أ إ آ ٱ become ا; ؤ becomes و and ئ becomes ي (the seat letter); a hamza on the line
    (ء) is dropped; Persian and Urdu forms (ی ک گ ے ە پ چ ژ ڤ) become their Arabic letters.
    With ``fold_endings`` ta marbuta ة becomes ه and alif maqsura ى becomes ي, as lists write
    both; the romaniser turns it off because ة and ى tell it the final vowel is ``a``.
    Presentation forms and ligatures are expanded by NFKC first.

    Args:
        text: A name or part of one, in any mix of scripts.
        fold_endings: Whether to fold ة to ه and ى to ي.
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = to_ascii_digits(text)
    return text.translate(_TABLE_FOLD_ENDINGS if fold_endings else _TABLE_KEEP_ENDINGS)


def split_arabic_article(token: str) -> tuple[str, str]:
    """Split the article ال off a folded token: ``"الاحمد"`` gives ``("ال", "احمد")``.

    Names that merely start with the letters ال (إلياس, إلهام, ألفت after folding) and stems of
    one letter are left whole: ``("", token)``.
    """
    if token.startswith(ARTICLE) and len(token) >= 4 and token not in _NOT_ARTICLE:
        return ARTICLE, token[2:]
    return "", token


def _join_articles(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        # آل (family of) folds to ال; a lone article belongs to the next word.
        if token == ARTICLE and i + 1 < len(tokens):
            out.append(ARTICLE + tokens[i + 1])
            i += 2
            continue
        out.append(token)
        i += 1
    return out


def _join_abd(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in (ABD, ABD + "ال") and i + 1 < len(tokens):
            out.append(token + tokens[i + 1])
            i += 2
            continue
        out.append(token)
        i += 1
    return out


def _join_tails(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if (
            token in COMPOUND_TAILS
            and out
            and out[-1] not in PARTICLES
            and out[-1] not in _KUNYA_CASES
        ):
            out[-1] += token
        else:
            out.append(token)
    return out


def _join_kunya(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _KUNYA_CASES and i + 1 < len(tokens) and tokens[i + 1] not in PARTICLES:
            # أبو النصر and أبو نصر are one kunya: the article inside it is dropped.
            out.append(_KUNYA_CASES[token] + split_arabic_article(tokens[i + 1])[1])
            i += 2
            continue
        out.append(token)
        i += 1
    return out


_JOIN_TRIGGERS = frozenset({ARTICLE, ABD, ABD + "ال"} | COMPOUND_TAILS | set(_KUNYA_CASES))
_ENDINGS_TABLE = str.maketrans(_ENDINGS)


@lru_cache(maxsize=262144)
def _word_tokens(word: str) -> tuple[str, ...]:
    folded = fold_arabic(word, fold_endings=False)
    # Numbers are no part of a name (a list's "محمد 2" tells namesakes apart): dropped.
    return tuple(
        "بن" if t == "ابن" else t for t in _SEPARATORS.split(folded) if t and not t.isdigit()
    )


def standalone_word_tokens(word: str) -> tuple[str, ...] | None:
    """Tokens of one word (ة/ى kept) when they do not depend on its neighbours, else ``None``.

    A word holding an article, عبد, a compound tail or a kunya joins with the next or previous
    word; every other word tokenises the same alone as inside a name, which lets
    :func:`sijill.names.keys.match_forms` build a name from cached words.
    """
    tokens = _word_tokens(word)
    return tokens if _JOIN_TRIGGERS.isdisjoint(tokens) else None


@lru_cache(maxsize=65536)
def _tokens_keeping_endings(text: str) -> tuple[str, ...]:
    # Words repeat far more than whole names: fold and split each word once.
    tokens = [token for word in text.split() for token in _word_tokens(word)]
    if not _JOIN_TRIGGERS.isdisjoint(tokens):
        tokens = _join_kunya(_join_tails(_join_abd(_join_articles(tokens))))
    return tuple(tokens)


@lru_cache(maxsize=262144)
def arabic_tokens(text: str, *, fold_endings: bool = True) -> tuple[str, ...]:
    """Split an Arabic-script name into folded match tokens, one token per name part.

    After :func:`fold_arabic`, separators (spaces, hyphens, dots, commas) split tokens, then:
    a lone article (also آل) joins the next word; عبد joins the next word (عبد الرحمن and
    عبدالرحمن are one token ``عبدالرحمن``); الدين / الله / الاسلام / العابدين join the word
    before (نور الدين → ``نورالدين``); a kunya أبو / أبي / أبا / أم joins the next word
    without its article (أبو علي → ``ابوعلي``, أبو النصر → ``ابونصر``); ابن folds to ``بن``. The article stays on family names
    (``الاحمد``): see :func:`split_arabic_article` to remove it.

    Args:
        text: A full name or one part of it.
        fold_endings: Passed to :func:`fold_arabic`.
    """
    tokens = _tokens_keeping_endings(text)
    return tuple(fold_token_endings(t) for t in tokens) if fold_endings else tokens


def fold_token_endings(token: str) -> str:
    """Fold ta marbuta ة to ه and alif maqsura ى to ي in a token that kept them."""
    return token.translate(_ENDINGS_TABLE)


def normalise_arabic(text: str) -> str:
    """Return the Arabic match form of a name: folded tokens joined by single spaces.

    Two spellings of the same name in Arabic script (with or without diacritics, hamza,
    tatweel, ة/ه, ى/ي, Persian letters, عبد written apart) give the same string, which is what
    blind indexes and exact comparisons need.
    """
    return " ".join(arabic_tokens(text))
