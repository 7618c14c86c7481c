"""Text encodings of list files: byte-order marks, detection, names users type, garbled-text hints."""

from __future__ import annotations

import codecs
import re

from sijill.errors import InputError

#: Encodings victim lists arrive in, in the order detection prefers them.
SUPPORTED = ("utf-8", "utf-8-sig", "utf-16", "cp1256", "iso8859-6")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALIASES = {
    "windows-1256": "cp1256",
    "windows1256": "cp1256",
    "arabic": "cp1256",
    "iso-8859-6": "iso8859-6",
    "iso8859_6": "iso8859-6",
    "utf8": "utf-8",
    "utf-8-bom": "utf-8-sig",
    "utf8-sig": "utf-8-sig",
}
# UTF-8 Arabic read as a single-byte code page shows these pairs (e.g. "ط§" for "ا", "Ø§" in Latin-1).
_MOJIBAKE = re.compile(
    r"[طظ][\u0080-\u00ff\u0152\u0153\u0192\u02c6\u2010-\u203a]|[ØÙÃÂ][\u0080-\u00ff]|â€|\ufffd"
    # ISO-8859-6 read as Windows-1256: accented Latin letters inside Arabic words ("انحنبê").
    r"|[\u0621-\u064a][\u00c0-\u00ff]|[\u00c0-\u00ff][\u0621-\u064a]"
)


def normalise_encoding_name(name: str) -> str:
    """The codec for a name a user typed (windows-1256, ISO-8859-6, utf8 …); unknown is an error."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    try:
        codecs.lookup(key)
    except LookupError:
        raise InputError(
            f"unknown encoding {name!r}",
            hint="use utf-8, utf-8-sig, utf-16, windows-1256 or iso-8859-6",
        ) from None
    return key


def detect_encoding(sample: bytes) -> tuple[str, str]:
    """Guess the encoding of a file from its first bytes; returns (codec, how it was chosen).

    A byte-order mark decides; else text that is valid UTF-8 is UTF-8; else charset-normalizer
    chooses between the Arabic code pages (Windows-1256, ISO-8859-6). A guess can be wrong:
    the preview shows the rows decoded, and `looks_garbled` flags mojibake with a hint.
    """
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec, "byte-order mark"
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if even + odd > len(sample) // 50 and max(even, odd) > 9 * min(even, odd):
        # UTF-16 without a byte-order mark: the NUL high bytes of ASCII characters (delimiters,
        # digits) fall on even positions in big-endian text, odd ones in little-endian.
        return ("utf-16-be" if even > odd else "utf-16-le"), "NUL byte pattern"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8", "valid UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["cp1256", "iso8859_6"]).best()
    if best is not None:
        return normalise_encoding_name(best.encoding), "detected (charset-normalizer)"
    return "cp1256", "fallback (Windows-1256)"


def looks_garbled(text: str) -> bool:
    """Whether decoded text looks like mojibake (bytes read in the wrong encoding)."""
    return bool(_MOJIBAKE.search(text))


def garbled_hint(encoding: str) -> str:
    """What to tell a user whose preview looks garbled."""
    return (
        f"the text looks garbled: the file is probably not {encoding}; "
        "try --encoding utf-8, windows-1256 or iso-8859-6 and preview again"
    )
