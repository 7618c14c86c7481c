"""Commands: import-list (with preview and mapping files), lists list/show/records."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from sijill.cli.common import JSON_OPTION, console, err_console, print_json, print_table, session
from sijill.domain.lists import ListRecord
from sijill.services import lists as service

_PREVIEW_FIELDS = ("given", "father", "grandfather", "family", "sex", "birth", "death")


def _dates(record: ListRecord) -> tuple[str, str]:
    def show(d: Any) -> str:
        return "" if d.earliest is None and d.latest is None else f"{d.earliest}…{d.latest}"

    return show(record.birth), show(record.death)


def _record_row(record: ListRecord) -> list[Any]:
    birth, death = _dates(record)
    return [
        record.row_number,
        record.record_id,
        record.given,
        record.father,
        record.grandfather,
        record.family,
        record.sex,
        birth,
        death,
        record.governorate_pcode or "",
    ]


_RECORD_COLUMNS = [
    "row",
    "record id",
    "given",
    "father",
    "grandfather",
    "family",
    "sex",
    "born",
    "died",
    "gov.",
]


def _report_json(report: service.ImportReport) -> dict[str, Any]:
    return {
        "list": report.list_name,
        "imported": report.victim_list is not None,
        "replaced": report.replaced,
        "name_taken": report.name_taken,
        "changes": report.changes,
        "rows": report.rows,
        "file": {
            "name": report.file_name,
            "sha256": report.sha256,
            "size": report.size,
            "format": report.file_format,
            "encoding": report.encoding,
            **report.details,
        },
        "headers": report.headers,
        "mapping": report.mapping.to_json(),
        "id_column": report.id_column,
        "garbled": report.garbled,
        "warnings": [
            {"column": n.column, "message": n.message, "count": n.count, "first_row": n.first_row}
            for n in report.notices
        ],
        "preview": [
            {
                "row": p.row_number,
                "raw": p.raw,
                "record": p.record,
                "errors": [str(e) for e in p.errors],
            }
            for p in report.preview
        ],
        "victim_list": report.victim_list,
    }


def _print_report(report: service.ImportReport, *, preview: bool) -> None:
    facts = ", ".join(f"{k} {v}" for k, v in report.details.items())
    console.print(
        f"{report.file_name}: {report.file_format.upper()}"
        + (f", {report.encoding}" if report.encoding else "")
        + (f" ({facts})" if facts else "")
        + f", SHA-256 {report.sha256[:16]}…"
    )
    mapped = set(report.mapping.fields.values())
    rows = [[f, c] for f, c in report.mapping.fields.items()]
    rows += [["(kept in raw only)", h] for h in report.headers if h not in mapped]
    print_table("Column mapping", ["field", "column"], rows)
    if report.id_column is None:
        console.print("Record ids: row numbers (1 = first row under the header).")
    if preview:
        table_rows = []
        for p in report.preview:
            if p.record is not None:
                table_rows.append(_record_row(p.record))
            else:
                table_rows.append([p.row_number, "ERROR", "; ".join(str(e) for e in p.errors)])
        print_table(f"First {len(report.preview)} rows", _RECORD_COLUMNS, table_rows)
    if report.garbled:
        err_console.print(f"[yellow]Warning:[/] {report.garbled}", markup=True, highlight=False)
    for notice in report.notices:
        err_console.print(f"[yellow]Warning:[/] {notice}", markup=True, highlight=False)
    if report.victim_list is not None:
        if report.replaced:
            c = report.changes
            console.print(
                f"Replaced list {report.list_name!r}: {report.rows} records ({c['updated']} "
                f"updated in place, {c['added']} added, {c['removed']} removed)."
            )
        else:
            console.print(f"Imported list {report.list_name!r}: {report.rows} records.")
    else:
        console.print("Preview only: nothing was imported.")
        if report.name_taken:
            console.print(
                f"A list named {report.list_name!r} exists: importing will need --replace."
            )


@contextmanager
def _progress(path: Path) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress line on a terminal for big files (none when piped or small)."""
    big = path.is_file() and path.stat().st_size > 2 * 2**20
    if not (big and err_console.is_terminal):
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("checking and importing rows: {task.completed:,}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=None)
        yield lambda row: bar.update(task, completed=row)


def register(app: typer.Typer) -> None:
    """Add `import-list` and the `lists` commands."""
    lists = typer.Typer(help="Imported victim lists and their records.", no_args_is_help=True)
    app.add_typer(lists, name="lists")

    @app.command("import-list")
    def import_list(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="CSV/TSV (any delimiter), XLSX, JSON or JSONL."),
        list_name: str = typer.Option(..., "--list", help="Name of the list in Sijill."),
        id_column: str | None = typer.Option(
            None,
            "--id-column",
            help="Column of record ids (default: a recognised id column, else row numbers).",
        ),
        mapping: Path | None = typer.Option(
            None, "--mapping", help="Column mapping file (JSON) overriding the guessed mapping."
        ),
        save_mapping: Path | None = typer.Option(
            None, "--save-mapping", help="Write the mapping used to this file (reusable)."
        ),
        encoding: str | None = typer.Option(
            None, "--encoding", help="utf-8, utf-8-sig, utf-16, windows-1256, iso-8859-6."
        ),
        sheet: str | None = typer.Option(None, "--sheet", help="XLSX worksheet (default: first)."),
        preview: bool = typer.Option(
            False, "--preview", help="Show the mapping and first rows; import nothing."
        ),
        replace: bool = typer.Option(
            False, "--replace", help="Replace the records of an existing list of this name."
        ),
        organisation: str = typer.Option("", "--organisation", help="Who compiled the list."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Import a victim list whole, or reject it whole with the problems by row and column.

        Row numbers count data rows: row 1 is the first row under the header. Impossible
        values (31/02/2013, an age of 240, duplicate ids) reject the file; unfamiliar labels
        (sex codes, governorate or place spellings) are kept verbatim and reported as warnings.
        Cells are stored exactly as read; formula-like cells are flagged and neutralised on export.
        """
        with session(ctx) as s, _progress(file) as progress:
            report = service.import_list(
                s,
                file,
                list_name,
                id_column=id_column,
                mapping=mapping,
                encoding=encoding,
                replace=replace,
                preview=preview,
                sheet=sheet,
                organisation=organisation,
                progress=progress,
            )
        if save_mapping is not None:
            report.mapping.save(save_mapping)
        if as_json:
            print_json(_report_json(report))
        else:
            _print_report(report, preview=preview)
            if save_mapping is not None:
                console.print(f"Mapping written to {save_mapping}.")

    @lists.command("list")
    def list_lists(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
        """List imported lists with their provenance."""
        with session(ctx) as s:
            found = service.list_lists(s)
        if as_json:
            print_json(found)
            return
        print_table(
            "Lists",
            ["name", "records", "organisation", "file", "SHA-256", "imported"],
            [
                [
                    v.name,
                    v.row_count,
                    v.organisation,
                    v.file_name,
                    v.file_sha256[:12] + "…",
                    v.imported_at.strftime("%Y-%m-%d %H:%M") if v.imported_at else "",
                ]
                for v in found
            ],
        )

    @lists.command("show")
    def show_list(ctx: typer.Context, name: str, as_json: bool = JSON_OPTION) -> None:
        """Show one list's provenance and column mapping."""
        with session(ctx) as s:
            found = service.get_list(s, name)
        if as_json:
            print_json(found)
            return
        console.print(
            f"List {found.name!r}: {found.row_count} records from {found.file_name} "
            f"({found.encoding}), SHA-256 {found.file_sha256}, imported {found.imported_at}"
            + (f", organisation {found.organisation}" if found.organisation else "")
        )
        console.print(f"Record ids: {found.id_column or 'row numbers'}")
        print_table(
            "Column mapping", ["field", "column"], [[f, c] for f, c in found.mapping.items()]
        )

    @lists.command("records")
    def list_records(
        ctx: typer.Context,
        name: str,
        limit: int = typer.Option(50, "--limit", help="How many records (0: all)."),
        offset: int = typer.Option(0, "--offset", help="Skip this many records first."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Show a list's records: parsed fields (and, with --json, the raw row)."""
        with session(ctx) as s:
            found = service.list_records(s, name, limit=limit or None, offset=offset)
        if as_json:
            print_json(found)
            return
        print_table(f"List {name}", _RECORD_COLUMNS, [_record_row(r) for r in found])
