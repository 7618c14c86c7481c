"""Use cases for testimonies (versioned) and consent."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from sijill.domain.dates import parse_uncertain_date
from sijill.domain.testimonies import Consent, Testimony, TestimonyVersion
from sijill.domain.vocabulary import CONSENT_SCOPES
from sijill.errors import InputError
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import sources as source_store
from sijill.store import testimonies as store

LANGUAGES = ("ar", "en", "ku", "fr", "tr", "other")


def _content(
    interview_date: str,
    language: str,
    summary: str,
    transcript: str,
    place: str,
    interviewer: str,
    attachments: tuple[str, ...],
    sensitive: bool = False,
) -> TestimonyVersion:
    if language not in LANGUAGES:
        raise InputError(
            f"unknown language {language!r}", hint=f"use one of: {', '.join(LANGUAGES)}"
        )
    if not summary.strip() and not transcript.strip():
        raise InputError("a testimony needs a summary or a transcript")
    return TestimonyVersion(
        1,
        parse_uncertain_date(interview_date),
        language,
        summary,
        transcript,
        place,
        interviewer,
        attachments,
        sensitive=sensitive,
    )


def _seal_transcript(s: Session, testimony_id: int, version: int, text: str) -> None:
    """Seal a sensitive transcript under its own data key, bound to its version row."""
    if text:
        _seal_row(s, store.version_row_id(s.conn, testimony_id, version), text)


def _seal_row(s: Session, row_id: int, text: str) -> None:
    sealed = s.identity_vault.seal(store.VERSIONS_TABLE, row_id, {"transcript": text})
    token = sealed.fields["transcript"]
    assert token is not None
    store.store_sealed_transcript(s.conn, row_id, sealed.data_key, token)


def _seal_history(s: Session, testimony: Testimony) -> None:
    """Seal every plain-text version of a testimony in place (audited, no text in the audit)."""
    sealed = 0
    for row_id, text in store.open_versions(s.conn, testimony.id):
        if text:
            _seal_row(s, row_id, text)
            sealed += 1
        store.mark_sealed(s.conn, row_id)
    s.audit("testimony.seal", f"testimony:{testimony.code}", versions_sealed=sealed)


def _open_transcript(
    s: Session, testimony: Testimony, content: TestimonyVersion
) -> TestimonyVersion:
    """A version with its sealed transcript opened (audited); unchanged when not sensitive."""
    if not content.sensitive:
        return content
    row_id = store.version_row_id(s.conn, testimony.id, content.version)
    stored = store.sealed_transcript(s.conn, row_id)
    if stored is None:  # no transcript, or its key was destroyed with its source
        return content
    opened = s.identity_vault.open(
        store.VERSIONS_TABLE, row_id, stored[0], {"transcript": stored[1]}
    )
    s.audit("testimony.transcript.read", f"testimony:{testimony.code}", version=content.version)
    return dataclasses.replace(content, transcript=opened["transcript"] or "")


def add_testimony(
    s: Session,
    source: str | int,
    *,
    interview_date: str = "",
    language: str = "ar",
    summary: str = "",
    transcript: str = "",
    place: str = "",
    interviewer: str = "",
    attachments: tuple[str, ...] = (),
    sensitive: bool = True,
) -> Testimony:
    """Record an interview with a source; its transcript is sealed at rest by default.

    A transcript holds the details that identify a witness indirectly (dates, places, jobs),
    so it is sealed unless the caller says it is not sensitive; the summary is never sealed.
    """
    src = source_store.get_source(s.conn, source)
    s.require(Permission.WRITE_CASE, src.case_id, f"source:{src.code}")
    content = _content(
        interview_date, language, summary, transcript, place, interviewer, attachments, sensitive
    )
    testimony = store.add_testimony(s.conn, src.case_id, src.id, content, s.actor.username)
    if sensitive:
        _seal_transcript(s, testimony.id, 1, transcript)
    s.audit("testimony.create", f"testimony:{testimony.code}", source=src.code)
    return testimony


def edit_testimony(
    s: Session,
    testimony: str | int,
    *,
    reason: str,
    summary: str | None = None,
    transcript: str | None = None,
    interview_date: str | None = None,
    language: str | None = None,
    place: str | None = None,
    interviewer: str | None = None,
    sensitive: bool | None = None,
) -> Testimony:
    """Edit a testimony: a new version is added and every earlier one stays readable.

    ``sensitive=True`` on a testimony kept in plain text seals it: the new version and every
    earlier one (a transcript found to identify the witness must not stay readable in an old
    version). A sealed transcript is never unsealed by an edit: that would put an identifying
    text back into the database in plain text.
    """
    current = store.get_testimony(s.conn, testimony)
    s.require(Permission.WRITE_CASE, current.case_id, f"testimony:{current.code}")
    if not reason.strip():
        raise InputError(
            "say why the testimony is edited", hint='--reason "corrected date after follow-up"'
        )
    c = current.current
    if sensitive is False and c.sensitive:
        raise InputError(
            f"testimony {current.code} is sealed; an edit cannot unseal its transcript",
            hint="a sealed transcript stays sealed; record a new testimony if a public text is needed",
        )
    sealing = bool(sensitive) and not c.sensitive
    if transcript is None and c.sensitive:  # carry the sealed text over into the new version
        c = _open_transcript(s, current, c)
    content = _content(
        interview_date if interview_date is not None else c.interview_date.text,
        language or c.language,
        summary if summary is not None else c.summary,
        transcript if transcript is not None else c.transcript,
        place if place is not None else c.place,
        interviewer if interviewer is not None else c.interviewer,
        c.attachments,
        c.sensitive or sealing,
    )
    if sealing:
        _seal_history(s, current)
    edited = store.edit_testimony(s.conn, current.id, content, s.actor.username, reason)
    if content.sensitive:
        _seal_transcript(s, edited.id, edited.current.version, content.transcript)
    s.audit("testimony.edit", f"testimony:{edited.code}", version=edited.current.version)
    return edited


def get_testimony(s: Session, testimony: str | int) -> Testimony:
    """A testimony with its current text (needs the right to read testimonies)."""
    found = store.get_testimony(s.conn, testimony)
    s.require(Permission.READ_TESTIMONY, found.case_id, f"testimony:{found.code}")
    return dataclasses.replace(found, current=_open_transcript(s, found, found.current))


def testimony_versions(s: Session, testimony: str | int) -> list[TestimonyVersion]:
    """Every version of a testimony, oldest first (sealed transcripts opened, audited)."""
    found = store.get_testimony(s.conn, testimony)
    s.require(Permission.READ_TESTIMONY, found.case_id, f"testimony:{found.code}")
    return [_open_transcript(s, found, v) for v in store.versions(s.conn, found.id)]


def list_testimonies(s: Session, case_id: int) -> list[Testimony]:
    """A case's testimonies."""
    s.require(Permission.READ_TESTIMONY, case_id)
    return store.list_testimonies(s.conn, case_id)


def withdraw_testimony(s: Session, testimony: str | int, reason: str) -> Testimony:
    """Withdraw a testimony: kept and versioned, but no longer counted or exported."""
    found = store.get_testimony(s.conn, testimony)
    s.require(Permission.WRITE_CASE, found.case_id, f"testimony:{found.code}")
    store.set_withdrawn(s.conn, found.id, datetime.now(UTC))
    s.audit("testimony.withdraw", f"testimony:{found.code}", reason=reason)
    return store.get_testimony(s.conn, found.id)


def give_consent(
    s: Session, source: str | int, scope: str, given_on: date | None = None, note: str = ""
) -> Consent:
    """Record a source's consent to one use."""
    src = source_store.get_source(s.conn, source)
    s.require(Permission.WRITE_CASE, src.case_id, f"source:{src.code}")
    consent = store.add_consent(
        s.conn, src.id, CONSENT_SCOPES.get(scope).code, given_on or date.today(), note
    )
    s.audit("consent.give", f"source:{src.code}", scope=consent.scope)
    return consent


def withdraw_consent(s: Session, source: str | int, scope: str, on: date | None = None) -> int:
    """Withdraw a source's consent to a scope."""
    src = source_store.get_source(s.conn, source)
    s.require(Permission.WRITE_CASE, src.case_id, f"source:{src.code}")
    count = store.withdraw_consent(
        s.conn, src.id, CONSENT_SCOPES.get(scope).code, on or date.today()
    )
    s.audit("consent.withdraw", f"source:{src.code}", scope=scope, count=count)
    return count


def list_consents(s: Session, source: str | int) -> list[Consent]:
    """A source's consents."""
    src = source_store.get_source(s.conn, source)
    s.require(Permission.READ_CASE, src.case_id, f"source:{src.code}")
    return store.list_consents(s.conn, src.id)
