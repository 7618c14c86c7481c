"""Serve the web app on a free loopback port in a background thread, and launch Chromium."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from sijill.linkage.settings import LinkageSettings
from sijill.services import linkage, lists
from sijill.services.session import open_session
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace
from tests.browser.seed import LIST_FILE

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """Debian's Chromium, if installed (Playwright's own download does not work here)."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    return found


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run `app` with uvicorn on 127.0.0.1 in a thread; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    assert path, "chromium is not installed"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def add_linked_lists(workspace: Workspace, key: WorkspaceKey) -> None:
    """Two more lists and a linkage run with a wide review band (pairs to review)."""
    folder = LIST_FILE.parent
    with open_session(workspace, "admin", key=key) as s:
        lists.import_list(s, folder / "victims_en.tsv", "B")
        lists.import_list(s, folder / "victims.jsonl", "C")
    with open_session(workspace, "admin", key=key) as s:
        linkage.link_lists(s, LinkageSettings(review_low=0.0, review_high=1.0, pair_floor=0.0))
