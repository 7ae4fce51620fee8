"""
Helpers for the browser tests: a dashboard server per test session, and headless Debian
Chromium driven by Playwright with every request to another host aborted and recorded.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page, Playwright, Route
from playwright.sync_api import Error as PlaywrightError

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def dashboard_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `streamlit run dashboard.py` on a free port until the block ends; yield its URL."""
    port = free_port()
    log = (ARTIFACTS / f"server-{port}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"dashboard did not start; see {log.name}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


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
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, **options)
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


def map_frame(page: Page, timeout_ms: int = 45_000, showing: str = "") -> Frame:
    """The st_folium iframe once Leaflet has drawn into it (and shows `showing`, if given).

    A rerun can replace the iframe while we look at it; a detached frame is skipped, not fatal.
    """
    waited = 0
    while waited < timeout_ms:
        for frame in page.frames:
            if "st_folium" in frame.url and _drawn(frame, showing):
                return frame
        page.wait_for_timeout(250)
        waited += 250
    screenshot(page, "map-never-drawn")
    frames = [f.url[:80] for f in page.frames]
    pytest.fail(f"the map never drew any corridor line (showing {showing!r}); frames: {frames}")


def _drawn(frame: Frame, showing: str) -> bool:
    try:
        if not frame.locator(".leaflet-container").count():
            return False
        if not frame.locator("path.leaflet-interactive").count():
            return False
        return not showing or showing in frame.locator("body").inner_text(timeout=2_000)
    except PlaywrightError:
        return False


GREY = 'path.leaflet-interactive[stroke="#8c8c8c"]'
"""Closed legs on the map."""


def settled_count(page: Page, selector: str, expected: int, tries: int = 40) -> int:
    """
    How many `selector` the map shows once it settles on `expected`, or the last count seen.

    A rerun may replace the map's frame at any moment, so the count is retried on a fresh frame
    and read twice, half a second apart; a map that never shows `expected` fails the caller's
    assert with the number it did show.
    """
    seen = -1
    for _ in range(tries):
        try:
            seen = map_frame(page).locator(selector).count()
            if seen == expected:
                page.wait_for_timeout(500)
                seen = map_frame(page).locator(selector).count()
                if seen == expected:
                    return seen
        except PlaywrightError:
            seen = -1
        page.wait_for_timeout(500)
    return seen


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
