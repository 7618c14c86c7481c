"""Which normalised forms of a protected name are blind-indexed (so spelling variants still match)."""

from __future__ import annotations

from sijill.names.keys import match_forms
from sijill.vault.blind_index import minimal_normalise


def name_index_forms(value: str) -> list[str]:
    """The forms of a name to index: the plain form, its canonical romanisation and skeleton.

    Indexing the consonant skeleton and canonical romanisation lets an Arabic-script name and its
    Latin spellings find each other without decrypting either.
    """
    forms = minimal_normalise(value)
    parsed = match_forms(value)
    for form in (parsed.romanised, parsed.skeleton):
        if form and form not in forms:
            forms.append(form)
    return forms
