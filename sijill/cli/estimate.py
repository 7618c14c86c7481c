"""Commands: estimate (multiple systems estimation) and estimate-testimony (ranges from reports)."""

from __future__ import annotations

from pathlib import Path

import typer

from sijill.cli.common import JSON_OPTION, console, print_json


def register(app: typer.Typer) -> None:
    """Add the estimation commands."""

    @app.command()
    def estimate(
        ctx: typer.Context,
        table: Path | None = typer.Option(
            None,
            "--table",
            help="Capture-history CSV (0/1 per list + count); default: the workspace's linkage result.",
        ),
        method: str | None = typer.Option(
            None,
            "--method",
            help="chapman, lincoln-petersen, loglinear, loglinear-averaged, lcmcr, dga, m0, mt, mh-chao, …",
        ),
        strata: str | None = typer.Option(
            None, "--strata", help="Stratify by this column (governorate, year, sex …)."
        ),
        seed: int = typer.Option(0, "--seed"),
        level: float = typer.Option(0.95, "--level", help="Interval coverage."),
        plot: Path | None = typer.Option(
            None, "--plot", help="Write a plot of the estimate (PNG or SVG)."
        ),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Estimate how many victims no list recorded, with an interval and diagnostics."""
        from sijill.services import estimates

        if table is not None:
            data = estimates.read_table(table, strata)
        else:
            from sijill.cli.common import session

            with session(ctx) as s:
                data = estimates.linkage_tables(s, strata)
        result = estimates.estimate_table(data, method, seed, level)
        if plot is not None:
            from sijill.reports.plots import plot_estimate

            plot_estimate(result, plot)
        if as_json:
            print_json(result.to_dict())
        else:
            console.print(result.summary(), highlight=False, markup=False)

    @app.command("estimate-testimony")
    def estimate_testimony(
        start: list[str] = typer.Option(
            ..., "--start", help="When the events began (any precision; repeat per period)."
        ),
        end: list[str] = typer.Option(..., "--end", help="When they stopped (repeat per period)."),
        per_week: list[str] = typer.Option(
            ..., "--per-week", help='Events per week, e.g. 1 or "1-2" (repeat per period).'
        ),
        per_event: list[str] = typer.Option(
            ..., "--per-event", help='People per event, e.g. "20-50" (repeat per period).'
        ),
        source: str = typer.Option(
            "testimony", "--source", help="Source code the figures come from."
        ),
        seed: int = typer.Option(0, "--seed"),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Simulate a total from what witnesses reported (people per event × events per week × weeks)."""
        from sijill.errors import InputError
        from sijill.services import estimates

        if not len(start) == len(end) == len(per_week) == len(per_event):
            raise InputError("give --start, --end, --per-week and --per-event once per period")
        result = estimates.estimate_testimony(
            list(zip(start, end, per_week, per_event, strict=True)), source, seed=seed
        )
        if as_json:
            print_json(result.to_dict())
        else:
            console.print(result.summary(), highlight=False, markup=False)
