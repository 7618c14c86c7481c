"""Text encodings of list files: byte-order marks, detection, names users type, garbled-text hints."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

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


def first_invalid(path: Path, codec: str = "utf-8") -> int | None:
    """The byte offset of the first bytes of a file that are not valid `codec`, or None.

    The start of a file can be plain ASCII (ids, dates) while Arabic names further down are in a
    code page, so a UTF-8 guess from the first bytes is checked against the whole file (in
    chunks, at C speed) before it is trusted; the offset also locates damage for the user.
    """
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as exc:
                return offset + max(exc.start, 0)
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return offset
    return None


def line_of(path: Path, offset: int) -> int:
    """The 1-based line (counting newline bytes) holding byte `offset` of a file."""
    lines, seen = 1, 0
    with path.open("rb") as handle:
        while seen < offset and (chunk := handle.read(min(1 << 20, offset - seen))):
            lines += chunk.count(b"\n")
            seen += len(chunk)
    return lines


def detect_file_encoding(path: Path, head: bytes) -> tuple[str, str]:
    """`detect_encoding` on the first bytes, with a UTF-8 guess checked over the whole file."""
    codec, how = detect_encoding(head)
    if codec != "utf-8" or not head.isascii():
        # Real UTF-8 letters in the first bytes make UTF-8 certain: a bad byte further on is
        # then damage to report (a decode error with its row), not a reason to switch.
        return codec, how
    bad = first_invalid(path)
    if bad is None:
        return codec, how
    with path.open("rb") as handle:
        handle.seek(max(0, bad - 1024))
        around = handle.read(1 << 16)
    from charset_normalizer import from_bytes

    best = from_bytes(around, cp_isolation=["cp1256", "iso8859_6"]).best()
    chosen = normalise_encoding_name(best.encoding) if best is not None else "cp1256"
    return chosen, f"detected (not UTF-8 from byte {bad})"


def looks_garbled(text: str) -> bool:
    """Whether decoded text looks like mojibake (bytes read in the wrong encoding)."""
    return bool(_MOJIBAKE.search(text))


def garbled_hint(encoding: str) -> str:
    """What to tell a user whose preview looks garbled."""
    return (
        f"the text looks garbled: the file is probably not {encoding}; "
        "try --encoding utf-8, windows-1256 or iso-8859-6 and preview again"
    )
