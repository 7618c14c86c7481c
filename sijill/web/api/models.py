"""Request bodies of the JSON API (bounded strings, no NUL characters)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    return value


_Clean = AfterValidator(_no_nul)
Code = Annotated[str, Field(min_length=1, max_length=64), _Clean]
Grade = Annotated[str, Field(max_length=1), _Clean]
Tiny = Annotated[str, Field(max_length=100), _Clean]
Line = Annotated[str, Field(max_length=300), _Clean]
Required = Annotated[str, Field(min_length=1, max_length=300), _Clean]
Reason = Annotated[str, Field(min_length=1, max_length=2000), _Clean]
Note = Annotated[str, Field(max_length=20_000), _Clean]
Long = Annotated[str, Field(max_length=200_000), _Clean]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseIn(_Body):
    """A new case."""

    code: Code
    title: Required
    description: Note = ""


class IdentityIn(_Body):
    """A source's protected identity (sealed by the vault; cleared users only)."""

    name_ar: Line = ""
    name_latin: Line = ""
    phone: Tiny = ""
    email: Line = ""
    notes: Note = ""


class SourceIn(_Body):
    """A new source."""

    kind: Code
    description: Note = ""
    reliability: Grade = ""
    identity: IdentityIn | None = None


class TestimonyIn(_Body):
    """A new testimony."""

    source: Code
    interview_date: Tiny = ""
    language: Tiny = "ar"
    summary: Long = ""
    transcript: Long = ""
    place: Line = ""
    interviewer: Line = ""
    sensitive: bool = True  # seal the transcript at rest (it can identify the witness)


class TestimonyEdit(_Body):
    """An edit of a testimony (a new version); fields left out stay as they are."""

    reason: Reason
    summary: Long | None = None
    transcript: Long | None = None
    interview_date: Tiny | None = None
    language: Tiny | None = None
    place: Line | None = None
    interviewer: Line | None = None
    sensitive: bool | None = None  # True seals a plain-text testimony, earlier versions too


class EventIn(_Body):
    """A new event."""

    violation_type: Code
    title: Required
    date: Tiny = ""
    place: Line = ""
    count: Tiny = ""
    description: Note = ""


class CustodyIn(_Body):
    """A custody step on an evidence item."""

    action: Tiny
    reason: Reason
