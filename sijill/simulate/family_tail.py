"""A generated long tail of family names: Arabic roots and name patterns, in both scripts at once.

Why generate, and why this way: the curated table (data/family.csv) holds the 431 commonest
family names, enough for 20,000 people; a simulated million draws namesakes from so few names
that linkage at scale measures the name pool. Syria has many thousands of family names, most of
them built the way Arabic builds words: a root of three consonants set into a pattern of vowels
and affixes (root ḥ-d-d in faʿʿāl gives al-Ḥaddād, the smith; in faʿīlī, al-Ḥadīdī). Building
a name from its root and pattern writes its Arabic spelling and its scholarly Latin from the same
consonants and vowels, so the two scripts agree by construction, where transliterating one into
the other would need the vowels Arabic script leaves out.

- Roots: every ordered triple of sound consonants from the inventory the curated tables use
  where neighbouring consonants come from different places of articulation (labials, coronal
  obstruents, coronal sonorants, dorsals, gutturals) and the first and last differ: Arabic roots
  avoid such pairs (Greenberg 1950, "The patterning of root morphemes in Semitic"), so the
  roots look Arabic. Weak radicals (w, y) and hamza are left out: their spelling changes with
  the pattern (qāʾil, not qāwil).
- Patterns: the shapes of common Syrian family names: occupational faʿʿāl (al-Ḥaddād), fāʿil
  (Ḥāmid), faʿīl / fuʿayl (al-Rashīd, al-ʿUbayd), faʿʿūl (Ḥammūd), faʿlān (Ḥamdān), faʿl
  (Naṣr), faʿāla (Salāma), faʿla (Jumʿa), afʿal (al-Aswad), mufaʿʿil (al-Munajjid), mafʿūl
  (Makhlūf), and the nisbas -ī, -āwī, -ānī (al-Kurdī, al-Jablāwī, al-Shaʿrānī). Where patterns
  differ only in short vowels (faʿl, fiʿl, fuʿl), each root takes one, so every Arabic spelling
  is one name. Most nisbas carry the article al-, other patterns about half of the time.
- Excluded: forms where two neighbouring consonants could read as other letters in some Latin
  spelling scheme (t + h as th, q written k + h as kh, k + kh as kh when a writer drops doubled
  letters; the Latin rules and the skeleton take digraphs as single letters), forms whose
  Latin starts like the article (ʿĀlim, Alkab), and forms whose stem (article aside) is a
  curated name's stem in either script, or another generated name's.
- Order (rank, hence frequency): a weighted draw without replacement (Efraimidis and Spirakis
  2006), the weight of a name being its pattern's weight times how often its root's letters
  occur in the curated family names: names of common letters (r, m, n, d, b) come early, names
  of rare ones (ẓ, th, gh) late, as in real name lists. The draw's random numbers (and each
  root's choice of vowels and article) come from SHAKE-256, a standard hash function, so the
  list is the same on every platform and library version; the first `TAIL_SIZE` names are the
  tail.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np

#: Generated family names after the curated head. With the curated table's Zipf-like tail
#: continued over them (`sijill.simulate.names`), listed people carry 6,500 distinct family
#: names at 20,000 people, 28,000 at 173,000 and 51,000 at 750,000: the pool grows with the
#: population (bench/RESULTS-simulate.md).
TAIL_SIZE = 60_000

# Sound consonants: scholarly Latin, Arabic letter, place of articulation.
_CONSONANTS = (
    ("b", "ب", "labial"),
    ("f", "ف", "labial"),
    ("m", "م", "labial"),
    ("t", "ت", "coronal obstruent"),
    ("d", "د", "coronal obstruent"),
    ("ṭ", "ط", "coronal obstruent"),
    ("ḍ", "ض", "coronal obstruent"),
    ("th", "ث", "coronal obstruent"),
    ("dh", "ذ", "coronal obstruent"),
    ("s", "س", "coronal obstruent"),
    ("z", "ز", "coronal obstruent"),
    ("ṣ", "ص", "coronal obstruent"),
    ("ẓ", "ظ", "coronal obstruent"),
    ("sh", "ش", "coronal obstruent"),
    ("l", "ل", "coronal sonorant"),
    ("r", "ر", "coronal sonorant"),
    ("n", "ن", "coronal sonorant"),
    ("k", "ك", "dorsal"),
    ("q", "ق", "dorsal"),
    ("j", "ج", "dorsal"),
    ("ʿ", "ع", "guttural"),
    ("ḥ", "ح", "guttural"),
    ("h", "ه", "guttural"),
    ("kh", "خ", "guttural"),
    ("gh", "غ", "guttural"),
)
_ARABIC_OF = {latin: arabic for latin, arabic, _ in _CONSONANTS}
_PLACE_OF = {latin: place for latin, _, place in _CONSONANTS}

# A pattern: its name, how common the shape is among family names (roughly as in the curated
# table), how often it takes the article, the Arabic spelling and its vocalisations (one Arabic
# spelling, different short vowels). {0} {1} {2} are the root's consonants; a doubled one is
# written once in Arabic.
_NISBA, _PLAIN = 0.8, 0.5
_PATTERNS: tuple[tuple[str, float, float, str, tuple[str, ...]], ...] = (
    ("faʿʿāl", 2.0, _PLAIN, "{0}{1}ا{2}", ("{0}a{1}{1}ā{2}",)),
    ("fāʿil", 1.0, _PLAIN, "{0}ا{1}{2}", ("{0}ā{1}i{2}",)),
    ("faʿīl", 1.0, _PLAIN, "{0}{1}ي{2}", ("{0}a{1}ī{2}", "{0}u{1}ay{2}")),
    ("faʿʿūl", 1.0, _PLAIN, "{0}{1}و{2}", ("{0}a{1}{1}ū{2}",)),
    ("faʿlān", 1.0, _PLAIN, "{0}{1}{2}ان", ("{0}a{1}{2}ān", "{0}u{1}{2}ān", "{0}i{1}{2}ān")),
    ("faʿl", 1.0, _PLAIN, "{0}{1}{2}", ("{0}a{1}{2}", "{0}i{1}{2}", "{0}u{1}{2}")),
    ("faʿāla", 0.7, _PLAIN, "{0}{1}ا{2}ة", ("{0}a{1}ā{2}a",)),
    ("faʿla", 0.5, _PLAIN, "{0}{1}{2}ة", ("{0}a{1}{2}a", "{0}u{1}{2}a")),
    ("afʿal", 0.7, 0.9, "أ{0}{1}{2}", ("a{0}{1}a{2}",)),
    ("mufaʿʿil", 0.4, _PLAIN, "م{0}{1}{2}", ("mu{0}a{1}{1}i{2}",)),
    ("mafʿūl", 0.6, _PLAIN, "م{0}{1}و{2}", ("ma{0}{1}ū{2}",)),
    ("faʿlī", 2.0, _NISBA, "{0}{1}{2}ي", ("{0}a{1}{2}ī", "{0}i{1}{2}ī", "{0}u{1}{2}ī")),
    ("fāʿilī", 1.0, _NISBA, "{0}ا{1}{2}ي", ("{0}ā{1}i{2}ī",)),
    ("faʿīlī", 1.0, _NISBA, "{0}{1}ي{2}ي", ("{0}a{1}ī{2}ī", "{0}u{1}ay{2}ī")),
    ("faʿʿālī", 0.7, _NISBA, "{0}{1}ا{2}ي", ("{0}a{1}{1}ā{2}ī",)),
    ("faʿlāwī", 0.7, _NISBA, "{0}{1}{2}اوي", ("{0}a{1}{2}āwī", "{0}i{1}{2}āwī")),
    ("faʿlānī", 0.7, _NISBA, "{0}{1}{2}اني", ("{0}a{1}{2}ānī", "{0}u{1}{2}ānī")),
)
_ADJACENT = re.compile(r"\{(\d)\}(?=\{(\d)\})")
_SEED = b"sijill.simulate.family_tail 1"  # changing it reorders the tail: keep it

# Latin letter pairs read as one letter (the digraphs of the spelling schemes and the skeleton).
_DIGRAPHS = frozenset({"sh", "th", "dh", "kh", "gh", "dj", "ch", "ph", "ck", "sc"})
# How the Latin spelling schemes may write each consonant (`sijill.simulate.transliterate`):
# two neighbouring consonants must stay two letters whichever way each is written.
_RENDERINGS = {
    "ḍ": ("d", "dh"),
    "th": ("th", "t", "s"),
    "dh": ("dh", "z", "d"),
    "ẓ": ("z", "dh", "th"),
    "sh": ("sh", "ch"),
    "q": ("q", "k"),
    "j": ("j", "dj"),
}


@dataclass(frozen=True)
class GeneratedName:
    """One generated family name.

    Attributes:
        arabic: Arabic script, unvocalised (الحداد), as the curated table writes names.
        scholarly: vocalised scholarly Latin (al-Ḥaddād), the form every Latin spelling
            scheme is derived from.
        root: the root's consonants in scholarly Latin ("r-sh-d").
        pattern: the pattern's name ("faʿīl", as in al-Rashīd).
    """

    arabic: str
    scholarly: str
    root: str
    pattern: str


def _plain(scholarly: str) -> str:
    """Lower-case Latin without diacritics, ayn or hamza (what a reader of plain Latin sees)."""
    decomposed = unicodedata.normalize("NFKD", scholarly.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in "ʿʾ")


_LETTERS = tuple(_ARABIC_OF)
_PLAIN_OF = {latin: _plain(latin) for latin in _LETTERS}


def roots() -> list[tuple[str, str, str]]:
    """The sound triliteral roots generated names are built on (see the module docstring)."""
    return [
        (c1, c2, c3)
        for c1, c2, c3 in itertools.product(_LETTERS, repeat=3)
        if _PLACE_OF[c1] != _PLACE_OF[c2] and _PLACE_OF[c2] != _PLACE_OF[c3] and c1 != c3
    ]


def _merge(left: str, right: str) -> bool:
    """True when consonant `left` written just before `right` could read as other letters."""
    for a in _RENDERINGS.get(left, (_PLAIN_OF[left],)):
        for b in _RENDERINGS.get(right, (_PLAIN_OF[right],)):
            if not a or not b:
                continue
            # A digraph across the two (t + h as th), or one letter ending the first and starting
            # the second (k + kh, th + h), which a writer who drops doubled letters merges.
            if a[-1] + b[0] in _DIGRAPHS or a[-1] == b[0]:
                return True
    return False


@cache
def _merge_matrix() -> np.ndarray:
    return np.array([[_merge(a, b) for b in _LETTERS] for a in _LETTERS])


def _readable(roots_array: np.ndarray, template: str) -> np.ndarray:
    """Which roots keep every consonant readable in this vocalisation (no t + h read as th)."""
    merge = _merge_matrix()
    ok = np.ones(len(roots_array), dtype=bool)
    for match in _ADJACENT.finditer(template):
        left, right = int(match.group(1)), int(match.group(2))
        if left != right:  # a doubled consonant (shsh) is one letter written twice
            ok &= ~merge[roots_array[:, left], roots_array[:, right]]
    return ok


def _capitalised(stem: str) -> str:
    head = len(stem) - len(stem.lstrip("ʿʾ"))
    return stem[:head] + stem[head : head + 1].upper() + stem[head + 1 :]


def _stems(arabic: str, scholarly: str) -> tuple[str, str]:
    """A name's stems in both scripts, article aside, for telling names apart."""
    return arabic.removeprefix("ال"), _plain(scholarly).removeprefix("al-")


def _letter_weights(head: tuple[tuple[str, str], ...]) -> np.ndarray:
    """How often each consonant occurs in the head's names (article aside), plus one."""
    counts = Counter(
        letter for arabic, _ in head for word in arabic.split(" ") for letter in _stems(word, "")[0]
    )
    return np.array([counts[_ARABIC_OF[latin]] + 1.0 for latin in _LETTERS])


def _ranked_candidates(
    head: tuple[tuple[str, str], ...],
) -> Iterator[tuple[GeneratedName, str, str]]:
    """Every root in every pattern, in the order of a weighted draw without replacement.

    Yields each name with its Arabic stem and plain Latin stem (article aside).
    """
    all_roots = roots()
    index = {latin: i for i, latin in enumerate(_LETTERS)}
    roots_array = np.array([[index[c] for c in root] for root in all_roots])
    root_weight = _letter_weights(head)[roots_array].prod(axis=1)
    n_roots, n_patterns = len(all_roots), len(_PATTERNS)
    stream = hashlib.shake_256(_SEED).digest(16 * n_roots * n_patterns)
    words = np.frombuffer(stream, dtype=">u8").reshape(n_roots, n_patterns, 2)
    uniform = ((words[..., 0] >> np.uint64(11)).astype(float) + 0.5) / 2.0**53
    choice = words[..., 1]
    keys = np.full((n_roots, n_patterns), np.inf)
    variant = np.zeros((n_roots, n_patterns), dtype=int)
    for p, (_, weight, _, _, variants) in enumerate(_PATTERNS):
        variant[:, p] = (choice[:, p] % np.uint64(len(variants))).astype(int)
        for v, template in enumerate(variants):
            rows = (variant[:, p] == v) & _readable(roots_array, template)
            # Efraimidis-Spirakis: sorting by -log(u) / weight draws without replacement.
            keys[rows, p] = -np.log(uniform[rows, p]) / (root_weight[rows] * weight)
    article_draw = ((choice >> np.uint64(32)) % np.uint64(1000)).ravel()
    order = np.argsort(keys, axis=None, kind="stable")
    order = order[np.isfinite(keys.ravel()[order])]
    plain_templates = [tuple(_plain(v) for v in variants) for *_, variants in _PATTERNS]
    for flat, chosen, drawn in zip(
        order.tolist(),
        variant.ravel()[order].tolist(),
        article_draw[order].tolist(),
        strict=True,
    ):
        r, p = divmod(flat, n_patterns)
        name, _, share, arabic_template, variants = _PATTERNS[p]
        root = all_roots[r]
        article = drawn < share * 1000
        arabic = arabic_template.format(*(_ARABIC_OF[c] for c in root))
        plain = plain_templates[p][chosen].format(*(_PLAIN_OF[c] for c in root))
        if plain.startswith("al"):
            continue  # Latin would read the start as the article (ʿĀlim as al-Im)
        generated = GeneratedName(
            arabic=("ال" if article else "") + arabic,
            scholarly=("al-" if article else "") + _capitalised(variants[chosen].format(*root)),
            root="-".join(root),
            pattern=name,
        )
        yield generated, arabic, plain


@cache
def generated_family_names(
    head: tuple[tuple[str, str], ...] = (), size: int = TAIL_SIZE
) -> tuple[GeneratedName, ...]:
    """The generated tail of family names, in rank order (commonest first).

    Args:
        head: (Arabic, scholarly) names already in use (the curated table): no generated name
            shares a stem with them (or with a word of them) in either script, and their
            letters' frequencies weight the order.
        size: how many names to return (at most the number of distinct candidates, about
            80,000 with the curated head).
    """
    taken_arabic: set[str] = set()
    taken_latin: set[str] = set()
    for arabic, scholarly in head:
        pairs = [(arabic, scholarly), *zip(arabic.split(" "), scholarly.split(" "), strict=False)]
        for stem_ar, stem_la in (_stems(a, s) for a, s in pairs):
            taken_arabic.add(stem_ar)
            taken_latin.add(stem_la)
    out: list[GeneratedName] = []
    for name, stem_ar, stem_la in _ranked_candidates(head):
        if stem_ar in taken_arabic or stem_la in taken_latin:
            continue
        taken_arabic.add(stem_ar)
        taken_latin.add(stem_la)
        out.append(name)
        if len(out) == size:
            break
    return tuple(out)
