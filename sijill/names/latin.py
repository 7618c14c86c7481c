"""Latin-script name normalisation: clean tokens, then a phonetic match form for Arabic names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sijill.names.script import to_ascii_digits

__all__ = [
    "clean_latin_tokens",
    "fold_latin_token",
    "normalise_latin",
    "split_latin_article",
    "standalone_word_tokens",
]

# Forms of the article written apart ("al Ahmad", "el-Ahmad", "Abd ul Rahman").
_ARTICLES = frozenset({"al", "el", "ul", "il", "ol"})
# Assimilated forms before sun letters; an article only when the next word repeats the letter.
_SUN_ARTICLES = {
    f"{vowel}{cons}": cons
    for vowel in "aeu"
    for cons in ("t", "th", "d", "dh", "r", "z", "s", "sh", "n")
}
_ABD_FORMS = frozenset(
    {"abd", "abdu", "abdul", "abdel", "abdal", "abdil", "abdoul", "abdol", "abdl", "abdulla"}
)
_ABD_JOINED = re.compile(r"^abd(?:[aeiou]{1,2}l|l)(?P<rest>[a-z]{2,})$")
_ABD_ASSIMILATED = re.compile(r"^abd[aeiou]{1,2}(?P<c>[tdrzsn])(?P=c)(?P<rest>[a-z]{2,})$")
_ABD_BARE = re.compile(r"^abd(?P<rest>[bcdfghjkmnpqrstvwxz][a-z]{3,})$")
_KUNYA = {"abu": "abu", "abou": "abu", "abo": "abu", "aboo": "abu", "abuu": "abu"}
_KUNYA |= {"abul": "abu", "aboul": "abu", "abol": "abu"}  # Abu al- contracted: Aboul Fadl
_KUNYA |= {"umm": "umm", "um": "umm", "om": "umm", "omm": "umm", "oum": "umm", "oumm": "umm"}
_PARTICLES = {"bin": "bin", "ben": "bin", "ibn": "bin", "ebn": "bin", "bn": "bin", "b": "bin"}
_PARTICLES |= {"bint": "bint", "bent": "bint", "binti": "bint"}
_ABBREVIATIONS = {
    w: "muhammad" for w in ("mhd", "mohd", "muhd", "mhmd", "mohmd", "mhmmd", "moh", "mohd", "m")
}
# Second halves of compound names: Nur al-Din, Khayr Allah, Sayf al-Islam, Zayn al-Abidin.
_DIN_TAILS = frozenset(
    {"aldin", "aldeen", "aldine", "eddin", "eddine", "eddeen", "uddin", "uddine", "uddeen"}
    | {"addin", "addine", "iddin", "eldin", "eldine", "eldeen", "edin", "edine", "din"}
)
_ALLAH_TAILS = frozenset({"allah", "alla", "ullah", "ulla", "ollah", "olla", "ellah", "alah"})
_OTHER_TAILS = {"alislam": "alislam", "alabidin": "alabidin", "alabidine": "alabidin"}
_DIN_JOINED = re.compile(r"^(?P<stem>[a-z]{2,}?)(?:[aeiou]{1,2})?[dl]?d(?:i|ee|ii)ne?$")
_ALLAH_JOINED = re.compile(r"^(?P<stem>[a-z]{3,}?)(?:a|u|o|e|ou)ll?ah?$")
# Names that begin with al/el without it being the article (علاء, علوي, إلياس, إلهام, ...).
_NOT_ARTICLE = frozenset(
    {"alawi", "alwan", "alam", "allam", "alia", "aliya", "aliyah", "alya", "alyaa", "alma"}
    | {"almaz", "alef", "alif", "alfat", "altaf", "allah", "alla", "alan", "albert", "alex"}
    | {"alexander", "alice", "elias", "elyas", "elham", "elie", "elia", "eliane", "elissa"}
    | {"elsa", "ellen", "elmaz", "elena", "alinda", "alvin", "alfred"}
)
_ARABIZI = str.maketrans({"2": "", "3": "", "5": "kh", "6": "t", "7": "h", "8": "gh", "9": "q"})
_APOSTROPHES = str.maketrans({c: None for c in "'`´ʼʻʿʾ’‘′"})
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_M_DOT = re.compile(r"\b(?:m|mhd|moh|mohd)\.", re.IGNORECASE)


def split_latin_article(token: str) -> tuple[str, str]:
    """Split a leading article off a clean Latin token: ``"alahmad"`` gives ``("al", "ahmad")``.

    Joined spellings are ambiguous (``Alahmad`` is al-Ahmad, ``Alaa`` is علاء), so the article
    is split only from stems of three letters or more and never from the known names that begin
    with al/el (Alaa, Alawi, Alwan, Elias, Elham, ...).
    """
    if token[:2] in ("al", "el") and len(token) >= 5 and token not in _NOT_ARTICLE:
        if token.startswith(("alaa", "alae")):
            return "", token
        return "al", token[2:]
    return "", token


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _canonical_abd(token: str) -> str:
    for pattern in (_ABD_ASSIMILATED, _ABD_JOINED):
        match = pattern.match(token)
        if match:
            return "abdul" + match.groupdict().get("c", "") + match["rest"]
    match = _ABD_BARE.match(token)
    if match and not match["rest"].startswith("l"):
        return "abdul" + match["rest"]
    return token


def _canonical_tail(token: str) -> tuple[str, str]:
    """Split a joined compound (``noureddine``, ``khairallah``) into stem and canonical tail."""
    if token.startswith("abd"):
        return token, ""
    match = _DIN_JOINED.match(token)
    if match and len(token) >= 6:
        return match["stem"], "aldin"
    match = _ALLAH_JOINED.match(token)
    if match:
        return match["stem"], "allah"
    return token, ""


def _join_articles(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        sun = _SUN_ARTICLES.get(token)
        if nxt and (token in _ARTICLES or (sun is not None and nxt.startswith(sun))):
            out.append("al" + nxt)
            i += 2
            continue
        if token.startswith("el"):
            article, stem = split_latin_article(token)
            if article:
                token = "al" + stem
        out.append(token)
        i += 1
    return out


@lru_cache(maxsize=262144)
def _canonical_word(token: str) -> str:
    """Canonical form of one word on its own: joined Abd and compound-tail spellings."""
    token = _canonical_abd(token)
    if token in _DIN_TAILS or token in _ALLAH_TAILS or token in _OTHER_TAILS:
        return token
    stem, tail = _canonical_tail(token)
    return stem + tail


def _join_compounds(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in _ABD_FORMS and nxt and nxt not in _PARTICLES:
            stem = "lah" if nxt in _ALLAH_TAILS else split_latin_article(nxt)[1]
            out.append("abdul" + stem)
            i += 2
            continue
        token = _canonical_word(token)
        tail = ""
        if token in _DIN_TAILS:
            tail = "aldin"
        elif token in _ALLAH_TAILS:
            tail = "allah"
        elif token in _OTHER_TAILS:
            tail = _OTHER_TAILS[token]
        if tail and out and out[-1] not in _PARTICLES.values() and out[-1] not in _KUNYA:
            out[-1] = _canonical_tail(out[-1])[0] + tail
        else:
            out.append(token)
        i += 1
    return out


def _join_kunya(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in _KUNYA and nxt and nxt not in _PARTICLES.values():
            out.append(_KUNYA[token] + split_latin_article(nxt)[1])
            i += 2
            continue
        out.append(token)
        i += 1
    return out


@lru_cache(maxsize=262144)
def _word_tokens(word: str) -> tuple[str, ...]:
    if "." in word:
        word = _M_DOT.sub("muhammad ", word)
    if not word.isascii():
        word = _strip_accents(to_ascii_digits(word).replace("ç", "s").replace("Ç", "S"))
    word = word.casefold().translate(_APOSTROPHES)
    # Numbers are no part of a name (a list's "Mohamed 2" tells namesakes apart): dropped.
    # Digits inside a word are chat Arabic (Arabizi): 7 = ح, 3 = ع, 5 = خ (Mo7amed, 3ali).
    return tuple(
        t.translate(_ARABIZI) if not t.isalpha() else t
        for t in _SEPARATORS.split(word)
        if t and not t.isdigit()
    )


@lru_cache(maxsize=262144)
def standalone_word_tokens(word: str) -> tuple[str, ...] | None:
    """Clean tokens of one word when they do not depend on its neighbours, else ``None``.

    Articles, Abd forms, compound tails, kunya, particles and abbreviations (whose reading
    depends on their place) and words starting with "el" return ``None``; every other word
    cleans the same alone as inside a name, which lets :func:`sijill.names.keys.match_forms`
    build a name from cached words.
    """
    tokens = _word_tokens(word)
    for token in tokens:
        if (
            token in _JOIN_TRIGGERS
            or token in _PARTICLES
            or token in _ABBREVIATIONS
            or token.startswith("el")
        ):
            return None
    return tuple(_canonical_word(t) for t in tokens)


@lru_cache(maxsize=65536)
def clean_latin_tokens(text: str) -> tuple[str, ...]:
    """Split a Latin-script name into clean tokens, one per name part, spelling otherwise kept.

    Accents are stripped (NFKD), case is folded, apostrophes and ayn/hamza marks (' ` ’ ʿ ʾ)
    are removed and other punctuation separates words; numbers are dropped and digits inside a
    word read as Arabizi (Mo7amed → mohamed). Then: abbreviations of Muhammad (Mhd,
    Mohd, Moh'd, M.) are expanded; particles (bin, ben, ibn, bn) become ``bin`` and bint/bent
    ``bint``; a separate or hyphenated article (al, el, ul; ad-, as-, ash-, ar-, at-, az-, an-
    before the same sun letter) joins its word as ``al`` (``el-Ahmad`` → ``alahmad``); Abd
    compounds written any way become one ``abdul`` token (Abd al-Rahman, Abdel Rahman,
    Abdurrahman → ``abdulrahman``); compound tails join their first half with a canonical tail
    (Nour Eddine, Nuraddin → ``nuraldin``; Khair Allah → ``khairallah``); a kunya (Abu, Abou,
    Umm) joins the next word without its article (``abuali``; Abu al-Nasr → ``abunasr``).

    Args:
        text: A full name or one part, in Latin script (other letters are dropped).
    """
    # Words repeat far more than whole names: clean and split each word once.
    raw = [token for word in text.split() for token in _word_tokens(word)]
    tokens: list[str] = []
    for position, token in enumerate(raw):
        if token in _PARTICLES and 0 < position < len(raw) - 1:
            tokens.append(_PARTICLES[token])
        elif token in _ABBREVIATIONS and (token != "m" or position < len(raw) - 1):
            tokens.append(_ABBREVIATIONS[token])
        else:
            tokens.append(token)
    if _JOIN_TRIGGERS.isdisjoint(tokens) and not any(t.startswith("el") for t in tokens):
        return tuple(_canonical_word(t) for t in tokens)
    return tuple(_join_kunya(_join_compounds(_join_articles(tokens))))


_JOIN_TRIGGERS = frozenset(
    _ARTICLES | set(_SUN_ARTICLES) | _ABD_FORMS | _DIN_TAILS | _ALLAH_TAILS | set(_OTHER_TAILS)
) | frozenset(_KUNYA)
_FOLD_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^ou(?=[aei])", "w"),  # French Ouael, Ouassim
        (r"(?<=[a-z]{2})che$", "sh"),  # French Darwiche
        (r"(?<=[^aeiou])ane$", "an"),  # French Abdelrahmane, Hassane
        (r"(?<=[^aeiou])ine$", "in"),  # Yassine, Amine
        (r"(?<=[a-z]{2})(?:eh|ah|e)$", "a"),  # Fatmeh, Hamzah, Aiche: ta marbuta
        (r"(?<=[a-z]{2}[iuo])h$", ""),  # Wajih / Wajeeh, final h after a vowel
        (r"sch|ch", "sh"),
        (r"c(?=[eiy])", "s"),  # French Youcef, Nacer
        (r"ph", "f"),
        (r"dj", "j"),
        (r"g(?!h)", "j"),  # Gamal / Jamal; gh stays for غ
        (r"ck|q|c", "k"),
        (r"dh|th", "z"),  # ذ ظ ث: Dhiab / Thiab, Dhafer / Thafer
        (r"x", "ks"),
        (r"v", "w"),
        (r"ou|oo|uu|o", "u"),
        (r"ee|ii|ie", "i"),
        (r"[ae][iy](?![aeiou])|ey|ae(?![aeiou])", "ay"),  # Hussein, Hussain; Wael / Wail
        (r"iy(?=[aeiou])|i(?=[aeou])", "y"),  # Mariam / Maryam, Yahia / Yahya
        (r"[ae]u|ow", "aw"),  # Fauzi, Fowzi / Fawzi
        (r"(?<=[^aeiouy])y(?=[^aeiou]|$)", "i"),  # Fawzy, Hamdy
        (r"e", "i"),  # Khaled, Hashem: Levantine e for kasra
        (r"(sh|kh|gh|th)\1", r"\1"),  # Bashshar
        (r"(.)\1+", r"\1"),  # doubled letters (shadda, long vowels)
    )
)


@lru_cache(maxsize=262144)
def fold_latin_token(token: str) -> str:
    """Fold one clean Latin token to its phonetic match form (article kept as ``al``).

    The rules map the common spelling variants of one Arabic sound to one letter: vowel classes
    (o→u, ou/oo→u, ee/ie→i, e→i, ei/ai/ae/ay/ey→ay, au/ow→aw, i before a vowel→y, y between
    consonants→i); consonant equivalences (q/c/ck→k but c before e/i→s, dj/g→j, ch/sch→sh,
    ph→f, dh/th→z, v→w); French endings (-ane→an, -ine→in, -che→sh); a final -eh/-ah/-e
    (ta marbuta) → a; doubled letters collapsed.
    ``Mohamed`` and ``Muhammad`` fold to ``muhamid`` and ``muhamad``: close, not equal, which is
    why :mod:`sijill.names.romanise` maps known names to one canonical spelling first.
    """
    article, stem = split_latin_article(token)
    for pattern, replacement in _FOLD_STEPS:
        stem = pattern.sub(replacement, stem)
    return article + stem


def normalise_latin(text: str) -> str:
    """Return the Latin match form of a name: folded tokens joined by single spaces.

    Args:
        text: A full name or one part in Latin script.
    """
    return " ".join(fold_latin_token(t) for t in clean_latin_tokens(text))
