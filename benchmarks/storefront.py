"""The storefront page in Chromium: last keystroke (or facet click) to results rendered,
read from the page's own ``storefront:update`` performance measures, and the
server-rendered first page's time to first byte.

The page is served by Django's threaded WSGI server in this process (static files
through Django's handler), on the index the benchmark run built.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
QUERIES = ["cm2", "london", "cb1 ebook", "cm2 londn", "revision", "cs1", "edinburgh", "cp1"]
FIRST_PAGES = [
    "/",
    "/?q=cm2",
    "/?q=cm2+londn",
    "/?subjects=CM2&categories=Tutorial",
    "/?q=revision&page=2",
]
ROUNDS = 25  # each: one typed query and one facet click, so 50 interactions
TTFB_LOADS = 50
TYPING_DELAY_MS = 60  # a quick typist


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


@contextmanager
def serving() -> Iterator[str]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


# The page's last measure is the one for the state now in its address bar.
SETTLED = """() => {
    const last = performance.getEntriesByName('storefront:update').at(-1);
    return last && last.detail.url === location.href ? last.duration : null;
}"""


# The server's share of it: request sent to first byte of that state's fragment.
SERVER_WAIT = """() => {
    const fetched = performance.getEntriesByType('resource')
        .filter(e => e.initiatorType === 'fetch' && e.name === location.href).at(-1);
    return fetched ? fetched.responseStart - fetched.requestStart : null;
}"""


def _settled_ms(page: Any, server: list[float] | None = None) -> float:
    duration = float(page.wait_for_function(SETTLED).json_value())
    if server is not None:
        wait = page.evaluate(SERVER_WAIT)
        if wait is not None:
            server.append(float(wait))
    return duration


def _typed(page: Any, query: str, server: list[float]) -> float:
    """Type ``query`` into the empty box; time from its last keystroke to its results."""
    page.locator("#q").press_sequentially(query, delay=TYPING_DELAY_MS)
    return _settled_ms(page, server)


def _facet_click(page: Any, round_number: int, server: list[float]) -> float:
    options = page.locator("fieldset.facet input[type=checkbox]")
    count = options.count()
    if not count:
        raise RuntimeError("no facet to click on this page")
    options.nth(round_number % min(count, 6)).click()
    return _settled_ms(page, server)


def storefront_latency() -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    typed: list[float] = []
    clicks: list[float] = []
    server: list[float] = []
    ttfb: list[float] = []
    with serving() as base_url, sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--disable-background-networking"]
        )
        page = browser.new_page(base_url=base_url)
        page.goto("/")  # warm up: connections, caches, the first template compile
        for round_number in range(ROUNDS):
            page.goto("/")
            typed.append(_typed(page, QUERIES[round_number % len(QUERIES)], server))
            clicks.append(_facet_click(page, round_number, server))
        for load in range(TTFB_LOADS):
            page.goto(FIRST_PAGES[load % len(FIRST_PAGES)])
            ttfb.append(
                float(
                    page.evaluate(
                        "() => { const n = performance.getEntriesByType('navigation')[0];"
                        " return n.responseStart - n.requestStart; }"
                    )
                )
            )
        browser.close()
    interactions = typed + clicks
    return {
        "documents": len(interactions),
        "interaction_p50_ms": percentile(interactions, 0.5),
        "interaction_p95_ms": percentile(interactions, 0.95),
        "interaction_max_ms": max(interactions),
        "typed_p50_ms": percentile(typed, 0.5),
        "typed_p95_ms": percentile(typed, 0.95),
        "click_p50_ms": percentile(clicks, 0.5),
        "click_p95_ms": percentile(clicks, 0.95),
        "server_p50_ms": percentile(server, 0.5),
        "server_p95_ms": percentile(server, 0.95),
        "ttfb_loads": len(ttfb),
        "ttfb_p50_ms": percentile(ttfb, 0.5),
        "ttfb_p95_ms": percentile(ttfb, 0.95),
    }
