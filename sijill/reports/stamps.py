"""Reproducibility stamps: SHA-256 of a figure's data and settings, with the Sijill version."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sijill import __version__


def _plain(value: Any) -> Any:
    """Values reduced to what canonical JSON can hold; floats rounded so platforms agree."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return str(value)


def canonical(value: Any) -> bytes:
    """Deterministic JSON bytes (sorted keys, no spaces, UTF-8) of plain data."""
    return json.dumps(
        _plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256_of(value: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of `value`."""
    return hashlib.sha256(canonical(value)).hexdigest()


@dataclass(frozen=True)
class Stamp:
    """What makes a figure reproducible: its data hash, its settings hash and the version.

    Attributes:
        data_hash: SHA-256 of the figure's data (what is drawn, computed from the workspace).
        settings_hash: SHA-256 of the settings that computed it (case, scope, method, seed …).
        version: The Sijill version that made it.
    """

    data_hash: str
    settings_hash: str
    version: str = __version__

    @classmethod
    def of(cls, data: Any, settings: Any) -> Stamp:
        """The stamp of a figure's data and settings, with this Sijill's version."""
        return cls(sha256_of(data), sha256_of(settings))

    def short(self) -> str:
        """A caption-sized form: ``data 1a2b3c4d5e6f · settings 0f9e8d7c6b5a · sijill 0.1.0``."""
        return (
            f"data {self.data_hash[:12]} · settings {self.settings_hash[:12]} · "
            f"sijill {self.version}"
        )

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form for report.json."""
        return {
            "data_hash": self.data_hash,
            "settings_hash": self.settings_hash,
            "version": self.version,
        }
