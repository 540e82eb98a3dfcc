"""Real-browser fixtures: Debian's Chromium, driven by Playwright, against the live server.

Playwright cannot download a browser here (no internet), so it launches the system
Chromium by path. A missing Chromium is a failure with install instructions, never a skip:
`make install` installs it when run as root.

Fixtures for any browser test:
- ``browser`` (package): one headless Chromium for all of ``tests/browser``.
- ``page`` (function): a fresh context on ``live_server``'s URL (``page.goto("/")``);
  on failure a full-page screenshot is saved as ``failure.png`` in the test's ``tmp_path``.
- ``axe_violations``: ``axe_violations(page)`` → the serious and critical axe-core violations.
Tests using ``page`` run against the live server, so they need committed data:
mark them ``pytest.mark.django_db(transaction=True)``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM_ENV = "CHROMIUM_PATH"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = (
    "Debian's Chromium is needed for the browser tests and was not found at {path}. "
    "Install it with `sudo apt-get install -y chromium` (or run `make install` as root), "
    f"or point {CHROMIUM_ENV} at a Chromium/Chrome binary."
)
DESKTOP = {"width": 1280, "height": 900}
SERIOUS = frozenset({"serious", "critical"})


def chromium_path() -> str:
    """The browser to launch: ``$CHROMIUM_PATH`` or Debian's ``/usr/bin/chromium``."""
    configured = os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)
    found = shutil.which(configured)
    if not found:
        pytest.fail(INSTALL_HINT.format(path=configured), pytrace=False)
    return found


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop running in this thread, and Django's ORM
    refuses to run beside one unless told it is safe. It is here: tests call the ORM and
    Playwright one after the other, never concurrently. Only while this package's tests
    run (the browser closes with them), so no other test or subprocess inherits it."""
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    yield
    if previous is None:
        os.environ.pop(ASYNC_UNSAFE, None)
    else:
        os.environ[ASYNC_UNSAFE] = previous


# Package scope: one driver and one browser for all of tests/browser, closed when its last
# test ends, so their event loop does not outlive the browser tests.
@pytest.fixture(scope="package")
def playwright_driver(_orm_beside_playwright: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver: Any) -> Iterator[Any]:
    """One headless Chromium for the browser tests, with no background network traffic."""
    chromium = playwright_driver.chromium.launch(
        executable_path=chromium_path(),
        headless=True,
        args=[
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ],
    )
    yield chromium
    chromium.close()


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Any, live_server: Any, tmp_path: Path
) -> Iterator[Any]:
    """A page in a fresh context whose relative URLs resolve against the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    yield new_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        screenshot = tmp_path / "failure.png"
        try:
            new_page.screenshot(path=str(screenshot), full_page=True)
            print(f"screenshot of the failure: {screenshot}")
        except Exception as exc:  # a crashed page must not hide the test's own failure
            print(f"could not save a screenshot: {exc}")
    context.close()


@pytest.fixture(scope="session")
def axe_violations() -> Callable[[Any], list[dict[str, Any]]]:
    """``axe_violations(page)``: serious and critical axe-core violations on the page now."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(target_page: Any) -> list[dict[str, Any]]:
        results = axe.run(target_page)
        return [v for v in results.response["violations"] if v.get("impact") in SERIOUS]

    return check
