"""
Request waterfall of one cold page load, dashboard against the bare st_folium page.

Shows when the map's component module and page are requested relative to Streamlit's other
frontend modules (the cause of the dashboard ÷ bare gap in docs/performance.md):

    .venv/bin/python -m bench.trace
"""

from __future__ import annotations

import time
from contextlib import ExitStack

from playwright.sync_api import Browser

from bench import browser
from bench.__main__ import static_link
from geo.settings import REPO_ROOT

WATCHED = ("component", "vendor", "countries", "ComponentInstance", "Html.", "DataFrame")


def waterfall(chrome: Browser, url: str, settle_ms: int = 5000) -> list[tuple[float, str]]:
    """(seconds since navigation, 'req'/'fin' + path) for every request of one cold load."""
    context = chrome.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    log: list[tuple[float, str]] = []
    page.on("request", lambda r: log.append((time.perf_counter() - start, "req " + r.url)))
    page.on("requestfinished", lambda r: log.append((time.perf_counter() - start, "fin " + r.url)))
    page.goto(url, wait_until="commit")
    page.wait_for_timeout(settle_ms)
    context.close()
    return log


def main() -> None:
    pages = {"dashboard": REPO_ROOT / "dashboard.py", "bare": REPO_ROOT / "bench" / "bare_app.py"}
    with ExitStack() as stack, browser.chromium() as chrome:
        stack.enter_context(static_link())
        urls = {
            name: stack.enter_context(browser.streamlit_server(str(path), name=f"trace-{name}")).url
            for name, path in pages.items()
        }
        for name, url in urls.items():
            waterfall(chrome, url)  # warm the server's caches
            log = waterfall(chrome, url)
            print(f"== {name}: {sum(1 for _, e in log if e.startswith('req'))} requests")
            for seconds, event in log:
                path = event.split("/", 3)[-1][:80]
                if event.startswith("req") and "/static/js/" in event and seconds > 0.5:
                    print(f"{seconds:6.2f} req {path}")
                elif any(mark in event for mark in WATCHED):
                    print(f"{seconds:6.2f} {event[:3]} {path}")


if __name__ == "__main__":
    main()
