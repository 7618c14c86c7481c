"""Use cases for case reports: collect each section's data within consent, build HTML/PDF, reproduce.

What a report may say follows the consent rules of `services.export`: for a scope (coi, iiim,
public, named) only testimonies whose source's consent covers that scope on the report's consent
day, and that were not withdrawn, feed the report's corroboration and testimony ranges; every
source is counted by kind, but only those sources are listed, by pseudonym (by name only when
the report is for `named` and the source consented to being named). Victim lists, linkage and
estimates hold no witness data and are reported whole.

Each section's data is plain JSON whose SHA-256 is its stamp; `reproduce_report` recomputes
every section from the workspace with the settings stored in report.json and names those whose
data changed.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sijill.domain.cases import Case
from sijill.domain.vocabulary import CONSENT_SCOPES, SOURCE_KINDS, VIOLATION_TYPES
from sijill.errors import EstimationError, InputError, NotFoundError
from sijill.reports.manifest import ReportManifest, changed_parts, compare_items, read_manifest
from sijill.reports.messages import check_language
from sijill.reports.package import sha256_file
from sijill.reports.settings import ReportSettings
from sijill.reports.stamps import sha256_of
from sijill.services.access import Permission
from sijill.services.cases import resolve_case
from sijill.services.export import consented_scopes
from sijill.services.session import Session
from sijill.store import claims as claim_store
from sijill.store import events as event_store
from sijill.store import sources as source_store
from sijill.store import testimonies as testimony_store

__all__ = [
    "ReportResult",
    "ReportSettings",
    "build_report",
    "collect_sections",
    "reproduce_report",
]


@dataclass(frozen=True)
class ReportResult:
    """Where a built report is and what it holds."""

    directory: Path
    html: Path
    pdf: Path
    manifest: Path
    settings: ReportSettings
    sections: dict[str, Any] = field(repr=False)


@dataclass
class _Scope:
    """What consent lets this report use: testimony and source ids, and named sources."""

    testimonies: set[int]
    sources: set[int]
    named: set[int]


def _consent(s: Session, case: Case, settings: ReportSettings) -> _Scope:
    day = date.fromisoformat(settings.consent_day)
    allowed = _Scope(set(), set(), set())
    for src in source_store.list_sources(s.conn, case.id):
        scopes = consented_scopes(s, src.id, day)
        if settings.scope in scopes:
            allowed.sources.add(src.id)
            if settings.scope == "named" and "named" in scopes:
                allowed.named.add(src.id)
    for t in testimony_store.list_testimonies(s.conn, case.id):
        if t.withdrawn_at is None and t.source_id in allowed.sources:
            allowed.testimonies.add(t.id)
    return allowed


def _sources(s: Session, case: Case, allowed: _Scope, lang: str) -> dict[str, Any]:
    from sijill.services.sources import read_identity

    rows: dict[str, dict[str, Any]] = {}
    for src in source_store.list_sources(s.conn, case.id):
        row = rows.setdefault(
            src.kind,
            {
                "kind": src.kind,
                "label": SOURCE_KINDS.get(src.kind).label(lang),
                "count": 0,
                "listed": [],
                "not_listed": 0,
            },
        )
        row["count"] += 1
        if src.id not in allowed.sources:
            row["not_listed"] += 1
            continue
        entry = {"code": src.code, "reliability": src.reliability}
        if src.id in allowed.named:
            identity = read_identity(s, src.id)
            if identity is not None and (identity.name_ar or identity.name_latin):
                entry["name"] = identity.name_ar if lang == "ar" else identity.name_latin
        row["listed"].append(entry)
    order = {code: n for n, code in enumerate(SOURCE_KINDS.codes())}
    kinds = sorted(rows.values(), key=lambda r: order.get(r["kind"], 99))
    return {"kinds": kinds, "total": sum(r["count"] for r in kinds)}


def _timeline(s: Session, case: Case, lang: str) -> dict[str, Any]:
    events = []
    for e in event_store.list_events(s.conn, case.id):
        events.append(
            {
                "code": e.code,
                "title": e.title,
                "type": VIOLATION_TYPES.get(e.violation_type).label(lang),
                "date": str(e.date),
                "earliest": e.date.earliest.isoformat() if e.date.earliest else None,
                "latest": e.date.latest.isoformat() if e.date.latest else None,
                "exact": e.date.earliest is not None and e.date.earliest == e.date.latest,
                "place": e.place_text,
                "governorate": e.governorate_pcode,
                "count": str(e.count) if e.count else "",
            }
        )
    return {"events": events}


def _corroboration(s: Session, case: Case, allowed: _Scope) -> dict[str, Any]:
    from sijill.corroboration import corroborate_case
    from sijill.services.corroboration import load_evidence

    evidence = load_evidence(s, case.id)
    usable = tuple(c for c in evidence.claims if c.testimony_id in allowed.testimonies)
    report = corroborate_case(dataclasses.replace(evidence, claims=usable))
    data = report.to_dict()
    findings = [
        {
            "id": f["id"],
            "subject": f["subject"],
            "attribute": f["attribute"],
            "value": f["value"],
            "status": f["status"],
            "groups": len(f["groups"]),
            "independent_direct": f["independent_direct"],
            "sources": f["sources"],
            "contested_by": f["contested_by"],
        }
        for f in data["findings"]
    ]
    contradictions = [
        {
            "claims": [c["claim_a"]["claim_id"], c["claim_b"]["claim_id"]],
            "sources": [c["claim_a"]["source"], c["claim_b"]["source"]],
            "subject": c["subject"],
            "attribute": c["attribute"],
            "reason": c["reason"],
            "resolved": c["resolved"],
        }
        for c in data["contradictions"]
    ]
    return {
        "summary": data["summary"],
        "settings": data["settings"],
        "findings": findings,
        "contradictions": contradictions,
        "claims_used": len(usable),
        "claims_withheld": len(evidence.claims) - len(usable),
    }


def _linkage(s: Session, run: int | None) -> dict[str, Any] | None:
    from sijill.services import linkage

    if run is None:
        return None
    quality = linkage.quality_report(s, run)
    frame = linkage.capture_history(s, run)
    lists = [c for c in frame.columns if c != "count"]
    patterns = [
        {"lists": [name for name in lists if int(row[name])], "count": int(row["count"])}
        for _, row in frame.iterrows()
        if int(row["count"]) > 0
    ]
    return {
        "run_id": quality["run_id"],
        "lists": lists,
        "records_per_list": quality["records_per_list"],
        "people_per_list": quality["people_per_list"],
        "records": quality["records"],
        "people": quality["people"],
        "patterns": patterns,
        "pairs": quality["pairs"],
        "threshold": quality["threshold"],
        "decisions": quality["decisions"],
        "input_hashes": quality["input_hashes"],
    }


def _people_by_governorate(s: Session, run: int) -> dict[str, int]:
    from sijill.services import linkage

    frame = linkage.capture_history(s, run, strata=["governorate"])
    return {str(k): int(v) for k, v in frame.groupby("governorate")["count"].sum().items()}


def _estimates(s: Session, settings: ReportSettings) -> dict[str, dict[str, Any]]:
    from sijill.services.estimates import estimate_table
    from sijill.services.linkage import capture_history_table

    if settings.linkage_run is None:
        return {}
    table = capture_history_table(s, settings.linkage_run)
    out: dict[str, dict[str, Any]] = {}
    for method in settings.methods:
        try:
            result = estimate_table(table, method, settings.seed, settings.level)
        except EstimationError as exc:
            out[method] = {"method": method, "error": exc.message}
            continue
        out[method] = result.to_dict()
    return out


def _quantity(value: Any) -> str:
    count = value.count
    if count is not None:
        if count.maximum is None:  # "at least N" gives no upper bound to simulate from
            return ""
        if count.maximum == count.minimum:
            return str(count.minimum)
        return f"{count.minimum}-{count.maximum}"
    return str(value.text)


def _testimony_ranges(
    s: Session, case: Case, allowed: _Scope, settings: ReportSettings
) -> list[dict[str, Any]]:
    """Ranges from each source that gave both a group size and a frequency for one event."""
    from sijill.services.estimates import estimate_testimony

    codes = {src.id: src.code for src in source_store.list_sources(s.conn, case.id)}
    events = {f"event:{e.code}": e for e in event_store.list_events(s.conn, case.id)}
    told: dict[tuple[str, int], dict[str, Any]] = {}
    for claim in claim_store.list_claims(s.conn, case.id):
        if claim.testimony_id not in allowed.testimonies or claim.subject not in events:
            continue
        if claim.basis == "heard_from":  # group sizes and rates need someone who saw them
            continue
        slot = told.setdefault((claim.subject, claim.source_id), {})
        if claim.attribute in ("count", "frequency") and _quantity(claim.value):
            slot.setdefault(claim.attribute, _quantity(claim.value))
        elif claim.attribute == "date" and claim.value.date is not None:
            slot.setdefault("date", claim.value.date)
    rows = []
    for (subject, source_id), slot in sorted(told.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if "count" not in slot or "frequency" not in slot:
            continue
        event = events[subject]
        when = slot.get("date", event.date)
        if when.earliest is None or when.latest is None:
            continue
        start, end = when.earliest.isoformat(), when.latest.isoformat()
        source = codes.get(source_id, f"source #{source_id}")
        result = estimate_testimony(
            [(start, end, slot["frequency"], slot["count"])],
            source,
            draws=settings.testimony_draws,
            seed=settings.seed,
            level=settings.level,
        )
        rows.append(
            {
                "event": event.code,
                "event_title": event.title,
                "source": source,
                "start": start,
                "end": end,
                "period_from": "source" if "date" in slot else "event",
                "per_week": slot["frequency"],
                "per_event": slot["count"],
                "estimate": result.estimate,
                "lower": result.lower,
                "upper": result.upper,
                "arithmetic": list(result.arithmetic_range),
                "label": f"{event.code} · {source}",
            }
        )
    return rows


def collect_sections(s: Session, settings: ReportSettings) -> dict[str, Any]:
    """Every section's data, computed from the workspace (what figures and tables show).

    Keys: ``sources``, ``timeline``, ``map``, ``corroboration``, ``linkage`` (None without a
    run), ``estimate:<method>`` per method, ``testimony``. Reading needs READ_CASE (and
    READ_IDENTITY for ``named``, READ_LISTS with a linkage run), so reviewers can reproduce a
    report; writing one (`build_report`) needs EXPORT.
    """
    case = resolve_case(s, settings.case)
    s.require(Permission.READ_CASE, case.id, f"case:{case.code}")
    if settings.scope == "named":
        s.require(Permission.READ_IDENTITY, case.id, f"case:{case.code}")
    allowed = _consent(s, case, settings)
    lang = settings.lang
    sections: dict[str, Any] = {
        "sources": _sources(s, case, allowed, lang),
        "timeline": _timeline(s, case, lang),
        "corroboration": _corroboration(s, case, allowed),
    }
    from sijill.reports.maps import map_data

    if settings.linkage_run is not None:
        s.require(Permission.READ_LISTS, target="linkage")
        sections["map"] = {
            "measure": "people",
            **map_data(_people_by_governorate(s, settings.linkage_run), lang),
        }
    else:
        per_gov = Counter(
            e["governorate"] for e in sections["timeline"]["events"] if e["governorate"]
        )
        sections["map"] = {"measure": "events", **map_data(dict(per_gov), lang)}
    sections["linkage"] = _linkage(s, settings.linkage_run)
    for method, result in _estimates(s, settings).items():
        sections[f"estimate:{method}"] = result
    sections["testimony"] = _testimony_ranges(s, case, allowed, settings)
    return sections


def _latest_run(s: Session) -> int | None:
    from sijill.services.linkage import get_run

    if not s.can(Permission.READ_LISTS):
        return None
    try:
        return get_run(s).id
    except NotFoundError:
        return None


def build_report(
    s: Session,
    case: str | None = None,
    *,
    lang: str = "en",
    scope: str = "public",
    out: Path | None = None,
    methods: tuple[str, ...] | None = None,
    seed: int = 0,
    level: float = 0.95,
    on: date | None = None,
) -> ReportResult:
    """Write a case report (HTML, PDF, figures and report.json) for one consent scope.

    Args:
        s: The session (needs EXPORT in the case; READ_IDENTITY for ``named``).
        case: The case code (optional when the actor reads one case).
        lang: ``en`` or ``ar`` (Arabic is laid out right to left).
        scope: Consent scope the report is prepared for (coi, iiim, public, named).
        out: An empty or new folder; default a new folder under the workspace's reports/.
        methods: Estimation methods (default: the default method).
        seed: Seed of every random step.
        level: Interval coverage.
        on: The day consent is judged on (default today, UTC).

    Raises:
        InputError: Unknown language or scope, or a non-empty output folder.
    """
    from sijill.reports.document import write_report
    from sijill.services.estimates import default_method
    from sijill.services.estimates import methods as known_methods

    found = resolve_case(s, case)
    s.require(Permission.EXPORT, found.id, f"case:{found.code}")
    lang = check_language(lang)
    unknown = [m for m in methods or () if m not in known_methods()]
    if unknown:
        raise InputError(
            f"unknown estimation method {', '.join(unknown)}",
            hint=f"use one of: {', '.join(known_methods())}",
        )
    scope = CONSENT_SCOPES.get(scope).code
    settings = ReportSettings(
        case=found.code,
        lang=lang,
        scope=scope,
        consent_day=(on or datetime.now(UTC).date()).isoformat(),
        methods=tuple(methods) if methods else (default_method(),),
        seed=seed,
        level=level,
        linkage_run=_latest_run(s),
    )
    stamp_time = datetime.now(UTC)
    directory = out or (
        s.workspace.settings.reports_dir
        / f"{found.code}-{scope}-{lang}-{stamp_time.strftime('%Y%m%dT%H%M%SZ')}"
    )
    if directory.exists() and any(directory.iterdir()):
        raise InputError(f"{directory} is not empty", hint="write the report into a new folder")
    sections = collect_sections(s, settings)
    written = write_report(
        directory,
        sections,
        settings.to_dict(),
        case_title=found.title,
        created_at=stamp_time.isoformat(timespec="seconds"),
    )
    s.audit(
        "report.build",
        f"case:{found.code}",
        scope=scope,
        lang=lang,
        data_hash=written.manifest.data_hash,
    )
    return ReportResult(directory, written.html, written.pdf, written.path, settings, sections)


def reproduce_report(s: Session, report: Path) -> dict[str, Any]:
    """Recompute every section of a report from the workspace and compare it with report.json.

    Args:
        s: The session (READ_CASE in the case, READ_LISTS when the report has a linkage run;
            a reviewer can check a report without the right to make one).
        report: The report's folder or its report.json.

    Returns:
        ``items`` (id → ``same``, ``changed``, ``missing`` or ``new``), ``differ`` (the ids that
        are not ``same``), ``files_changed`` (files of the report folder — PDF, HTML, figures —
        whose SHA-256 no longer matches report.json, or that are gone), ``details`` (per
        changed item, which parts of its data moved), ``version`` (the
        report's Sijill version) and ``same_version``.
    """
    manifest: ReportManifest = read_manifest(report)
    settings = ReportSettings.from_dict(manifest.settings)
    sections = collect_sections(s, settings)
    recomputed = {key: sha256_of(value) for key, value in sections.items()}
    items = compare_items(manifest.item_hashes(), recomputed)
    differ = sorted(k for k, v in items.items() if v != "same")
    details = {
        key: changed_parts(manifest.items[key].get("data"), sections[key])
        for key in differ
        if items[key] == "changed"
    }
    folder = report if report.is_dir() else report.parent
    files_changed = sorted(
        name
        for name, digest in manifest.files.items()
        if not (folder / name).is_file() or sha256_file(folder / name) != digest
    )
    s.audit(
        "report.reproduce",
        f"case:{settings.case}",
        differ=len(differ),
        files_changed=len(files_changed),
    )
    from sijill import __version__

    return {
        "report": str(report),
        "items": items,
        "differ": differ,
        "files_changed": files_changed,
        "details": details,
        "version": manifest.version,
        "same_version": manifest.version == __version__,
    }
