"""Arabic and Latin name normalisation, the cross-script bridge, parsing and keys for linkage."""

from sijill.names.arabic import display_arabic, normalise_arabic
from sijill.names.caches import clear_caches
from sijill.names.frequency import NameFrequencies
from sijill.names.keys import (
    KEYS_VERSION,
    NameForms,
    first_token_skeleton,
    match_forms,
    match_forms_columns,
    name_key,
    name_similarity,
    parts_similarity,
    skeleton_key,
    soundex_key,
)
from sijill.names.latin import normalise_latin
from sijill.names.parse import NameParts, parse_name
from sijill.names.romanise import romanise
from sijill.names.script import Script, detect_script, to_ascii_digits
from sijill.names.skeleton import skeleton

__all__ = [
    "KEYS_VERSION",
    "NameForms",
    "NameFrequencies",
    "NameParts",
    "Script",
    "clear_caches",
    "detect_script",
    "display_arabic",
    "first_token_skeleton",
    "match_forms",
    "match_forms_columns",
    "name_key",
    "name_similarity",
    "normalise_arabic",
    "normalise_latin",
    "parse_name",
    "parts_similarity",
    "romanise",
    "skeleton",
    "skeleton_key",
    "soundex_key",
    "to_ascii_digits",
]
