"""report.json: a report's settings, each section's stamp, software versions and file hashes."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from sijill import __version__
from sijill.errors import InputError, NotFoundError
from sijill.reports.stamps import sha256_of

FORMAT = "sijill-report"
FORMAT_VERSION = 1
MANIFEST_NAME = "report.json"
#: Distributions whose versions the methods appendix records.
SOFTWARE = (
    "numpy",
    "scipy",
    "pandas",
    "statsmodels",
    "numba",
    "splink",
    "duckdb",
    "sqlalchemy",
    "matplotlib",
    "weasyprint",
    "jinja2",
)


def software_versions() -> dict[str, str]:
    """Versions of Sijill, Python and the libraries that compute or draw a report."""
    versions = {"sijill": __version__, "python": platform.python_version()}
    for name in SOFTWARE:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


@dataclass(frozen=True)
class ReportManifest:
    """What report.json holds.

    Attributes:
        version: The Sijill version that made the report.
        created_at: When (UTC, ISO).
        settings: The report settings (see `services.reports.ReportSettings`).
        settings_hash: SHA-256 of the settings.
        data_hash: SHA-256 over every item's data hash (one fingerprint of all the data).
        items: Per section/figure: ``title``, ``figure`` (relative path or None) and its stamp.
        software: Library versions.
        files: SHA-256 of every file written beside report.json.
    """

    version: str
    created_at: str
    settings: dict[str, Any]
    settings_hash: str
    data_hash: str
    items: dict[str, dict[str, Any]]
    software: dict[str, str]
    files: dict[str, str]

    def item_hashes(self) -> dict[str, str]:
        """Item id → data hash."""
        return {key: str(item["data_hash"]) for key, item in self.items.items()}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "sijill": self.version,
            "created_at": self.created_at,
            "settings": self.settings,
            "settings_hash": self.settings_hash,
            "data_hash": self.data_hash,
            "items": self.items,
            "software": self.software,
            "files_sha256": self.files,
        }

    def write(self, directory: Path) -> Path:
        """Write report.json into `directory`."""
        path = directory / MANIFEST_NAME
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        path.write_text(text + "\n", "utf-8")
        return path


def read_manifest(path: Path) -> ReportManifest:
    """Read a report's report.json (given the file or its folder).

    Raises:
        NotFoundError: No report.json there.
        InputError: The file is not a Sijill report manifest.
    """
    file = path / MANIFEST_NAME if path.is_dir() else path
    if not file.is_file():
        raise NotFoundError(
            f"no {MANIFEST_NAME} at {path}", hint="give a report folder made by `sijill report`"
        )
    try:
        doc = json.loads(file.read_text("utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError("not a Sijill report manifest")
        return ReportManifest(
            version=str(doc["sijill"]),
            created_at=str(doc["created_at"]),
            settings=dict(doc["settings"]),
            settings_hash=str(doc["settings_hash"]),
            data_hash=str(doc["data_hash"]),
            items={str(k): dict(v) for k, v in doc["items"].items()},
            software={str(k): str(v) for k, v in doc["software"].items()},
            files={str(k): str(v) for k, v in doc["files_sha256"].items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{file} is not a valid Sijill report manifest ({exc})") from None


def compare_items(recorded: dict[str, str], recomputed: dict[str, str]) -> dict[str, str]:
    """Per item: ``same``, ``changed``, ``missing`` (no longer computed) or ``new``."""
    status: dict[str, str] = {}
    for key, digest in recorded.items():
        if key not in recomputed:
            status[key] = "missing"
        else:
            status[key] = "same" if recomputed[key] == digest else "changed"
    for key in recomputed:
        if key not in recorded:
            status[key] = "new"
    return dict(sorted(status.items()))


def changed_parts(recorded: Any, now: Any) -> list[str]:
    """The top-level keys (or list positions) whose data differ, to say where a figure moved."""
    if isinstance(recorded, dict) and isinstance(now, dict):
        keys = sorted(set(recorded) | set(now))
        return [k for k in keys if sha256_of(recorded.get(k)) != sha256_of(now.get(k))]
    if isinstance(recorded, list) and isinstance(now, list):
        if len(recorded) != len(now):
            return [f"{len(recorded)} → {len(now)} rows"]
        pairs = enumerate(zip(recorded, now, strict=True), start=1)
        return [f"row {n}" for n, (a, b) in pairs if sha256_of(a) != sha256_of(b)]
    return []
