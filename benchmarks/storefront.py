"""The storefront page in Chromium: last keystroke (or facet click) to results rendered,
read from the page's own ``storefront:update`` performance measures, and the
server-rendered first page's time to first byte.

The page is served as in production: the repository's gunicorn configuration in deploy
mode (``benchmarks.server``), its static files collected and served by whitenoise, on the
index the benchmark run built. Each update's time is also split, from the same measure's
detail and Resource Timing: the server's share (request to first byte), the fragment
received, swapped in, and painted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    from django.core.management import call_command

    from benchmarks.server import gunicorn_process

    call_command("collectstatic", interactive=False, verbosity=0)
    with gunicorn_process() as (base_url, _pid):
        yield base_url


# The page's last measure is the one for the state now in its address bar.
SETTLED = """() => {
    const last = performance.getEntriesByName('storefront:update').at(-1);
    return last && last.detail.url === location.href
        ? [last.duration, last.detail.answered, last.detail.swapped] : null;
}"""


# The request's own times, relative to the update's start: sent (requestStart), first
# byte (responseStart) and last byte (responseEnd) of that state's fragment.
FETCH_TIMES = """() => {
    const last = performance.getEntriesByName('storefront:update').at(-1);
    const fetched = performance.getEntriesByType('resource')
        .filter(e => e.initiatorType === 'fetch' && e.name === location.href).at(-1);
    return fetched && last
        ? [fetched.requestStart - last.startTime, fetched.responseStart - fetched.requestStart]
        : null;
}"""


@dataclass
class Split:
    """Where updates' time went, each list one figure per update (ms from the input)."""

    sent: list[float] = field(default_factory=list)  # the fragment's request sent
    server: list[float] = field(default_factory=list)  # request sent to first byte
    answered: list[float] = field(default_factory=list)  # whole fragment received
    swapped: list[float] = field(default_factory=list)  # new facets and results in the DOM

    def summary(self, prefix: str) -> dict[str, float]:
        return {
            f"{prefix}_{name}_{label}_ms": percentile(values, fraction)
            for name, values in vars(self).items()
            if values
            for label, fraction in (("p50", 0.5), ("p95", 0.95))
        }


def _settled_ms(page: Any, split: Split) -> float:
    duration, answered, swapped = page.wait_for_function(SETTLED).json_value()
    split.answered.append(float(answered))
    split.swapped.append(float(swapped))
    times = page.evaluate(FETCH_TIMES)
    if times is not None:
        split.sent.append(float(times[0]))
        split.server.append(float(times[1]))
    return float(duration)


def _typed(page: Any, query: str, split: Split) -> float:
    """Type ``query`` into the empty box; time from its last keystroke to its results."""
    page.locator("#q").press_sequentially(query, delay=TYPING_DELAY_MS)
    return _settled_ms(page, split)


def _facet_click(page: Any, round_number: int, split: Split) -> float:
    options = page.locator("fieldset.facet input[type=checkbox]")
    count = options.count()
    if not count:
        raise RuntimeError("no facet to click on this page")
    options.nth(round_number % min(count, 6)).click()
    return _settled_ms(page, split)


def storefront_latency() -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    typed: list[float] = []
    clicks: list[float] = []
    typed_split, click_split = Split(), Split()
    ttfb: list[float] = []
    with serving() as base_url, sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--disable-background-networking"]
        )
        page = browser.new_page(base_url=base_url)
        page.goto("/")  # warm up: connections, caches, the first template compile
        for round_number in range(ROUNDS):
            page.goto("/")
            typed.append(_typed(page, QUERIES[round_number % len(QUERIES)], typed_split))
            clicks.append(_facet_click(page, round_number, click_split))
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
        # each typed query's time, in the order typed (QUERIES, round after round)
        "typed_ms": [round(value, 1) for value in typed],
        "interaction_p50_ms": percentile(interactions, 0.5),
        "interaction_p95_ms": percentile(interactions, 0.95),
        "interaction_max_ms": max(interactions),
        "typed_p50_ms": percentile(typed, 0.5),
        "typed_p95_ms": percentile(typed, 0.95),
        "click_p50_ms": percentile(clicks, 0.5),
        "click_p95_ms": percentile(clicks, 0.95),
        "server_p50_ms": percentile(typed_split.server + click_split.server, 0.5),
        "server_p95_ms": percentile(typed_split.server + click_split.server, 0.95),
        **typed_split.summary("typed"),
        **click_split.summary("click"),
        "ttfb_loads": len(ttfb),
        "ttfb_p50_ms": percentile(ttfb, 0.5),
        "ttfb_p95_ms": percentile(ttfb, 0.95),
    }
