"""Which normalised forms of a protected name are blind-indexed (so spelling variants still match)."""

from __future__ import annotations

from sijill.vault.blind_index import minimal_normalise


def name_index_forms(value: str) -> list[str]:
    """The forms of a name to index: the plain form, plus script-bridging keys from `sijill.names`.

    Indexing the consonant skeleton and canonical romanisation lets an Arabic-script name and its
    Latin spellings find each other without decrypting either.
    """
    forms = minimal_normalise(value)
    try:
        from sijill.names.keys import match_forms
    except ImportError:  # the names package is optional at this layer
        return forms
    parsed = match_forms(value)
    for form in (parsed.romanised, parsed.skeleton):
        if form and form not in forms:
            forms.append(form)
    return forms
