"""Split a full name in either script into given, father's, grandfather's and family name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sijill.names.arabic import arabic_tokens, split_arabic_article
from sijill.names.latin import clean_latin_tokens, split_latin_article
from sijill.names.romanise import common_names
from sijill.names.script import Script, detect_script, split_script_runs

__all__ = ["NameParts", "parse_name"]

_PARTICLES = frozenset({"bin", "bint", "بن", "بنت"})
_BRACKETS = re.compile(r"[(\[{](.*?)[)\]}]")
# Honorifics and labels written before a name in lists ("الشهيد محمد ...", "Dr. Ahmad ...");
# only leading ones are titles: al-Hajj at the end is a family name.
_TITLES = frozenset(
    {"الشهيد", "الشيخ", "الحاج", "السيد", "السيده", "الدكتور", "د", "المهندس", "الاستاذ"}
    | {"الطفل", "الطفله", "المعتقل", "المعتقله", "shahid", "alshahid", "martyr", "sheikh"}
    | {"shaikh", "shaykh", "sheik", "alsheikh", "alshaykh", "haj", "hajj", "hadj", "alhaj"}
    | {"alhajj", "dr", "doctor", "eng", "mr", "mrs", "ms", "sayyid", "alsayyid", "alsayed"}
)
# Given names shaped like a kunya: Abu Bakr is a name, not "father of Bakr".
_KUNYA_NAMES = frozenset({"abubakr", "abubakir", "abubaker", "abubakar", "ابوبكر"})


@dataclass(frozen=True, slots=True)
class NameParts:
    """The parts of a Syrian name chain, each in its script's normalised token form.

    Parts are match tokens (compounds joined, Latin lower-cased, Arabic folded), ready for
    :func:`sijill.names.keys.match_forms`; ``None`` when the name does not give that part.

    Attributes:
        given: The person's own name.
        father: The father's name (second in the chain).
        grandfather: The grandfather's name (third in the chain).
        family: The family name; may be several tokens (``"alhajj ali"``).
        kunya: An Abu X / Umm X by-name that is not the family name.
        others: Further ancestors between the grandfather and the family name.
        titles: Honorifics and labels before the name (الشهيد, الحاج, Dr, Sheikh).
        aliases: Other names given in brackets (a nickname or laqab: ``Ahmad (Hamada)``).
        script: The script of the full name.
    """

    given: str | None = None
    father: str | None = None
    grandfather: str | None = None
    family: str | None = None
    kunya: str | None = None
    others: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    script: Script = Script.EMPTY


def _tokens(name: str, script: Script) -> list[str]:
    tokens: list[str] = []
    for chunk, chunk_script in split_script_runs(name, script):
        if chunk_script is Script.ARABIC:
            tokens += arabic_tokens(chunk)
        else:
            tokens += clean_latin_tokens(chunk)
    return tokens


@lru_cache(maxsize=65536)
def _is_kunya(token: str) -> bool:
    if token in _KUNYA_NAMES:
        return False
    if token.startswith(("abu", "umm")) and len(token) > 4:
        return True
    if token.startswith("ابو") and len(token) > 4:
        return True
    # أم joined to a known name (ام محمد); امين, امل, اماني are names of their own.
    return token.startswith("ام") and token[2:] in common_names()


@lru_cache(maxsize=65536)
def _has_article(token: str) -> bool:
    return bool(split_arabic_article(token)[0] or split_latin_article(token)[0])


@lru_cache(maxsize=65536)
def parse_name(name: str) -> NameParts:
    """Split a full name into the parts of the Syrian name chain.

    Heuristics, in order:

    0. Words in brackets are set aside: a kunya there is the ``kunya`` (محمد (أبو علي)), other
       words are ``aliases``.
    1. Tokens come from the script's normaliser, so Abd al-X, Nur al-Din, Abu X and al-X are
       already one token each. Leading honorifics and labels (الشهيد "the martyr", الحاج,
       الشيخ, Dr, Sheikh) go to ``titles``.
    2. Particles (bin, ibn, بن, بنت) are dropped; the token after one is an ancestor, so a name
       ending ``... bin Y`` has no family name.
    3. A kunya (Abu X, Umm X, أبو X) in last place is the family name (Abu Zeid is a family
       name); elsewhere the first one goes to ``kunya`` and leaves the chain (a name that is a
       kunya alone has no given name; Abu Bakr is a given name, not a kunya). If one word with
       the article is left, it is the family name (Abu Ahmad al-Halabi).
    4. The family name starts at the first token after the given name that carries the article
       (al-, ال) and runs to the end; without an article it is the last token.
    5. The remaining chain is given, father, grandfather, then ``others``. Two tokens are
       given + family; one token is a given name alone.

    Args:
        name: A full name in either script.

    Returns:
        A :class:`NameParts`; every part ``None`` for an empty name.
    """
    script = detect_script(name)
    if script is Script.EMPTY:
        return NameParts()
    bracketed = _BRACKETS.findall(name)
    tokens = _tokens(_BRACKETS.sub(" ", name), script)
    aliases: list[str] = []
    kunya: str | None = None
    for inside in bracketed:
        for token in _tokens(inside, detect_script(inside)):
            if kunya is None and _is_kunya(token):
                kunya = token
            elif token not in _PARTICLES:
                aliases.append(token)
    titles: list[str] = []
    while len(tokens) > 1 and tokens[0] in _TITLES:
        titles.append(tokens.pop(0))
    after_particle = [i > 0 and tokens[i - 1] in _PARTICLES for i in range(len(tokens))]
    chain = [(t, p) for t, p in zip(tokens, after_particle, strict=True) if t not in _PARTICLES]
    family: str | None = None
    if len(chain) >= 2 and _is_kunya(chain[-1][0]) and not chain[-1][1]:
        family = chain.pop()[0]
    for index, (token, _) in enumerate(chain):
        if kunya is None and _is_kunya(token):
            kunya = token
            del chain[index]
            break
    # "Abu Ahmad al-Halabi": once the kunya is out, a lone article word is the family name.
    lone_family = kunya is not None and len(chain) == 1 and _has_article(chain[0][0])
    if family is None and lone_family:
        family = chain.pop()[0]
    elif family is None and len(chain) >= 2 and not chain[-1][1]:
        start = next((i for i in range(1, len(chain)) if _has_article(chain[i][0])), len(chain) - 1)
        family = " ".join(t for t, _ in chain[start:])
        chain = chain[:start]
    names = [t for t, _ in chain]
    return NameParts(
        given=names[0] if names else None,
        father=names[1] if len(names) > 1 else None,
        grandfather=names[2] if len(names) > 2 else None,
        family=family,
        kunya=kunya,
        others=tuple(names[3:]),
        titles=tuple(titles),
        aliases=tuple(aliases),
        script=script,
    )
