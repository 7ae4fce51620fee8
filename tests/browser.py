"""
Helpers for the browser tests: a dashboard server per test session, and headless Debian
Chromium driven by Playwright with every request to another host aborted and recorded.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FrameLocator,
    Locator,
    Page,
    Playwright,
    Route,
    expect,
)

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
SERVING = "You can now view your Streamlit app"
"""What `streamlit run` prints once it serves pages."""
SETTLE_MS = 45_000
"""How long a page or the map may take to settle (first loads on a busy machine included)."""
MAP_IFRAME = (
    '[data-testid="stElementContainer"][data-stale="false"] '
    'iframe[title="streamlit_folium.st_folium"]'
)
"""The st_folium component's iframe, which holds the map; during a rerun Streamlit keeps the
previous one on the page, marked stale, until the new one has arrived."""
MAP_READY = '.leaflet-container[data-ca-ready="1"]'
"""The map once every overlay has been drawn: `geo/web/map.js` sets the attribute then."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def dashboard_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `streamlit run dashboard.py` on a free port until the block ends; yield its URL.

    Its output is copied to `test-artifacts/server-PORT.log`; the wait ends when Streamlit says
    it is serving (or the process ends: a server that cannot start fails at once, not in 60 s).
    """
    port = free_port()
    log_path = ARTIFACTS / f"server-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)],
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    serving = threading.Event()

    def copy_output() -> None:
        assert process.stdout is not None
        with log_path.open("w") as log:
            for line in process.stdout:
                log.write(line)
                log.flush()
                if SERVING in line:
                    serving.set()
        serving.set()  # the process has ended: nothing left to wait for

    reader = threading.Thread(target=copy_output, daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}"
    try:
        if not serving.wait(timeout=60) or process.poll() is not None:
            pytest.fail(f"dashboard did not start; see {log_path}")
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
            assert response.status == 200, f"dashboard unhealthy; see {log_path}"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def launch_chromium(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is not installed at /usr/bin/chromium; `make test` installs it "
            "(apt-get install chromium) when run as root."
        )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@dataclass
class Watched:
    """A page whose third-party requests are aborted and recorded, with its script errors."""

    page: Page
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def offline_context(browser: Browser, **options: object) -> tuple[BrowserContext, list[str]]:
    context = browser.new_context(**{"viewport": {"width": 1500, "height": 1000}, **options})
    external: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        host = url.split("/")[2].split(":")[0] if "://" in url else ""
        if url.startswith(("data:", "blob:", "about:", "file:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    return context, external


def watched_page(context: BrowserContext, external: list[str]) -> Watched:
    watched = Watched(context.new_page(), external)
    watched.page.on("pageerror", lambda exc: watched.errors.append(str(exc)))
    return watched


@contextmanager
def offline_page(browser: Browser, **options: object) -> Iterator[Watched]:
    """A watched page in a context of its own, closed when the block ends, failing or not."""
    context, external = offline_context(browser, **options)
    try:
        yield watched_page(context, external)
    finally:
        context.close()


def map_frame(page: Page, timeout_ms: int = SETTLE_MS, showing: str = "") -> FrameLocator:
    """The map's iframe once Leaflet has drawn every overlay into it (`MAP_READY`), and shows
    `showing` if given. The iframe is found afresh at each use, so a rerun may replace it."""
    frame = page.frame_locator(MAP_IFRAME)
    ready = frame.locator(MAP_READY)
    try:
        expect(ready).to_be_visible(timeout=timeout_ms)
        if showing:
            expect(ready).to_contain_text(showing, timeout=timeout_ms)
    except AssertionError:
        screenshot(page, "map-never-drawn")
        raise
    return frame


def expect_on_map(page: Page, selector: str, count: int, timeout_ms: int = SETTLE_MS) -> None:
    """Assert that the settled map shows `count` of `selector`: Playwright counts again until
    it does (after a rerun the map is redrawn) and fails with the count it last saw."""
    frame = map_frame(page, timeout_ms)
    expect(frame.locator(f"{MAP_READY} {selector}")).to_have_count(count, timeout=timeout_ms)


def expect_app_settled(page: Page, timeout_ms: int = SETTLE_MS) -> None:
    """Wait until the Streamlit script has finished its run (the app's own test attribute)."""
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout_ms)


HOVER_ALL = """(elements, texts) => {
    document.querySelectorAll("[data-test-tooltip-match]")
        .forEach(el => el.removeAttribute("data-test-tooltip-match"));
    const shown = () => [...document.querySelectorAll(".leaflet-tooltip:not(.ca-label)")]
        .filter(tip => tip.style.opacity !== "0").map(tip => tip.textContent).join("\\n");
    let found = 0;
    for (const el of elements) {
        el.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
        const text = shown();
        el.dispatchEvent(new MouseEvent("mouseout", {bubbles: true}));
        if (texts.every(t => text.includes(t))) {
            el.setAttribute("data-test-tooltip-match", "");
            found += 1;
        }
    }
    return found;
}"""
"""Hover each element as a pointer would (DOM events only) and mark those whose tooltip shows
every text; a closing tooltip fades out with opacity 0, so only the open one is read. Place
labels (`.ca-label`) are permanent tooltips, not a hover's, and are not read."""


def with_tooltip(frame: FrameLocator, selector: str, *texts: str) -> Locator:
    """The map's `selector` elements whose tooltip shows every one of `texts`: lines and markers
    carry no names of their own, so each is hovered in turn. Call it on a settled map."""
    candidates = frame.locator(selector)
    found = candidates.evaluate_all(HOVER_ALL, list(texts))
    assert found, f"no {selector} has a tooltip showing {texts}"
    return candidates.and_(frame.locator("[data-test-tooltip-match]"))


GREY = 'path.leaflet-interactive[stroke="#8c8c8c"]'
"""Closed legs on the map."""


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
