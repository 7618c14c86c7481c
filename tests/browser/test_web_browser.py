"""The web app in a real browser (Playwright + Debian's Chromium): sign in with TOTP, intake in
Arabic, evidence upload, list import, pair review with a keyboard shortcut, an estimate."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sijill.web import create_app
from sijill.workspace import init_workspace
from tests.browser.seed import LIST_FILE, seed_case
from tests.browser.server import add_linked_lists, browser, chromium_path, serve
from tests.browser.webhelp import FAST_POLICY, PASSWORD, WebUsers, make_users
from tests.conftest import TEST_KDF, TEST_PASSPHRASE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium_path() is None,
        reason="Debian's chromium is not installed (`make system-deps` installs it)",
    ),
]


@dataclass
class Live:
    url: str
    people: WebUsers
    browser: Any
    files: Path


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("web-browser")
    ws, key = init_workspace(root / "ws", passphrase=TEST_PASSPHRASE, admin="admin", kdf=TEST_KDF)
    people = make_users(ws, key)
    seed_case(ws, key, root / "files")
    add_linked_lists(ws, key)
    with serve(create_app(ws, key, policy=FAST_POLICY)) as url, browser() as chromium:
        yield Live(url, people, chromium, root / "files")
    ws.close()


def _signed_in(live: Live, username: str) -> Any:
    page = live.browser.new_page()
    page.goto(f"{live.url}/cases")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", live.people.code(username))
    page.click("button.primary")
    page.wait_for_url(f"{live.url}/cases")
    return page


def test_sign_in_with_totp_and_a_wrong_code_is_refused(live: Live) -> None:
    page = live.browser.new_page()
    page.goto(f"{live.url}/login")
    page.fill("input[name=username]", "inv")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", "000000")
    page.click("button.primary")
    assert "wrong" in page.inner_text(".flash.error")
    page.close()
    page = _signed_in(live, "inv")
    assert page.inner_text("h1") == "Cases"
    page.close()


def test_add_a_source_and_a_testimony_in_arabic(live: Live) -> None:
    page = _signed_in(live, "inv")
    page.click("form[action='/account/language'] button[name=language]")
    assert page.get_attribute("html", "dir") == "rtl"
    page.goto(f"{live.url}/cases/SAY/sources")
    page.select_option("select[name=kind]", "family")
    page.fill("input[name=name_ar]", "نور الحلبي")
    page.click("form[action='/cases/SAY/sources'] button.primary")
    code = page.inner_text("h1").strip()
    page.goto(f"{live.url}/cases/SAY/testimonies/new")
    page.select_option("select[name=source]", code)
    page.fill("input[name=interview_date]", "٢٠١٧-٠٢")
    page.fill("textarea[name=summary]", "شاهدت الإعدامات في المبنى الأحمر.")
    page.click("form button.primary")
    assert "شاهدت الإعدامات" in page.inner_text(".prose")
    # The text box is laid out right to left in Arabic.
    direction = page.eval_on_selector(".prose", "e => getComputedStyle(e).direction")
    assert direction == "rtl"
    page.click("form[action='/account/language'] button[name=language]")
    page.close()


def test_upload_evidence(live: Live) -> None:
    page = _signed_in(live, "inv")
    page.goto(f"{live.url}/cases/SAY/evidence")
    upload = live.files / "browser-upload.txt"
    upload.write_bytes(b"synthetic file uploaded through the browser")
    page.set_input_files("input[name=file]", str(upload))
    page.click("form[enctype='multipart/form-data'] button.primary")
    page.wait_for_selector("code.hash")
    assert len(page.inner_text("dl.facts code.hash").strip()) == 64
    assert "acquired" in page.inner_text("table.grid")
    page.close()


def test_import_a_list_through_the_mapping_preview(live: Live) -> None:
    page = _signed_in(live, "analyst")
    page.goto(f"{live.url}/lists/import")
    page.set_input_files("input[name=file]", str(LIST_FILE))
    page.fill("input[name=list_name]", "Browser-list")
    page.click("form button.primary")
    assert page.input_value("select[name=map_mother]") == "اسم الأم"
    page.click("form[action='/lists/import'] button.primary")
    page.wait_for_url(f"{live.url}/lists/Browser-list")
    assert "فاطمة الخطيب" in page.inner_text("table.grid")
    page.close()


def test_review_a_pair_with_the_keyboard(live: Live) -> None:
    page = _signed_in(live, "analyst")
    page.goto(f"{live.url}/review")
    first = page.get_attribute("form[data-shortcuts]", "action")
    page.fill("input[name=reason]", "different mothers and places")
    page.locator("h1").click()  # leave the text box: shortcuts do not fire while typing
    with page.expect_navigation():
        page.keyboard.press("r")
    assert page.url.endswith("/review")
    assert page.get_attribute("form[data-shortcuts]", "action") != first
    page.close()


def test_view_an_estimate_with_its_plot(live: Live) -> None:
    page = _signed_in(live, "analyst")
    page.goto(f"{live.url}/estimates")
    table = live.files / "two-lists.csv"
    table.write_text("A,B,count\n1,0,60\n0,1,40\n1,1,20\n")
    page.select_option("select[name=method]", "chapman")
    page.set_input_files("input[name=table]", str(table))
    page.click("form button.primary")
    assert page.inner_text("dl.facts strong") == "234"
    width = page.eval_on_selector("img.plot", "img => img.naturalWidth")
    assert width > 300
    page.close()


def test_no_console_errors_and_no_inline_script_violations(live: Live) -> None:
    page = _signed_in(live, "admin")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    for path in ("/cases", "/cases/SAY", "/cases/SAY/sources", "/lists", "/review", "/audit"):
        page.goto(f"{live.url}{path}")
    assert not problems, problems
    page.close()
