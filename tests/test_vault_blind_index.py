"""Tests for blind indexes over protected names."""

from __future__ import annotations

import pytest

from sijill.errors import InputError
from sijill.vault.blind_index import BlindIndexer, minimal_normalise
from sijill.vault.keys import WorkspaceKey


def test_minimal_normaliser() -> None:
    assert minimal_normalise("  Ahmad   AL-Hasan\t") == ["ahmad al-hasan"]
    assert minimal_normalise("ＡＢＣ") == ["abc"]  # full-width letters fold by NFKC
    assert minimal_normalise(" \n ") == []


def test_equal_forms_match_and_keys_separate_workspaces() -> None:
    key = WorkspaceKey.generate()
    index = BlindIndexer(key)
    assert index.terms("Ahmad  Al-Hasan") == index.terms("ahmad al-hasan")
    assert index.terms("Ahmad") != index.terms("Ahmed")
    assert len(index.terms("x")[0]) == 16  # 64 bits in hex
    assert index.terms("x", domain="given") != index.terms("x", domain="family")
    assert BlindIndexer(WorkspaceKey.generate()).terms("Ahmad") != index.terms("Ahmad")
    assert index.terms("   ") == []


def test_custom_normaliser_and_term_length() -> None:
    def variants(value: str) -> list[str]:
        base = value.casefold()
        return [base, base.replace("ou", "u"), base]

    index = BlindIndexer(WorkspaceKey.generate(), normalise=variants, bits=32)
    terms = index.terms("Youssef")
    assert len(terms) == 2 and all(len(t) == 8 for t in terms)
    assert index.terms("yussef")[0] == terms[1]
    for bits in (8, 12, 264):
        with pytest.raises(InputError):
            BlindIndexer(WorkspaceKey.generate(), bits=bits)


def test_terms_do_not_contain_the_name() -> None:
    index = BlindIndexer(WorkspaceKey.generate(), bits=256)
    name = "عبد الرحمن"
    joined = "".join(index.terms(name))
    assert name not in joined and name.encode().hex() not in joined
