"""Page: estimate the total from the latest linkage (or an uploaded table), with its plot."""

from __future__ import annotations

import base64
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse, Response

from sijill.services import estimates, linkage
from sijill.services.access import Permission
from sijill.web.deps import CtxDep
from sijill.web.uploads import discard_upload, save_upload

router = APIRouter(include_in_schema=False)


def plot_png(result: object) -> str:
    """The estimate's plot as a PNG data URI (rendered server-side with matplotlib)."""
    from sijill.reports.plots import plot_estimate

    folder = Path(tempfile.mkdtemp(prefix="sijill-plot-"))
    try:
        # Matplotlib does not shape Arabic text, so the plot keeps English labels.
        path = plot_estimate(result, folder / "estimate.png", lang="en")
        return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@router.get("/estimates", name="ui.estimates:form", response_class=HTMLResponse)
def estimate_form(ctx: CtxDep) -> Response:
    """Choose the data (latest linkage or a table) and the method."""
    with ctx.session() as s:
        s.require(Permission.WORK_LISTS)
    return ctx.render(
        "estimates/form.html",
        methods=estimates.methods(),
        default=estimates.default_method(),
        result=None,
        quality=None,
    )


@router.post("/estimates", name="ui.estimates:run", response_class=HTMLResponse)
async def run_estimate(
    ctx: CtxDep,
    method: Annotated[str, Form(max_length=64)],
    seed: Annotated[int, Form(ge=0, le=2**31)] = 0,
    level: Annotated[float, Form(gt=0.5, lt=1.0)] = 0.95,
    table: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Estimate with the chosen method; shows the figure, its interval, settings and plot."""
    with ctx.session() as s:
        s.require(Permission.WORK_LISTS)
    if table is not None and table.filename:
        folder = ctx.state.uploads()
        token, path = await save_upload(table, folder)
        try:
            data = estimates.read_table(path)
            source = path.name
        finally:
            discard_upload(folder, token)
        quality = None
    else:
        with ctx.session() as s:
            data = linkage.capture_history_table(s)
            # Linkage errors move estimates: its quality is shown beside the figure.
            quality = linkage.quality_report(s)
        source = f"linkage run {quality['run_id']}"
    result = estimates.estimate_table(data, method, seed, level)
    return ctx.render(
        "estimates/form.html",
        methods=estimates.methods(),
        default=method,
        result=result,
        source=source,
        plot=plot_png(result),
        summary=result.summary(),
        quality=quality,
    )
