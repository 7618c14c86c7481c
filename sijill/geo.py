"""Syrian administrative units and detention facilities, resolved from names in Arabic or English.

Data: OpenSyria data-geography (CC BY 4.0), from OCHA COD-AB via HDX and geoBoundaries
(CC BY 3.0 IGO), GeoNames (CC BY 4.0) and Wikidata (CC0); shipped as `sijill/data/syria_admin.json`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sijill.errors import InputError

ATTRIBUTION = (
    "Administrative units: OpenSyria data-geography (CC BY 4.0), from OCHA COD-AB via HDX and "
    "geoBoundaries (CC BY 3.0 IGO), GeoNames (CC BY 4.0) and Wikidata (CC0)."
)


@dataclass(frozen=True)
class Place:
    """A governorate, district, sub-district or detention facility."""

    level: str  # "governorate" | "district" | "subdistrict" | "facility"
    pcode: str  # OCHA p-code, or "FAC-<n>" for facilities
    name_en: str
    name_ar: str
    governorate_pcode: str | None
    lat: float | None = None
    lon: float | None = None

    def label(self, lang: str = "en") -> str:
        """The display name in `lang` ("ar" or "en")."""
        return self.name_ar if lang == "ar" else self.name_en


def _fold(text: str) -> str:
    """A matching key: Arabic letter variants unified, Latin folded, articles and punctuation dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    for src, dst in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي"), ("ـ", "")):
        text = text.replace(src, dst)
    text = re.sub(r"^(محافظه|منطقه|ناحيه|مركز)\s+", "", text)
    text = re.sub(r"\b(governorate|district|subdistrict|city|province|gov\.?)\b", " ", text)
    text = re.sub(r"[\s'’`ʿʾ\-_.,()]+", "", text)
    text = re.sub(r"^(al|el|ar|as|ad|ash|an|at|az)(?=[a-z]{3})", "", text)
    text = re.sub(r"^ال", "", text)
    return text


class Gazetteer:
    """Look-ups over the bundled Syrian administrative units and facilities."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._by_pcode: dict[str, Place] = {}
        self._index: dict[str, dict[str, Place]] = {}
        gov_of_district: dict[str, str] = {}
        gov_pcode_by_id = {g["id"]: g["ocha_pcode"] for g in data["governorates"]}
        for level, key in (
            ("governorate", "governorates"),
            ("district", "districts"),
            ("subdistrict", "subdistricts"),
        ):
            for row in data[key]:
                if level == "governorate":
                    gov = row["ocha_pcode"]
                elif level == "district":
                    gov = gov_pcode_by_id[row["governorateId"]]
                    gov_of_district[row["id"]] = gov
                else:
                    gov = gov_of_district.get(row["districtId"], "")
                lat, lon = (row.get("centroid") or [None, None])[:2]
                place = Place(
                    level, row["ocha_pcode"], row["name_en"], row["name_ar"], gov, lat, lon
                )
                self._by_pcode[place.pcode] = place
                names = [row["name_en"], row["name_ar"], *row.get("aliases_en", [])]
                names += row.get("aliases_ar", [])
                self._add(level, place, names)
        for label, pcode in data["list_label_to_pcode"].items():
            if pcode:
                self._add("governorate", self._by_pcode[pcode], [label])
        for n, row in enumerate(data["detention_facilities"], start=1):
            place = Place(
                "facility",
                f"FAC-{n:02d}",
                row["name_en"],
                row["name_ar"],
                row.get("governorate_pcode"),
                row.get("lat"),
                row.get("lon"),
            )
            self._by_pcode[place.pcode] = place
            short_en = re.split(r"[(]", row["name_en"])[0]
            short_ar = re.sub(r"^(سجن|فرع)\s+|\s+(العسكري|المركزي)$", "", row["name_ar"])
            self._add("facility", place, [row["name_en"], row["name_ar"], short_en, short_ar])

    def _add(self, level: str, place: Place, names: list[str]) -> None:
        table = self._index.setdefault(level, {})
        for name in names:
            key = _fold(name)
            if key:
                table.setdefault(key, place)

    @property
    def governorates(self) -> list[Place]:
        """The 14 governorates, ordered by p-code."""
        return sorted(
            (p for p in self._by_pcode.values() if p.level == "governorate"), key=lambda p: p.pcode
        )

    @property
    def facilities(self) -> list[Place]:
        """Known detention facilities (with sourced coordinates where known)."""
        return [p for p in self._by_pcode.values() if p.level == "facility"]

    def by_pcode(self, pcode: str) -> Place:
        """The place with this p-code (or facility code); NotFound is an InputError."""
        try:
            return self._by_pcode[pcode]
        except KeyError:
            raise InputError(f"unknown place code {pcode!r}") from None

    def find(self, name: str, level: str | None = None) -> Place | None:
        """Resolve a name or p-code in Arabic or English (aliases included); None when unknown."""
        if name.strip().upper() in self._by_pcode:
            return self._by_pcode[name.strip().upper()]
        key = _fold(name)
        if not key:
            return None
        levels = [level] if level else ["governorate", "facility", "district", "subdistrict"]
        for lev in levels:
            hit = self._index.get(lev, {}).get(key)
            if hit is not None:
                return hit
        return None

    def resolve(self, name: str, level: str | None = None) -> Place:
        """Like `find`, but an unknown name is a clear InputError."""
        place = self.find(name, level)
        if place is None:
            what = level or "place"
            raise InputError(
                f"unknown {what} {name!r}",
                hint="use a governorate, district or facility name in Arabic or English, "
                "or an OCHA p-code such as SY03",
            )
        return place


@cache
def gazetteer() -> Gazetteer:
    """The bundled gazetteer (loaded once)."""
    text = resources.files("sijill").joinpath("data/syria_admin.json").read_text("utf-8")
    return Gazetteer(json.loads(text))
