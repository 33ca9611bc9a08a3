"""End-to-end fixtures: the test app on a live server, headless Chromium, and axe-core.

Chromium is Debian's (/usr/bin/chromium), not a Playwright download: the project's test
command installs it, so a missing browser is a failure to report, never a skip. axe-core
comes from the axe-playwright-python package, which is used only for its axe.min.js.
"""

from __future__ import annotations

import importlib.resources
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from tests.intake.conftest import register  # noqa: F401  the intake tests' small register

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# What a resident must never meet; "moderate" and "minor" findings are left to review.
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test app served over HTTP on a free port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: the browser tests need Debian's "
                    "chromium package (apt-get install chromium); Playwright's own download "
                    "is not used.", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the live server, in Dutch."""
    # bypass_csp only so that axe-core can be injected; the portal's CSP forbids inline script.
    context = browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@cache
def axe_source() -> str:
    """The source of axe-core as shipped in the axe-playwright-python package."""
    return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text()


def accessibility_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]


def describe_violations(url: str, violations: list[dict]) -> str:
    """A readable list of axe violations: rule, impact, help, and each element found."""
    lines = [f"axe-core found {len(violations)} serious or critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                     f" <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {node['html']}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail when axe-core finds a serious or critical violation on the page."""
    blocking = [v for v in accessibility_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        raise AssertionError(describe_violations(page.url, blocking))
