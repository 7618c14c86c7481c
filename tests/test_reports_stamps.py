"""Stamps are canonical (order-free, float-stable), comparisons name every kind of difference."""

from __future__ import annotations

from pathlib import Path

import pytest

from sijill.errors import InputError, NotFoundError
from sijill.reports.document import _direction
from sijill.reports.manifest import compare_items, read_manifest
from sijill.reports.messages import catalogue, check_language
from sijill.reports.stamps import Stamp, sha256_of


def test_data_hash_ignores_key_order_and_float_noise_but_not_values() -> None:
    a = {"lists": ["A", "B"], "estimate": 1903.5479772567185, "n": 3}
    b = {"n": 3, "estimate": 1903.54797725671, "lists": ["A", "B"]}
    assert sha256_of(a) == sha256_of(b)
    assert sha256_of(a) != sha256_of({**a, "n": 4})
    assert sha256_of(a) != sha256_of({**a, "lists": ["B", "A"]})
    stamp = Stamp.of(a, {"seed": 0})
    assert stamp.short().startswith(f"data {stamp.data_hash[:12]} · settings ")
    assert stamp.to_dict()["version"] == stamp.version


def test_compare_items_names_changed_missing_and_new() -> None:
    recorded = {"timeline": "1", "map": "2", "estimate:lcmcr": "3"}
    now = {"timeline": "1", "map": "9", "testimony": "4"}
    assert compare_items(recorded, now) == {
        "estimate:lcmcr": "missing",
        "map": "changed",
        "testimony": "new",
        "timeline": "same",
    }


def test_read_manifest_rejects_what_is_not_a_report(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        read_manifest(tmp_path)
    (tmp_path / "report.json").write_text('{"format": "something else"}')
    with pytest.raises(InputError, match="not a valid"):
        read_manifest(tmp_path)


def test_languages_and_catalogue_cover_both() -> None:
    assert check_language(" AR ") == "ar"
    with pytest.raises(InputError):
        check_language("fr")
    en, ar = catalogue("en"), catalogue("ar")
    assert en.keys() == ar.keys()
    assert all(_direction(text) == "rtl" for text in ar.values())


def test_direction_follows_the_first_strong_character() -> None:
    assert _direction("2011-09 to 2015-12") == "ltr"
    assert _direction("١٢ صيدنايا Saydnaya") == "rtl"
    assert _direction("Saydnaya صيدنايا") == "ltr"
    assert _direction("123") == "ltr"
