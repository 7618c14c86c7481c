"""Spelling schemes: rule-based Latin and Arabic-script renderings of one scholarly name.

Victim lists spell the same Arabic name in many ways. Each scheme here is a set of rules applied
to the scholarly form (ʿAbd al-Raḥmān) with the Arabic spelling at hand to disambiguate letters
(ش vs s+h), plus a table of conventional spellings no rule derives (Muhammad → Mhd). A list draws
its own preferences once (`draw_style`), so one list spells consistently while lists differ:

- ``academic``: canonical plain Latin (Muhammad, Abd al-Rahman, al-Hamwi).
- ``english_common``: Anglophone habits (Mohammad, Abdul Rahman, Al Hamwi, Saeed, Khaled).
- ``french``: Francophone habits (Mohamed, Abderrahmane, El Hamoui; ch, ou, dj, -ane, -ine).
- ``levantine_informal``: quick local typing (Mhd, Abdulrahman, Alhamwi, Moh'd, Fatmeh).
- ``arabic_script``: Arabic letters with or without hamza, ة/ه, ى/ي, joined عبدال…, tatweel.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np

from sijill.simulate.names import canonical_latin, spelling_exceptions

SCHEMES = ("academic", "english_common", "french", "levantine_informal", "arabic_script")

Options = tuple[tuple[str, float], ...]

# Choices made once per list (article and compound forms) and per name (letters), with base
# weights; each list perturbs the weights so lists prefer different spellings.
_LATIN_OPTIONS: dict[str, dict[str, Options]] = {
    "english_common": {
        "article": (("Al {X}", 3), ("Al-{X}", 3), ("al-{X}", 1), ("{X}", 1), ("El {X}", 0.5)),
        "abd": (
            ("Abdul {X}", 3),
            ("Abdul-{X}", 1),
            ("Abdul{x}", 1),
            ("Abd al-{X}", 1),
            ("Abdel {X}", 1),
        ),
        "din": ((" al-Din", 2), (" Eddin", 1), ("eddin", 1), (" Aldin", 1), (" al-Deen", 1)),
        "abu": (("Abu", 3), ("Abou", 1)),
        "ayn": (("", 4), ("'", 1)),
        "long_a": (("a", 1),),
        "long_i": (("i", 2), ("ee", 1)),
        "long_u": (("ou", 2), ("u", 2), ("oo", 1)),
        "ay": (("ai", 2), ("ei", 2), ("ay", 1)),
        "aw": (("aw", 2), ("ou", 1)),
        "u_short": (("o", 1),),
        "final_an": (("an", 1),),
        "final_in": (("in", 2), ("een", 1)),
        "ta": (("a", 3), ("ah", 1), ("eh", 0.5)),
        "sh": (("sh", 1),),
        "th": (("th", 1),),
        "dh": (("dh", 2), ("z", 1)),
        "j": (("j", 1),),
        "q": (("q", 3), ("k", 1)),
        "d_emph": (("d", 3), ("dh", 1)),
        "z_emph": (("z", 2), ("dh", 1)),
        "w": (("w", 1),),
    },
    "french": {
        "article": (("El {X}", 3), ("El-{X}", 2), ("el-{X}", 1), ("{X}", 1)),
        "abd": (("Abde{ASSIM}", 3), ("Abdel{x}", 2), ("Abdel {X}", 1), ("Abd El {X}", 1)),
        "din": (("eddine", 3), (" Eddine", 1), ("-Eddine", 1)),
        "abu": (("Abou", 1),),
        "ayn": (("", 1),),
        "long_a": (("a", 1),),
        "long_i": (("i", 1),),
        "long_u": (("ou", 1),),
        "ay": (("ei", 2), ("ai", 1), ("ay", 1)),
        "aw": (("aou", 1), ("ao", 1)),
        "u_short": (("ou", 2), ("o", 1)),
        "final_an": (("ane", 3), ("an", 1)),
        "final_in": (("ine", 1),),
        "ta": (("a", 1),),
        "sh": (("ch", 1),),
        "th": (("th", 1), ("t", 1)),
        "dh": (("dh", 1), ("d", 1)),
        "j": (("dj", 3), ("j", 1)),
        "q": (("k", 3), ("q", 1)),
        "d_emph": (("d", 1),),
        "z_emph": (("z", 1), ("dh", 1)),
        "w": (("ou", 1),),
    },
    "levantine_informal": {
        "article": (("Al{x}", 3), ("Al-{X}", 2), ("Al {X}", 2), ("{X}", 1)),
        "abd": (("Abdul{x}", 3), ("Abdal{x}", 1), ("Abd Al{x}", 1), ("Abdul {X}", 1)),
        "din": (("aldin", 2), (" Aldeen", 1), ("eddin", 1), (" Al Din", 1)),
        "abu": (("Abu", 2), ("Abo", 1)),
        "ayn": (("", 3), ("'", 1), ("a", 0.5)),
        "long_a": (("a", 1),),
        "long_i": (("i", 3), ("ee", 1)),
        "long_u": (("o", 2), ("ou", 2), ("u", 1)),
        "ay": (("ai", 1), ("ei", 1)),
        "aw": (("aw", 1), ("ou", 1)),
        "u_short": (("o", 1),),
        "final_an": (("an", 1),),
        "final_in": (("in", 1), ("een", 1)),
        "ta": (("imala", 3), ("a", 1)),
        "sh": (("sh", 1),),
        "th": (("th", 1), ("s", 1), ("t", 1)),
        "dh": (("z", 2), ("dh", 1), ("d", 1)),
        "j": (("j", 1),),
        "q": (("q", 2), ("k", 1), ("'", 0.3)),
        "d_emph": (("d", 1),),
        "z_emph": (("z", 2), ("th", 1)),
        "w": (("w", 1),),
    },
}

# Rates of per-name letter habits: keep doubled consonants, initial u → o, medial u → o/ou,
# i → e, i → e in a final closed syllable (Khalid → Khaled), intervocalic s → ss (Hassan).
_LATIN_RATES: dict[str, dict[str, float]] = {
    "english_common": {
        "double": 0.8,
        "initial_u": 0.9,
        "u": 0.4,
        "i": 0.15,
        "final_i": 0.7,
        "ss": 0.5,
    },
    "french": {"double": 0.6, "initial_u": 0.9, "u": 0.7, "i": 0.3, "final_i": 0.8, "ss": 0.9},
    "levantine_informal": {
        "double": 0.4,
        "initial_u": 0.9,
        "u": 0.6,
        "i": 0.4,
        "final_i": 0.9,
        "ss": 0.3,
    },
}

_ARABIC_RATES = {
    "hamza_drop": 0.35,  # أ إ آ written as bare ا
    "ta_as_ha": 0.2,  # ة written ه
    "ya_for_alif_maqsura": 0.25,  # ى written ي
    "alif_maqsura_for_ya": 0.03,  # final ي written ى
    "abd_joined": 0.4,  # عبدالرحمن
    "article_dropped": 0.05,  # حموي for الحموي
    "tatweel": 0.01,
    "shadda": 0.1,
    "persian_kaf": 0.02,  # ک for ك
    "persian_ya": 0.02,  # ی for final ي (not encodable in Windows-1256)
}

_SUN_LETTERS = set("tdrzsnl")
_GUTTURAL_OR_EMPHATIC = set("ḥʿqṣḍṭẓrʾ")


@dataclass(frozen=True)
class SpellingStyle:
    """One list's spelling habits under a scheme, drawn once so the list spells consistently.

    Attributes:
        scheme: one of SCHEMES.
        fixed: list-wide choices (article form, ʿAbd compound form, ...).
        options: per-name letter choices with this list's cumulative preference weights.
        rates: per-name probabilities of letter habits (Latin) or script variants (Arabic).
        exception_weights: cumulative preference over the first n conventional variants
            (Mohammad / Mohammed ...), indexed by n - 1.
    """

    scheme: str
    fixed: dict[str, str]
    options: dict[str, tuple[tuple[str, ...], tuple[float, ...]]]
    rates: dict[str, float]
    exception_weights: tuple[tuple[float, ...], ...]


def draw_style(
    scheme: str, rng: np.random.Generator, *, allow_persian_ya: bool = True
) -> SpellingStyle:
    """Draw a list's spelling habits for `scheme`.

    Args:
        scheme: one of SCHEMES.
        rng: the list's random generator (a seeded child stream).
        allow_persian_ya: False when the list's encoding cannot hold ی (Windows-1256).
    """
    preference = rng.gamma(2.0, size=8) / (np.arange(8) + 1.0)
    exception_weights = tuple(_cumulative(preference[:n]) for n in range(1, 9))
    if scheme == "arabic_script":
        rates = {k: float(min(1.0, v * rng.uniform(0.3, 1.7))) for k, v in _ARABIC_RATES.items()}
        if not allow_persian_ya:
            rates["persian_ya"] = 0.0
        return SpellingStyle(scheme, {}, {}, rates, exception_weights)
    if scheme == "academic":
        return SpellingStyle(scheme, {}, {}, {}, exception_weights)
    options: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {}
    fixed: dict[str, str] = {}
    for key, spec in _LATIN_OPTIONS[scheme].items():
        values = tuple(v for v, _ in spec)
        weights = np.array([w for _, w in spec]) * rng.gamma(2.0, size=len(spec))
        options[key] = (values, _cumulative(weights))
        if key in ("article", "abd", "din", "abu", "ta"):
            fixed[key] = values[_draw_index(options[key][1], rng)]
    rates = {
        k: float(np.clip(v * rng.uniform(0.7, 1.3), 0, 1)) for k, v in _LATIN_RATES[scheme].items()
    }
    return SpellingStyle(scheme, fixed, options, rates, exception_weights)


def spell(scholarly: str, arabic: str, style: SpellingStyle, rng: np.random.Generator) -> str:
    """Spell one name (scholarly form + Arabic) as a list keeping `style` would.

    Args:
        scholarly: vocalised Latin with diacritics, e.g. "ʿAbd al-Raḥmān".
        arabic: the same name in Arabic script, e.g. "عبد الرحمن".
        style: the list's habits from `draw_style`.
        rng: generator for the per-name choices.
    """
    if style.scheme == "arabic_script":
        return _spell_arabic(arabic, style, rng)
    if style.scheme == "academic":
        return canonical_latin(scholarly)
    return _LatinSpeller(style, rng).name(scholarly, arabic)


def _spell_arabic(arabic: str, style: SpellingStyle, rng: np.random.Generator) -> str:
    r = style.rates
    text = arabic
    if rng.random() < r["shadda"]:
        text = text.replace("محمد", "محمّد")
    if rng.random() < r["hamza_drop"]:
        text = text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    if rng.random() < r["ta_as_ha"]:
        text = re.sub(r"ة\b", "ه", text)
    if rng.random() < r["ya_for_alif_maqsura"]:
        text = re.sub(r"ى\b", "ي", text)
    elif rng.random() < r["alif_maqsura_for_ya"]:
        text = re.sub(r"ي\b", "ى", text)
    if rng.random() < r["abd_joined"]:
        text = re.sub(r"\bعبد ال", "عبدال", text)
    if (
        text.startswith("ال")
        and len(text) > 4
        and " " not in text
        and rng.random() < r["article_dropped"]
    ):
        text = text[2:]
    if rng.random() < r["persian_kaf"]:
        text = text.replace("ك", "ک")
    if rng.random() < r["persian_ya"]:
        text = re.sub(r"ي\b", "ی", text)
    if len(text) > 2 and text[0] in "بتثجحخسشصضطظعغفقكلمنهي" and rng.random() < r["tatweel"]:
        text = text[0] + "ـ" + text[1:]
    return text


class _LatinSpeller:
    """Applies one Latin scheme's rules to the words of one name."""

    def __init__(self, style: SpellingStyle, rng: np.random.Generator) -> None:
        self.style = style
        self.rng = rng
        self.exceptions = spelling_exceptions()

    def pick(self, key: str) -> str:
        values, cumulative = self.style.options[key]
        if len(values) == 1:
            return values[0]
        return values[_draw_index(cumulative, self.rng)]

    def chance(self, key: str) -> bool:
        return bool(self.rng.random() < self.style.rates[key])

    def exception(self, key: str) -> str | None:
        variants = self.exceptions.get(key, {}).get(self.style.scheme)
        if not variants:
            return None
        cumulative = self.style.exception_weights[len(variants) - 1]
        return variants[_draw_index(cumulative, self.rng)]

    def name(self, scholarly: str, arabic: str) -> str:
        tokens = scholarly.split(" ")
        arabic_tokens = arabic.split(" ")
        aligned = len(arabic_tokens) == len(tokens)
        out: list[str] = []
        i = 0
        while i < len(tokens):
            article, body = _split_article(tokens[i])
            ar = arabic_tokens[i] if aligned else arabic
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if body == "ʿAbd" and nxt is not None:
                word = self.abd_compound(nxt, arabic_tokens[i + 1] if aligned else arabic)
                i += 2
            elif nxt == "al-Dīn":
                word = self.word(body, ar) + self.style.fixed["din"]
                i += 2
            elif body == "Abū":
                word = self.style.fixed["abu"]
                i += 1
            else:
                word = self.word(body, ar)
                i += 1
            out.append(self.with_article(word) if article else word)
        return " ".join(out)

    def with_article(self, word: str) -> str:
        template = self.style.fixed["article"]
        return template.replace("{X}", word).replace("{x}", word.lower())

    def abd_compound(self, second: str, arabic: str) -> str:
        conventional = self.exception(f"ʿAbd {second}")
        if conventional is not None:
            return conventional
        _, body = _split_article(second)
        word = self.word(body, arabic.removeprefix("ال"))
        template = self.style.fixed["abd"]
        if "{ASSIM}" in template:
            low = word.lower()
            if low[0] in _SUN_LETTERS and low[:2] not in ("sh", "th", "dh", "ch"):
                return template.replace("{ASSIM}", low[0] + low)
            return "Abdel" + low
        return template.replace("{X}", word).replace("{x}", word.lower())

    def word(self, body: str, arabic: str) -> str:
        conventional = self.exception(body)
        if conventional is not None:
            return conventional
        w = body.lower().lstrip("ʿʾ")
        if not self.chance("double"):
            w = re.sub(r"(sh|th|dh|kh|gh)\1", r"\1", w)
            w = re.sub(r"([^aiuāīūʿʾ])\1", r"\1", w)
        if w.startswith("u") and self.chance("initial_u"):
            w = "o" + w[1:]
        ayn = self.pick("ayn")
        w = w.replace("ʿ", ayn).replace("ʾ", ayn).rstrip("'")
        w = re.sub(r"i(?=[^aiuāīū']{1,3}$)", lambda _: "e" if self.chance("final_i") else "i", w)
        w = re.sub(r"(?<=.)i(?![āīū])", lambda _: "e" if self.chance("i") else "i", w)
        w = re.sub(r"u", lambda _: self.pick("u_short") if self.chance("u") else "u", w)
        w = re.sub(r"ay(?![aiuāīūy'eo])", lambda _: self.pick("ay").upper(), w)
        w = re.sub(r"aw(?![aiuāīūw'eo])", lambda _: self.pick("aw").upper(), w)
        if w.endswith("ān"):
            w = w[:-2] + self.pick("final_an").upper()
        elif w.endswith("īn"):
            w = w[:-2] + self.pick("final_in").upper()
        w = re.sub(r"ā$", "a", w)
        w = re.sub(r"ī$", "i", w)
        w = w.replace("ā", self.pick("long_a")).replace("ī", self.pick("long_i"))
        w = w.replace("ū", self.pick("long_u"))
        w = w.replace("ḥ", "h").replace("ṣ", "s").replace("ṭ", "t")
        w = w.replace("ḍ", self.pick("d_emph")).replace("ẓ", self.pick("z_emph"))
        for letter, latin in (("ش", "sh"), ("ث", "th"), ("ذ", "dh"), ("ج", "j"), ("ق", "q")):
            if letter in arabic:
                w = w.replace(latin + latin, latin).replace(latin, self.pick(latin))
        w = re.sub(
            r"(?<=[aeiouAEIOU])s(?=[aeiouAEIOU])", lambda _: "ss" if self.chance("ss") else "s", w
        )
        if self.pick("w") != "w":
            w = re.sub(r"(?<=.)(?:ou|o|u)?w", "ou", w)
        if arabic.endswith("ة") and w.endswith("a"):
            w = w[:-1] + self._ta_marbuta(body.lower()[:-1])
        w = w.lower()
        return w[:1].upper() + w[1:]

    def _ta_marbuta(self, scholarly_stem: str) -> str:
        form = self.style.fixed["ta"]
        if form != "imala":
            return form
        # Levantine imala: -eh after most consonants (Fatmeh), -a after gutturals and
        # emphatics (Talha, Jumaa), judged on the scholarly letters before any rule ran.
        guttural = scholarly_stem[-1:] in _GUTTURAL_OR_EMPHATIC or scholarly_stem[-2:] in (
            "kh",
            "gh",
        )
        return "a" if guttural else "eh"


def _draw_index(cumulative: tuple[float, ...], rng: np.random.Generator) -> int:
    """Index drawn with probabilities given as cumulative weights (ending at 1)."""
    return min(bisect.bisect_right(cumulative, rng.random()), len(cumulative) - 1)


def _cumulative(weights: np.ndarray) -> tuple[float, ...]:
    return tuple(float(x) for x in np.cumsum(weights / weights.sum()))


def _split_article(token: str) -> tuple[bool, str]:
    if token.startswith("al-"):
        return True, token[3:]
    return False, token


def spell_table(
    scholarly: tuple[str, ...],
    arabic: tuple[str, ...],
    style: SpellingStyle,
    rng: np.random.Generator,
) -> np.ndarray:
    """Spell every name of a table once under `style` (an object array aligned with the table)."""
    spelled = [spell(s, a, style, rng) for s, a in zip(scholarly, arabic, strict=True)]
    return np.array(spelled, dtype=object)
