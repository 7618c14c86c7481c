"""Commands: link, review (interactive, list, decide), link-report, link-eval, people export."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from sijill.cli.common import JSON_OPTION, console, print_json, print_table, session

_FIELDS = (
    ("list", "List"),
    ("record_id", "Record"),
    ("given", "Given"),
    ("father", "Father"),
    ("grandfather", "Grandfather"),
    ("family", "Family"),
    ("mother", "Mother"),
    ("full_name", "Full name"),
    ("sex", "Sex"),
    ("birth_earliest", "Born from"),
    ("birth_latest", "Born by"),
    ("death_earliest", "Died from"),
    ("death_latest", "Died by"),
    ("governorate_pcode", "Governorate"),
    ("place_text", "Place"),
)


def _show_pair(item: Any) -> None:
    from rich.table import Table

    table = Table(
        title=f"Pair {item.pair_id}: match probability {item.match_probability:.3f} "
        f"(weight {item.match_weight:.1f})"
        + (f" — marked {item.current_decision}" if item.current_decision else "")
    )
    table.add_column("")
    table.add_column(f"record {item.record_a['id']}")
    table.add_column(f"record {item.record_b['id']}")
    for key, label in _FIELDS:
        a, b = str(item.record_a.get(key, "")), str(item.record_b.get(key, ""))
        if not a and not b:
            continue
        style = "" if a == b else "bold yellow"
        table.add_row(label, a, b, style=style)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `link`, `review`, `link-report` and `link-eval`."""

    @app.command("link")
    def link(
        ctx: typer.Context,
        settings_file: Path | None = typer.Option(
            None, "--settings", help="Linkage settings JSON (defaults otherwise)."
        ),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Deduplicate and link every imported list into unique people (Splink + DuckDB)."""
        from sijill.linkage.settings import LinkageSettings
        from sijill.services import linkage as service

        settings = LinkageSettings.from_file(settings_file) if settings_file else None
        with session(ctx) as s:
            summary = service.link_lists(s, settings)
        if as_json:
            print_json(summary)
            return
        console.print(
            f"Run {summary.run_id}: {summary.records} records → {summary.people} people "
            f"({summary.pairs_scored} pairs scored, {summary.pairs_in_review} to review, "
            f"{summary.conflicts} conflicts) in {summary.seconds:.1f} s"
        )

    review = typer.Typer(
        help="Review uncertain pairs: accept (one person), reject (never merge) or unsure. "
        "Rejected pairs never merge again, not even through a chain of other records: the "
        "weakest links of such a chain are dropped and the group is reported as a conflict.",
        invoke_without_command=True,
    )
    app.add_typer(review, name="review")

    @review.callback()
    def review_interactive(
        ctx: typer.Context,
        run: int | None = typer.Option(None, "--run", help="Run id (default: the latest)."),
        limit: int = typer.Option(20, "--limit", help="Pairs to go through."),
    ) -> None:
        """Go through the queue side by side: a(ccept), r(eject), u(nsure), s(kip), q(uit)."""
        if ctx.invoked_subcommand is not None:
            return
        from sijill.services import linkage as service

        with session(ctx) as s:
            queue = service.review_queue(s, run, limit)
        if not queue:
            console.print("Nothing to review.")
            return
        choices = {"a": "accept", "r": "reject", "u": "unsure"}
        for item in queue:
            _show_pair(item)
            answer = typer.prompt("a/r/u/s/q", default="s").strip().lower()[:1]
            if answer == "q":
                break
            if answer not in choices:
                continue
            reason = typer.prompt("Reason")
            with session(ctx) as s:
                outcome = service.decide(s, item.pair_id, choices[answer], reason)
            console.print(
                f"{choices[answer]}: records {outcome['records'][0]} and "
                f"{outcome['records'][1]} are "
                + ("one person" if outcome["same_person"] else "different people")
            )

    @review.command("list")
    def review_list(
        ctx: typer.Context,
        run: int | None = typer.Option(None, "--run", help="Run id (default: the latest)."),
        limit: int = typer.Option(50, "--limit", help="At most this many pairs."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """List the pairs waiting for review, nearest the threshold first."""
        from sijill.services import linkage as service

        with session(ctx) as s:
            queue = service.review_queue(s, run, limit)
        if as_json:
            print_json(queue)
            return
        print_table(
            "Pairs to review",
            ["Pair", "p", "A", "B", "Marked"],
            [
                [
                    q.pair_id,
                    f"{q.match_probability:.3f}",
                    f"{q.record_a['list']}/{q.record_a['record_id']}",
                    f"{q.record_b['list']}/{q.record_b['record_id']}",
                    q.current_decision or "",
                ]
                for q in queue
            ],
        )

    @review.command("decide")
    def review_decide(
        ctx: typer.Context,
        pair: str = typer.Argument(..., help="Pair number, or two record ids as A:B."),
        accept: bool = typer.Option(False, "--accept", help="The two records are one person."),
        reject: bool = typer.Option(False, "--reject", help="They are two people."),
        unsure: bool = typer.Option(False, "--unsure", help="Cannot tell yet."),
        reason: str = typer.Option(..., "--reason", help="Why (kept in the pair's history)."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Record a decision on a pair; a new decision supersedes the old (history kept)."""
        from sijill.errors import InputError
        from sijill.services import linkage as service

        picked = [
            name for name, on in (("accept", accept), ("reject", reject), ("unsure", unsure)) if on
        ]
        if len(picked) != 1:
            raise InputError("give exactly one of --accept, --reject, --unsure")
        with session(ctx) as s:
            outcome = service.decide(s, pair, picked[0], reason)
        if as_json:
            print_json(outcome)
            return
        a, b = outcome["records"]
        state = outcome["same_person"]
        console.print(
            f"{picked[0]}: records {a} and {b}"
            + ("" if state is None else (" are one person" if state else " are different people"))
        )

    @app.command("link-report")
    def link_report(
        ctx: typer.Context,
        run: int | None = typer.Option(None, "--run", help="Run id (default: the latest)."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Linkage quality: match weights, cluster sizes, pairs near the threshold."""
        from sijill.services import linkage as service

        with session(ctx) as s:
            report = service.quality_report(s, run)
        if as_json:
            print_json(report)
            return
        pairs = report["pairs"]
        console.print(
            f"Run {report['run_id']}: {report['records']} records, {report['people']} people, "
            f"largest {report['largest_cluster']} records; pairs scored {pairs['scored']}, "
            f"above threshold {pairs['above_threshold']}, in review band "
            f"{pairs['in_review_band']}, near threshold {pairs['near_threshold']}; "
            f"{len(report['conflicts'])} conflicts; {report['decisions']} decisions"
        )
        print_table(
            "People per cluster size",
            ["Records", "People"],
            [[k, v] for k, v in report["cluster_sizes"].items()],
        )
        untrained = report.get("untrained_levels", [])
        if untrained:
            console.print(
                f"{len(untrained)} comparison levels were never observed in training and score "
                "with Splink's default m: "
                + "; ".join(f"{u['comparison']}: {u['level']}" for u in untrained[:8])
                + (" …" if len(untrained) > 8 else ""),
                highlight=False,
                markup=False,
            )

    @app.command("link-eval")
    def link_eval(
        ctx: typer.Context,
        truth: Path = typer.Option(..., "--truth", help="CSV with list, record_id, person_id."),
        run: int | None = typer.Option(None, "--run", help="Run id (default: the latest)."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Pairwise and B-cubed precision, recall and F1 against a truth file."""
        from sijill.services import linkage as service

        with session(ctx) as s:
            figures = service.evaluate(s, truth, run)
        if as_json:
            print_json(figures)
            return
        print_table(
            f"Run {figures['run_id']} against {os.path.basename(truth)}",
            ["Measure", "Precision", "Recall", "F1"],
            [
                [
                    kind,
                    figures[f"{kind}_precision"],
                    figures[f"{kind}_recall"],
                    figures[f"{kind}_f1"],
                ]
                for kind in ("pairwise", "bcubed")
            ],
        )


def register_people_export(people: typer.Typer) -> None:
    """Add `people export` to the existing `people` group (defined with events)."""

    @people.command("export")
    def export(
        ctx: typer.Context,
        out: Path = typer.Option(..., "--out", help="CSV file to write."),
        run: int | None = typer.Option(None, "--run", help="Run id (default: the latest)."),
    ) -> None:
        """Write one row per list record: list, record_id, person_id (from the latest linkage)."""
        from sijill.services import linkage as service

        with session(ctx) as s:
            rows = service.export_people(s, out, run)
        console.print(f"Wrote {rows} rows to {out}")
