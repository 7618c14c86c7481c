"""Take the screenshots in docs/screenshots/ (main pages, English and Arabic) of the demo case.

Run: .venv/bin/python -m tests.browser.screenshots [OUT_DIR]
Builds the synthetic demo workspace in a temporary folder, serves it on loopback, and drives
Debian's Chromium. Everything shown is synthetic.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from sijill.demo import DEMO_PASSPHRASE, build_demo
from sijill.services import web_auth
from sijill.services.session import open_session
from sijill.web import create_app
from sijill.workspace import open_workspace
from tests.browser.seed import LIST_FILE
from tests.browser.server import browser, serve
from tests.browser.webhelp import FAST_POLICY, PASSWORD
from tests.conftest import TEST_KDF

#: The demo parts the pages show (reports are not part of the web app).
DEMO_PARTS = {"case", "lists", "linkage", "corroboration"}
OUT = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def _sign_in(page: Any, url: str, secret: str) -> None:
    import pyotp

    page.goto(f"{url}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("button.primary")
    page.wait_for_url(f"{url}/cases")


def _shoot(page: Any, out: Path, name: str, *, full: bool = False) -> None:
    page.screenshot(path=str(out / f"{name}.png"), full_page=full)
    print(out / f"{name}.png")


def take(out: Path) -> None:
    """Build the demo, serve it and save one PNG per page and language in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="sijill-shots-")) / "demo"
    builder = build_demo(folder, DEMO_PASSPHRASE, kdf=TEST_KDF, only=DEMO_PARTS)
    case = builder.case_code
    workspace = open_workspace(folder)
    key = workspace.unlock(DEMO_PASSPHRASE)
    with open_session(workspace, "admin", key=key) as s:
        web_auth.set_password(s, "admin", PASSWORD, FAST_POLICY)
        secret = web_auth.enrol_totp(s, "admin").secret
    with serve(create_app(workspace, key, policy=FAST_POLICY)) as url, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 860})
        _shoot(page, out, "login") if page.goto(f"{url}/login") else None
        _sign_in(page, url, secret)
        sources = page.context.request.get(f"{url}/api/cases/{case}/sources").json()
        testimonies = page.context.request.get(f"{url}/api/cases/{case}/testimonies").json()
        for lang in ("en", "ar"):
            page.goto(f"{url}/account")
            page.select_option("select[name=language]", lang)
            page.click("form[action='/account/language'].row button")
            shots = {
                "cases": "/cases",
                "case": f"/cases/{case}",
                "sources": f"/cases/{case}/sources",
                "testimony": f"/cases/{case}/testimonies/{testimonies[0]['code']}",
                "events": f"/cases/{case}/events",
                "evidence": f"/cases/{case}/evidence",
                "corroboration": f"/cases/{case}/corroboration",
                "lists": "/lists",
                "review": "/review",
                "audit": "/audit",
            }
            for name, path in shots.items():
                page.goto(f"{url}{path}")
                _shoot(page, out, f"{name}-{lang}")
            page.goto(f"{url}/cases/{case}/sources/{sources[0]['code']}")
            page.click("section.identity button")
            _shoot(page, out, f"source-identity-{lang}")
            page.goto(f"{url}/lists/import")
            page.set_input_files("input[name=file]", str(LIST_FILE))
            page.fill("input[name=list_name]", "preview")
            page.click("form button.primary")
            _shoot(page, out, f"list-import-preview-{lang}")
            page.goto(f"{url}/estimates")
            page.select_option("select[name=method]", "loglinear")
            page.click("form button.primary")
            page.wait_for_selector("img.plot")
            _shoot(page, out, f"estimate-{lang}", full=True)
    workspace.close()


if __name__ == "__main__":
    take(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
