"""Fixtures: a real Zope instance on a free loopback port, and a real Chromium.

The instance is rendered from the development profile into a temporary folder (its own
throwaway database), the site is created with 'saiyo create-site' exactly as
'make run' does, and it is served by waitress through 'saiyo start'.
Pages are fetched from http://localhost:<port>/ (not 127.0.0.1, which Plone serves
unthemed). Screenshots go to test-output/ (ignored by git).
"""

from pathlib import Path
from tests.support.throwaway import Instance
from tests.support.throwaway import make_instance

import os
import pytest
import subprocess


ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
OUTPUT = ROOT / "test-output"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def create_site(instance: Instance) -> subprocess.CompletedProcess:
    result = instance.create_site("--demo")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def plone(tmp_path_factory) -> Instance:
    """The site as 'make run' makes it, served on a free port for the whole session."""
    instance = make_instance(tmp_path_factory.mktemp("instance"))
    create_site(instance)
    assert instance.start() == 0
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with 'apt-get install chromium' "
            "(.ci/run does) or set CHROMIUM to its path"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request):
    """A fresh page that records console errors and uncaught exceptions in ``page.errors``."""
    context = chromium.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    OUTPUT.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(OUTPUT / f"{request.node.name}.png"), full_page=True)
    except Exception:  # the page may be gone after a failing test; the failure says why
        pass
    context.close()
