"""
`python -m bench`: measure the dashboard against its performance targets.

In-process first (validation, evaluation, map build and payload at 1x/10x/100x, AppTest reruns,
exports), then headless Chromium (time to map for the dashboard, a bare st_folium page and a
plain folium file; scenario changes; the scaled catalogues; server memory). Writes
bench/results/results.json and results.md and prints the tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import browser, measure, report
from bench.report import Row, mib, seconds, size
from bench.synthetic import synthetic_bytes
from geo.catalogue import Catalogue
from geo.maps import corridor_map
from geo.metrics import evaluate_all
from geo.scenarios import BASELINE, apply_scenario
from geo.settings import CATALOGUE_ENV, REPO_ROOT
from tests.browser import offline_context

BENCH_DIR = REPO_ROOT / "bench"
STATIC_LINK = BENCH_DIR / "static"
SCALES = (1, 10, 100)
CLOCK = time.perf_counter()
LOAD_LOG: list[tuple[float, float, str]] = []
"""(seconds since start, 1-minute load average, what had just finished): the machine is shared."""


def log(message: str) -> None:
    elapsed, load = time.perf_counter() - CLOCK, os.getloadavg()[0]
    LOAD_LOG.append((round(elapsed, 1), load, message))
    print(f"[{elapsed:6.1f} s, load {load:4.1f}] {message}", file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per browser median (≥ 5)")
    parser.add_argument("--changes", type=int, default=6, help="scenario changes timed")
    parser.add_argument(
        "--scales", default=",".join(map(str, SCALES)), help="catalogue sizes, e.g. 1,10"
    )
    return parser.parse_args(argv)


# --------------------------------------------------------------------------- in process


def scale_engine(copies: int, directory: Path) -> tuple[dict[str, Any], Catalogue, Path]:
    """Generate, validate, evaluate, build and serialise the map at one size."""
    data = synthetic_bytes(copies)
    path = directory / f"corridors-{copies}x.yaml"
    path.write_bytes(data)
    entry: dict[str, Any] = {"copies": copies, "file_bytes": len(data)}
    checked = measure.validate(data)
    catalogue = checked.pop("catalogue")
    entry["validation"] = checked
    if catalogue is None:  # beyond about 150x the file limits refuse it, as they should
        raise RuntimeError(f"the {copies}x catalogue is refused: {checked['errors']}")
    entry |= measure.counts(catalogue)
    runs = 3 if copies < 100 else 1
    entry["evaluation_seconds"] = measure.evaluation(catalogue, BASELINE, runs)
    results = evaluate_all(catalogue, apply_scenario(catalogue, BASELINE))
    entry["map"] = measure.map_build(catalogue, results, runs)
    entry["payload"] = measure.st_folium_payload(catalogue, results)
    log(
        f"{copies}x: validation {seconds(checked['seconds'])}, "
        f"map {size(entry['map']['html_bytes'])}, payload {size(entry['payload']['bytes'])}"
    )
    return entry, catalogue, path


def scenario_pair(catalogue: Catalogue) -> tuple[str, str]:
    """The baseline and the preset that greys out the most lines: the alternation timed."""
    grey = {s.id: measure.closed_lines(catalogue, s.id) for s in catalogue.scenarios}
    other = max((s for s in grey if s != BASELINE), key=lambda s: grey[s])
    return other, BASELINE


# --------------------------------------------------------------------------- in the browser


@contextmanager
def static_link() -> Iterator[None]:
    """`bench/static` -> `../static` while the bare app runs, so it serves the same files."""
    created = False
    if STATIC_LINK.is_symlink():
        if STATIC_LINK.resolve() != (REPO_ROOT / "static").resolve():
            raise RuntimeError(f"{STATIC_LINK} links elsewhere; remove it and rerun")
    elif STATIC_LINK.exists():
        raise RuntimeError(f"{STATIC_LINK} exists and is not the bench's link; remove it")
    else:
        STATIC_LINK.symlink_to(Path("..") / "static", target_is_directory=True)
        created = True
    try:
        yield
    finally:
        if created:
            STATIC_LINK.unlink()


def folium_file(catalogue: Catalogue, directory: Path) -> Path:
    """The same map as a plain folium HTML file, next to `app/static/vendor` -> static/vendor."""
    directory.mkdir(parents=True, exist_ok=True)
    results = evaluate_all(catalogue, apply_scenario(catalogue, BASELINE))
    corridor_map(catalogue, results, embed_basemap=True).save(str(directory / "map.html"))
    vendor = directory / "app" / "static" / "vendor"
    vendor.parent.mkdir(parents=True, exist_ok=True)
    vendor.symlink_to(REPO_ROOT / "static" / "vendor", target_is_directory=True)
    return directory


def timed_visits(
    chrome: Any, urls: dict[str, str], total: int, runs: int, *, timeout_s: float = 60
) -> dict[str, dict[str, Any]]:
    """
    One warm-up load per URL (server caches filled), then `runs` rounds visiting each URL in
    turn, so that any drift in the shared machine's load falls on every variant alike.
    """
    warm = {
        name: browser.time_to_map(chrome, url, total, timeout_s=timeout_s)
        for name, url in urls.items()
    }
    measured: dict[str, list[browser.Visit]] = {name: [] for name in urls}
    for _ in range(runs):
        for name, url in urls.items():
            measured[name].append(browser.time_to_map(chrome, url, total, timeout_s=timeout_s))
    return {
        name: {
            "warm_up_seconds": warm[name].seconds,
            "seconds": [v.seconds for v in visits],
            "websocket_bytes": [v.websocket_bytes for v in visits],
            "milestones": [v.milestones for v in visits],
            "basemap_bytes": [v.basemap_bytes for v in visits],
            "external_requests": sorted({u for v in [warm[name], *visits] for u in v.external}),
        }
        for name, visits in measured.items()
    }


def returning_visits(
    chrome: Any, urls: dict[str, str], total: int, runs: int, *, timeout_s: float = 60
) -> dict[str, list[float]]:
    """
    Time to map for a returning visitor: one context per URL loads it once (filling its HTTP
    cache), then `runs` rounds visit each URL in turn in its own context.
    """
    contexts = {name: offline_context(chrome) for name in urls}
    try:
        for name, url in urls.items():
            browser.time_to_map(chrome, url, total, timeout_s=timeout_s, returning=contexts[name])
        seconds: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(runs):
            for name, url in urls.items():
                visit = browser.time_to_map(
                    chrome, url, total, timeout_s=timeout_s, returning=contexts[name]
                )
                seconds[name].append(visit.seconds)
        return seconds
    finally:
        for context, _ in contexts.values():
            context.close()


def browser_real(
    chrome: Any, catalogue: Catalogue, tmp: Path, runs: int, changes: int
) -> dict[str, Any]:
    """Time to map three ways (interleaved), then scenario changes, on the real catalogue."""
    total = measure.counts(catalogue)["leg_features"]
    site = folium_file(catalogue, tmp / "folium-site")
    with (
        browser.streamlit_server("dashboard.py", name="dashboard-1x") as dashboard,
        static_link(),
        browser.streamlit_server("bench/bare_app.py", name="bare-1x") as bare,
        browser.static_server(site, name="folium-html") as html,
    ):
        urls = {"dashboard": dashboard.url, "bare": bare.url, "folium_html": f"{html.url}/map.html"}
        out: dict[str, Any] = timed_visits(chrome, urls, total, runs)
        for name in urls:
            log(f"time to map, {name}: {seconds(measure.median(out[name]['seconds']))}")
        pair = {"dashboard": dashboard.url, "bare": bare.url}
        out["returning"] = returning_visits(chrome, pair, total, runs)
        log(f"returning visitor: {out['returning']}")
        other, base = scenario_pair(catalogue)
        names = {s: catalogue.scenario(s).name for s in (other, base)}
        plan = [
            (names[s], measure.closed_lines(catalogue, s))
            for s in [(other, base)[i % 2] for i in range(changes)]
        ]
        done = browser.scenario_changes(chrome, dashboard.url, total, plan)
        out["scenario_change"] = {
            "plan": plan,
            "seconds": [c.seconds for c in done],
            "milestones": [c.milestones for c in done],
            "component_loads": [c.component_loads for c in done],
            "basemap_fetches": [c.basemap_fetches for c in done],
        }
        log(f"scenario change: {seconds(measure.median(out['scenario_change']['seconds']))}")
    return out


def browser_scaled(
    chrome: Any, copies: int, path: Path, catalogue: Catalogue, *, runs: int
) -> dict[str, Any]:
    """The dashboard and the bare page pointed at a scaled catalogue, interleaved."""
    total = measure.counts(catalogue)["leg_features"]
    timeout = 60 * (1 + copies // 50)
    env = {CATALOGUE_ENV: str(path)}
    with (
        browser.streamlit_server("dashboard.py", name=f"dashboard-{copies}x", env=env) as dash,
        static_link(),
        browser.streamlit_server("bench/bare_app.py", name=f"bare-{copies}x", env=env) as bare,
    ):
        urls = {"dashboard": dash.url, "bare": bare.url}
        return timed_visits(chrome, urls, total, runs, timeout_s=timeout)


def memory(chrome: Any, catalogue: Catalogue) -> dict[str, Any]:
    total = measure.counts(catalogue)["leg_features"]
    with browser.streamlit_server("dashboard.py", name="dashboard-memory") as server:
        return browser.sessions_memory(chrome, server, total)


# --------------------------------------------------------------------------- verdicts


def _median_of(entry: dict[str, Any] | None) -> float | None:
    runs = (entry or {}).get("seconds")
    return measure.median(runs) if runs else None


def targets(results: dict[str, Any]) -> list[Row]:
    """The summary rows, each with its target and whether this run met it."""
    real = results.get("browser", {})
    dash, bare, html = (_median_of(real.get(k)) for k in ("dashboard", "bare", "folium_html"))
    change = _median_of(real.get("scenario_change"))
    at1 = results["scale"].get("1x", {}).get("apptest", {}).get("rerun_seconds")
    fastest = {
        k: min((real.get(k) or {}).get("seconds") or [math.nan])
        for k in ("dashboard", "bare", "folium_html")
    }
    runs = len((real.get("dashboard") or {}).get("seconds") or [])
    rows = [
        Row(
            f"Time to map: dashboard map page (median of {runs}; fastest)",
            f"{seconds(dash)} ({seconds(fastest['dashboard'])})",
        ),
        Row("Time to map: bare st_folium page", f"{seconds(bare)} ({seconds(fastest['bare'])})"),
        Row(
            "Time to map: plain folium HTML file",
            f"{seconds(html)} ({seconds(fastest['folium_html'])})",
        ),
    ]
    if dash and bare:
        ratio = dash / bare
        best = fastest["dashboard"] / fastest["bare"]
        rows.append(
            Row(
                "Dashboard ÷ bare (of medians; of fastest runs)",
                f"{ratio:.2f}× ({best:.2f}×)",
                "≤ 1.3×",
                ratio <= 1.3,
            )
        )
    if dash and html:
        rows.append(Row("Dashboard ÷ plain folium file", f"{dash / html:.2f}×"))
    back = real.get("returning") or {}
    if back.get("dashboard") and back.get("bare"):
        again = {k: measure.median(v) for k, v in back.items()}
        rows.append(
            Row(
                f"Returning visitor (browser cache warm, median of {len(back['dashboard'])}): "
                "dashboard; bare; ratio",
                f"{seconds(again['dashboard'])}; {seconds(again['bare'])}; "
                f"{again['dashboard'] / again['bare']:.2f}×",
            )
        )
    if change is not None:
        changes = len(real["scenario_change"]["seconds"])
        rows.append(
            Row(
                f"Scenario change in the browser (median of {changes})",
                seconds(change),
                "≤ 0.5 s",
                change <= 0.5,
            )
        )
    tiles = (real.get("dashboard") or {}).get("basemap_bytes")
    if tiles:
        first = measure.median(tiles)
        rows.append(
            Row(
                "Basemap sent at first load, dashboard (tiles in view; median)",
                size(round(first)),
                "≤ 1 MB",
                first <= 1e6,
            )
        )
    if at1:
        rerun = measure.median(at1)
        rows.append(
            Row(
                f"Scenario rerun, server: AppTest incl. its overhead (median of {len(at1)})",
                seconds(rerun),
                "≤ 150 ms",
                rerun <= 0.15,
            )
        )
    rows += _scale_rows(results["scale"])
    rows += _export_rows(results.get("exports", {}))
    for label, reading in results.get("memory", {}).items():
        rows.append(Row(f"Server peak RSS (VmHWM), {label}", mib(reading.get("VmHWM"))))
    return rows


def _scale_rows(scale: dict[str, Any]) -> list[Row]:
    rows = []
    ten = scale.get("10x")
    if ten:
        reruns = (ten.get("apptest") or {}).get("rerun_seconds")
        if reruns:
            rerun = measure.median(reruns)
            rows.append(
                Row(
                    f"10x: scenario rerun, AppTest (median of {len(reruns)})",
                    seconds(rerun),
                    "≤ 400 ms",
                    rerun <= 0.4,
                )
            )
        sent = ten["payload"]["bytes"]
        rows.append(
            Row(
                "10x: sent for the map (st_folium's message + the data file)",
                size(sent),
                "≤ 1.5 MB",
                sent <= 1.5e6,
            )
        )
    hundred = scale.get("100x")
    if hundred:
        drawn = _median_of(hundred.get("dashboard"))
        bare = _median_of(hundred.get("bare"))
        rows.append(
            Row(
                "100x: map drawn, dashboard (bare page in brackets)",
                f"{seconds(drawn)} ({seconds(bare)})",
                "≤ 3 s",
                drawn is not None and drawn <= 3,
            )
        )
    return rows


def _export_rows(exports: dict[str, Any]) -> list[Row]:
    rows = []
    for fmt, target in (("png", 1.5), ("xlsx", None)):
        entry = exports.get(fmt) if exports.get("available") else None
        label = f"Export {fmt.upper()}, warm"
        if not entry or not entry.get("available"):
            reason = (entry or exports).get("reason", "not measured")
            rows.append(Row(label, f"not available ({reason})", f"≤ {target} s" if target else "–"))
            continue
        warm = measure.median(entry["seconds"])
        met = None if target is None else warm <= target
        rows.append(Row(label, seconds(warm), f"≤ {target} s" if target else "–", met))
    return rows


# --------------------------------------------------------------------------- run


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": report.machine(),
        "settings": {"runs": args.runs, "changes": args.changes},
        "scale": {},
    }
    sizes = [int(s) for s in args.scales.split(",")]
    catalogues: dict[int, tuple[Catalogue, Path]] = {}
    with tempfile.TemporaryDirectory(prefix="corridor-bench-") as name:
        tmp = Path(name)
        for copies in sizes:
            entry, catalogue, path = scale_engine(copies, tmp)
            results["scale"][f"{copies}x"] = entry
            catalogues[copies] = (catalogue, path)
        real = catalogues[1][0] if 1 in catalogues else scale_engine(1, tmp)[1]
        for copies in (c for c in sizes if c <= 10):
            entry = results["scale"][f"{copies}x"]
            entry["apptest"] = measure.apptest_reruns(
                catalogues[copies][1], scenario_pair(real), args.changes
            )
            rerun = measure.median(entry["apptest"]["rerun_seconds"])
            log(f"{copies}x AppTest rerun: {seconds(rerun)}")
        results["exports"] = measure.exports(real, args.runs)
        log("exports measured")
        with browser.chromium() as chrome:
            results["machine"]["chromium"] = chrome.version
            results["browser"] = browser_real(chrome, real, tmp, args.runs, args.changes)
            if 1 in sizes:
                results["scale"]["1x"]["dashboard"] = results["browser"]["dashboard"]
                results["scale"]["1x"]["bare"] = results["browser"]["bare"]
            for copies in (c for c in sizes if c > 1):
                catalogue, path = catalogues[copies]
                runs = args.runs if copies <= 10 else 3
                measured = browser_scaled(chrome, copies, path, catalogue, runs=runs)
                results["scale"][f"{copies}x"] |= measured
                log(f"{copies}x in the browser done")
            results["memory"] = memory(chrome, real)
            log("memory measured")
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["load_log"] = LOAD_LOG
    results["duration_seconds"] = time.perf_counter() - CLOCK
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    results = run(args)
    rows = targets(results)
    text = report.write(results, rows, browser.RESULTS)
    print(text)
    missed = [r.what for r in rows if r.met is False]
    print(f"{len(missed)} target(s) missed" + (": " + "; ".join(missed) if missed else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
