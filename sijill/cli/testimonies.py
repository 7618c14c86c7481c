"""Commands: testimonies add/edit/list/show/versions/withdraw."""

from __future__ import annotations

from pathlib import Path

import typer

from sijill.cli.common import CASE_OPTION, JSON_OPTION, console, print_json, print_table, session
from sijill.errors import InputError
from sijill.services import cases as case_service
from sijill.services import sources as source_service
from sijill.services import testimonies as service


def _text(value: str, file: Path | None) -> str:
    if file is None:
        return value
    try:
        return file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {file}: {exc}", hint="give a UTF-8 text file") from None


def register(app: typer.Typer) -> None:
    """Add the `testimonies` commands."""
    group = typer.Typer(
        help="Interviews and testimonies (every edit keeps the old version).", no_args_is_help=True
    )
    app.add_typer(group, name="testimonies")

    @group.command("add")
    def add(
        ctx: typer.Context,
        source: str = typer.Option(..., "--source", help="Source code, e.g. W-001."),
        date: str = typer.Option("", "--date", help="Interview date (any precision)."),
        language: str = typer.Option("ar", "--language", help="ar, en, ku, fr, tr, other."),
        summary: str = typer.Option("", "--summary"),
        transcript: str = typer.Option("", "--transcript"),
        transcript_file: Path | None = typer.Option(
            None, "--transcript-file", help="Read the transcript from a UTF-8 file."
        ),
        place: str = typer.Option(
            "", "--place", help="General place (the exact place is identity)."
        ),
        interviewer: str = typer.Option("", "--interviewer"),
        sensitive: bool = typer.Option(
            True,
            "--sensitive/--not-sensitive",
            help="Seal the transcript at rest (the default: it can identify the witness); "
            "--not-sensitive keeps it readable in the database.",
        ),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Record a testimony given by a source."""
        with session(ctx) as s:
            t = service.add_testimony(
                s,
                source,
                interview_date=date,
                language=language,
                summary=summary,
                transcript=_text(transcript, transcript_file),
                place=place,
                interviewer=interviewer,
                sensitive=sensitive,
            )
        print_json(t) if as_json else console.print(f"Testimony {t.code} recorded (version 1).")

    @group.command("edit")
    def edit(
        ctx: typer.Context,
        code: str,
        reason: str = typer.Option(
            ..., "--reason", help="Why it is edited (kept with the version)."
        ),
        summary: str | None = typer.Option(None, "--summary"),
        transcript: str | None = typer.Option(None, "--transcript"),
        date: str | None = typer.Option(None, "--date"),
        sensitive: bool | None = typer.Option(
            None,
            "--sensitive/--not-sensitive",
            help="--sensitive seals a plain-text testimony, every earlier version included; "
            "a sealed transcript is never unsealed.",
        ),
    ) -> None:
        """Edit a testimony: adds a version; the old one stays readable."""
        with session(ctx) as s:
            t = service.edit_testimony(
                s,
                code,
                reason=reason,
                summary=summary,
                transcript=transcript,
                interview_date=date,
                sensitive=sensitive,
            )
        console.print(f"Testimony {t.code} is now at version {t.current.version}.")

    @group.command("list")
    def list_(
        ctx: typer.Context, case: str | None = CASE_OPTION, as_json: bool = JSON_OPTION
    ) -> None:
        """List a case's testimonies."""
        with session(ctx) as s:
            found = service.list_testimonies(s, case_service.resolve_case(s, case).id)

            codes = source_service.source_codes(s, {t.source_id for t in found})
        if as_json:
            print_json([{**_summary(t), "source": codes[t.source_id]} for t in found])
        else:
            print_table(
                "Testimonies",
                ["code", "source", "date", "lang", "version", "withdrawn", "summary"],
                [
                    [
                        t.code,
                        codes[t.source_id],
                        t.current.interview_date,
                        t.current.language,
                        t.current.version,
                        "yes" if t.withdrawn_at else "",
                        t.current.summary[:60],
                    ]
                    for t in found
                ],
            )

    @group.command("show")
    def show(
        ctx: typer.Context,
        code: str,
        version: int | None = typer.Option(None, "--version"),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Show a testimony (current version, or --version N)."""
        with session(ctx) as s:
            t = service.get_testimony(s, code)
            versions = service.testimony_versions(s, code)
        chosen = (
            t.current
            if version is None
            else next((v for v in versions if v.version == version), None)
        )
        if chosen is None:
            raise InputError(f"{code} has no version {version}", hint=f"versions 1–{len(versions)}")
        print_json(
            {"code": t.code, "versions": len(versions), "content": chosen}
        ) if as_json else console.print(chosen)

    @group.command("withdraw")
    def withdraw(
        ctx: typer.Context, code: str, reason: str = typer.Option(..., "--reason")
    ) -> None:
        """Withdraw a testimony (kept, but no longer counted or exported)."""
        with session(ctx) as s:
            service.withdraw_testimony(s, code, reason)
        console.print(f"Testimony {code} withdrawn.")


def _summary(t: object) -> dict[str, object]:
    from sijill.domain.testimonies import Testimony

    assert isinstance(t, Testimony)
    return {
        "code": t.code,
        "date": str(t.current.interview_date),
        "language": t.current.language,
        "version": t.current.version,
        "withdrawn": t.withdrawn_at is not None,
        "summary": t.current.summary,
    }
