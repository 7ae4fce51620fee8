"""
Servers and headless Chromium for the browser measurements.

Chromium is launched and isolated exactly as in the browser tests (`tests/browser.py`): Debian's
binary, one fresh context per run, every request to another host aborted and recorded. Servers
log into `bench/results/logs/`; nothing is written elsewhere in the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Response, sync_playwright

from geo.settings import REPO_ROOT
from tests.browser import free_port, launch_chromium, offline_context

RESULTS = REPO_ROOT / "bench" / "results"
LOGS = RESULTS / "logs"
CLOSED_STROKE = "#8c8c8c"
"""Stroke of a closed leg (`geo.maps.CLOSED_COLOUR`), as the SVG attribute Leaflet writes."""

_STATE_JS = """
([total, grey, caption]) => {
  const seen = (window.__benchSeen = window.__benchSeen || {});
  const mark = (name) => { if (!(name in seen)) { seen[name] = performance.now(); } };
  const docs = [];
  const walk = (doc) => {
    docs.push(doc);
    for (const frame of doc.querySelectorAll("iframe")) {
      let inner = null;
      try { inner = frame.contentDocument; } catch (e) { inner = null; }
      if (inner) { walk(inner); }
    }
  };
  walk(document);
  const count = (selector) => docs.reduce((n, d) => n + d.querySelectorAll(selector).length, 0);
  if (document.querySelector('[data-testid="stElementContainer"]')) { mark("first element"); }
  if (document.querySelector('iframe[src*="st_folium"]')) { mark("map iframe"); }
  if (count(".leaflet-container")) { mark("leaflet"); }
  const canvasLines = docs.reduce((n, d) => n + [...d.querySelectorAll(".leaflet-container")]
    .reduce((k, box) => k + Number(box.dataset.caCanvasLines || 0), 0), 0);
  const lines = count("path.leaflet-interactive") + canvasLines;
  if (lines > 0) { mark("first line"); }
  // The map must be on the first screen: lines drawn below the fold are not a map seen.
  const box = document.querySelector('iframe[title="streamlit_folium.st_folium"]')
    || document.querySelector(".leaflet-container");
  const inView = box !== null && box.getBoundingClientRect().top < window.innerHeight;
  let ready = lines === total && inView;
  if (caption !== null) {
    const captions = document.querySelectorAll('[data-testid="stCaptionContainer"]');
    if ([...captions].some((c) => c.textContent.includes(caption))) { mark("caption"); }
    else { ready = false; }
  }
  if (grey !== null) {
    if (ready && count('path.leaflet-interactive[stroke="%s"]') === grey) { mark("map"); }
    else { ready = false; }
  }
  if (caption !== null && document.querySelector('[data-stale="true"]')) { ready = false; }
  if (ready) { mark("done"); }
  return ready;
}
""".replace("%s", CLOSED_STROKE)
"""
True once the page (or any same-origin frame) shows exactly `total` corridor lines, the map's
top edge inside the window (on the first screen, not below the fold) and, when
given, `grey` closed ones, the caption text, and no element left stale by the last rerun. Lines
are SVG paths, plus what a canvas map reports drawn in `data-ca-canvas-lines` (above
the `canvas_above` setting). As it polls it notes in `window.__benchSeen` when each milestone was
first seen (performance.now()).
"""


@dataclass(frozen=True)
class Server:
    """A running server: its URL and the process id whose memory is read."""

    url: str
    pid: int


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not answer in {timeout:.0f} s; see {log}")


@contextmanager
def _process(
    command: list[str], name: str, health: Callable[[int], str], env: dict[str, str] | None
) -> Iterator[tuple[int, int]]:
    """Run `command` (with `{port}` filled in) until the block ends; yield (port, pid)."""
    LOGS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = LOGS / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [part.replace("{port}", str(port)) for part in command],
            cwd=REPO_ROOT,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(health(port), process, log, timeout=90)
            yield port, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def streamlit_server(
    script: str, *, name: str, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """
    `streamlit run <script>` on a free loopback port, with the repository's config.

    The file watcher is off so that colleagues' edits during a run neither reload modules nor
    cost CPU; static serving is on (the repository's config has it too).
    """
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        "{port}",
        "--server.fileWatcherType",
        "none",
        "--server.enableStaticServing",
        "true",
    ]

    def health(port: int) -> str:
        return f"http://127.0.0.1:{port}/_stcore/health"

    with _process(command, name, health, env) as (port, pid):
        yield Server(f"http://127.0.0.1:{port}", pid)


@contextmanager
def static_server(directory: Path, *, name: str) -> Iterator[Server]:
    """`python -m http.server` for `directory` on a free loopback port."""
    command = [
        sys.executable,
        "-m",
        "http.server",
        "{port}",
        "--bind",
        "127.0.0.1",
        "--directory",
        str(directory),
    ]
    with _process(command, name, lambda port: f"http://127.0.0.1:{port}/", None) as (port, pid):
        yield Server(f"http://127.0.0.1:{port}", pid)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Debian Chromium, launched as the browser tests launch it."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """One page load in a fresh context: how long until drawn, and what it cost."""

    seconds: float
    websocket_bytes: int
    external: list[str] = field(default_factory=list)
    milestones: dict[str, float] = field(default_factory=dict)
    """Seconds from navigation start to each milestone, to the nearest 50 ms poll."""
    basemap_bytes: int = 0
    """Bytes of basemap tiles (PMTiles ranges) fetched until the map was drawn and settled."""


def _count_websocket(page: Page) -> list[int]:
    received = [0]

    def on_socket(socket: object) -> None:
        def on_frame(payload: str | bytes) -> None:
            received[0] += len(payload.encode() if isinstance(payload, str) else payload)

        socket.on("framereceived", on_frame)  # type: ignore[attr-defined]

    page.on("websocket", on_socket)
    return received


def _count_basemap(page: Page) -> list[int]:
    """Bytes of the basemap's tile files received by `page` (each range's Content-Length)."""
    received = [0]

    def on_response(response: Response) -> None:
        if ".pmtiles" in response.url:
            received[0] += int(response.headers.get("content-length") or 0)

    page.on("response", on_response)
    return received


def wait_for_state(
    page: Page,
    total: int,
    *,
    grey: int | None = None,
    caption: str | None = None,
    timeout_s: float = 60,
) -> None:
    """Block until the page shows `total` lines (and `grey` closed ones and `caption`)."""
    page.wait_for_function(
        _STATE_JS, arg=[total, grey, caption], polling=50, timeout=timeout_s * 1000
    )


def _milestones(page: Page, since: float = 0.0) -> dict[str, float]:
    seen = page.evaluate("window.__benchSeen || {}")
    return {name: round((ms - since) / 1000, 3) for name, ms in seen.items() if name != "t0"}


def time_to_map(
    browser: Browser,
    url: str,
    total: int,
    *,
    timeout_s: float = 60,
    returning: tuple[BrowserContext, list[str]] | None = None,
) -> Visit:
    """
    From `page.goto` to all `total` corridor lines drawn: in a fresh context (a first visit,
    nothing cached), or in `returning`, a context that has loaded the page before (its HTTP
    cache holds Streamlit's content-hashed modules, as a returning analyst's browser does).
    """
    context, external = returning or offline_context(browser)
    try:
        page = context.new_page()
        received = _count_websocket(page)
        tiles = _count_basemap(page)
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        wait_for_state(page, total, timeout_s=timeout_s)
        seconds = time.perf_counter() - start
        marks = _milestones(page)
        page.wait_for_timeout(300)  # let the last frames of the run arrive before counting bytes
        return Visit(seconds, received[0], list(external), marks, tiles[0])
    finally:
        if returning is None:
            context.close()
        else:
            page.close()


def choose_scenario(page: Page, name: str) -> tuple[float, float]:
    """
    Pick `name` in the sidebar's Scenario box. Returns the clock at the option's click, in
    Python (`perf_counter`) and in the page (`performance.now()`, milliseconds).
    """
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Scenario").click()
    option = page.get_by_role("option", name=name, exact=True)
    option.wait_for()
    in_page = float(page.evaluate("window.__benchSeen = {}, performance.now()"))
    start = time.perf_counter()
    option.click()
    return start, in_page


CHANGE_MILESTONES = ("caption", "map", "done")
"""After a change: new caption shown; new map drawn alone; nothing stale (the run finished)."""


@dataclass
class Change:
    """One scenario change: seconds to the new state, milestones, and map files refetched."""

    scenario: str
    seconds: float
    milestones: dict[str, float]
    component_loads: int
    """Requests for the st_folium component page: above 0, the map's iframe was rebuilt."""
    basemap_fetches: int


def scenario_changes(
    browser: Browser, url: str, total: int, plan: list[tuple[str, int]], *, timeout_s: float = 60
) -> list[Change]:
    """
    Seconds from clicking each scenario in `plan` ([(name, expected grey lines)]) to the map
    showing that many closed lines, the caption naming it, and nothing left stale. Requests for
    the map component's page and for the basemap are counted per change.
    """
    context, _external = offline_context(browser)
    try:
        page = context.new_page()
        urls: list[str] = []
        page.on("request", lambda request: urls.append(request.url))
        page.goto(url)
        wait_for_state(page, total, timeout_s=timeout_s)
        changes = []
        for name, grey in plan:
            page.wait_for_timeout(300)
            before = len(urls)
            start, in_page = choose_scenario(page, name)
            wait_for_state(
                page, total, grey=grey, caption=f"Scenario: {name}.", timeout_s=timeout_s
            )
            seconds = time.perf_counter() - start
            marks = {k: v for k, v in _milestones(page, in_page).items() if k in CHANGE_MILESTONES}
            new = urls[before:]
            loads = sum("streamlit_folium" in u and "index.html" in u for u in new)
            basemap = sum(".pmtiles" in u for u in new)
            changes.append(Change(name, seconds, marks, loads, basemap))
        return changes
    finally:
        context.close()


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process, in KiB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def sessions_memory(
    browser: Browser, server: Server, total: int, counts: tuple[int, ...] = (1, 10)
) -> dict[str, dict[str, int]]:
    """Server memory idle, then with each number of sessions in `counts` open on the map."""
    readings = {"idle": memory_kib(server.pid)}
    pages: list[Page] = []
    contexts = []
    try:
        for count in counts:
            fresh = []
            while len(pages) < count:
                context, _external = offline_context(browser)
                page = context.new_page()
                page.goto(server.url, wait_until="commit")
                contexts.append(context)
                pages.append(page)
                fresh.append(page)
            for page in fresh:
                wait_for_state(page, total, timeout_s=120)
            time.sleep(1)
            readings[f"{count} session{'s' * (count > 1)}"] = memory_kib(server.pid)
    finally:
        for context in contexts:
            context.close()
    return readings
