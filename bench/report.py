"""The results as JSON (raw numbers) and as Markdown tables, with each target and its verdict."""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.measure import median


@dataclass(frozen=True)
class Row:
    """One line of the summary table: a measure, its result, and the target if it has one."""

    what: str
    result: str
    target: str = "–"
    met: bool | None = None

    @property
    def verdict(self) -> str:
        return "–" if self.met is None else ("**yes**" if self.met else "**no**")


def machine() -> dict[str, Any]:
    """Facts about where the numbers came from (the browser version is added by the run)."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) // 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    packages = ("streamlit", "streamlit-folium", "folium", "playwright", "pyyaml", "pydantic")
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu,
        "memory_mib": memory,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "packages": {name: metadata.version(name) for name in packages},
        "load_average_at_start": os.getloadavg(),
    }


def seconds(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def size(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1e6:.2f} MB" if value >= 1e5 else f"{value / 1e3:.1f} kB"


def mib(kib: int | None) -> str:
    return "–" if kib is None else f"{kib / 1024:.0f} MiB"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def summary_table(rows: list[Row]) -> str:
    return table(
        ["Measure", "Result", "Target", "Met"],
        [[r.what, r.result, r.target, r.verdict] for r in rows],
    )


def _cell(scale: dict[str, Any], *path: str) -> Any:
    value: Any = scale
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def scale_table(scales: dict[str, dict[str, Any]]) -> str:
    """Per size: counts, validation, evaluation, map build, bytes, reruns, time to map."""
    names = list(scales)

    def row(label: str, render: Any) -> list[str]:
        return [label, *(render(scales[name]) for name in names)]

    def steps(v: dict[str, Any]) -> str:
        return (
            f"{seconds(v['seconds'])} (YAML {seconds(v['yaml_seconds'])}, cross-checks "
            f"{seconds(v['cross_check_seconds'])} incl. searoute {seconds(v['searoute_seconds'])})"
        )

    def validation(s: dict[str, Any]) -> str:
        v = s.get("validation") or {}
        if not v:
            return "–"
        if not v["accepted"]:
            return f"refused in {seconds(v['seconds'])}: " + "; ".join(v["errors"])
        return steps(v)

    def apptest(s: dict[str, Any]) -> str:
        runs = _cell(s, "apptest", "rerun_seconds")
        return seconds(median(runs)) if runs else "–"

    def browser(s: dict[str, Any], key: str) -> str:
        entry = s.get(key)
        if not entry:
            return "–"
        runs = entry.get("seconds") or []
        return f"{seconds(median(runs))} (n={len(runs)})" if runs else entry.get("error", "–")

    rows = [
        row("corridors / nodes / legs", lambda s: "{corridors} / {nodes} / {legs}".format(**s)),
        row("line features on the map", lambda s: f"{s['leg_features']:,}"),
        row("catalogue file", lambda s: size(s["file_bytes"])),
        row("validation (`check_catalogue_bytes`, file limits)", validation),
        row(
            "scenario evaluation (`apply_scenario` + `evaluate_all`)",
            lambda s: seconds(median(_cell(s, "evaluation_seconds") or [])),
        ),
        row(
            "map build (`corridor_map` + `render()`)",
            lambda s: seconds(median(_cell(s, "map", "seconds") or [])),
        ),
        row("rendered map HTML", lambda s: size(_cell(s, "map", "html_bytes"))),
        row(
            "map data (JSON: a file the browser fetches above 1 MB, else inside the script)",
            lambda s: size(_cell(s, "map", "data_bytes")),
        ),
        row(
            "sent for the map: st_folium's message (+ the data file, if fetched)",
            lambda s: size(_cell(s, "payload", "bytes")),
        ),
        row(
            "st_folium's message with the data inside (an uploaded catalogue)",
            lambda s: size(_cell(s, "payload", "embedded_bytes")),
        ),
        row(
            "st_folium call (renders the map again)",
            lambda s: seconds(_cell(s, "payload", "seconds")),
        ),
        row("scenario rerun, AppTest (median)", apptest),
        row("time to map, dashboard", lambda s: browser(s, "dashboard")),
        row("time to map, bare st_folium page", lambda s: browser(s, "bare")),
    ]
    return table(["", *names], rows)


def _median_marks(marks: list[dict[str, float]], name: str) -> str:
    values = [m[name] for m in marks if name in m]
    return seconds(median(values)) if values else "–"


def milestone_table(real: dict[str, Any]) -> str:
    """Median time from navigation start to each milestone, per variant of the same map."""
    names = ["first element", "map iframe", "leaflet", "first line", "done"]
    labels = {"dashboard": "dashboard", "bare": "bare st_folium", "folium_html": "folium file"}
    rows = [
        [label, *(_median_marks(real[key].get("milestones", []), n) for n in names)]
        for key, label in labels.items()
        if key in real
    ]
    return table(["", "first element", "map iframe", "Leaflet up", "first line", "all lines"], rows)


def change_table(change: dict[str, Any]) -> str:
    """Median time from the click to each milestone of a scenario change."""
    marks = change.get("milestones", [])
    loads, fetches = change.get("component_loads", []), change.get("basemap_fetches", [])
    return table(
        [
            "new caption",
            "new map drawn alone",
            "nothing stale",
            "map component page loads",
            "basemap fetches",
        ],
        [
            [
                _median_marks(marks, "caption"),
                _median_marks(marks, "map"),
                _median_marks(marks, "done"),
                f"{median(loads):.0f}" if loads else "–",
                f"{median(fetches):.0f}" if fetches else "–",
            ]
        ],
    )


def markdown(results: dict[str, Any], rows: list[Row]) -> str:
    facts = results["machine"]
    lines = [
        "# Corridor Atlas benchmark",
        "",
        f"Run {results['started']} in {results['duration_seconds']:.0f} s on "
        f"{facts['cpu_count']} × {facts['cpu_model']}, {facts['memory_mib']:,} MiB, "
        f"Python {facts['python']}, Chromium {facts.get('chromium', '?')}, "
        f"load average {facts['load_average_at_start'][0]:.1f} at start, "
        f"{facts.get('load_average_at_end', [math.nan])[0]:.1f} at end.",
        "",
        "## Targets",
        "",
        summary_table(rows),
        "",
        "## Scale",
        "",
        scale_table(results["scale"]),
        "",
    ]
    real = results.get("browser", {})
    if real:
        lines += [
            "## Where the time to map goes (real catalogue, medians, from navigation start)",
            "",
            milestone_table(real),
            "",
        ]
    if real.get("scenario_change"):
        lines += [
            "## Scenario change (medians, from the click)",
            "",
            change_table(real["scenario_change"]),
            "",
        ]
    return "\n".join(lines)


def write(results: dict[str, Any], rows: list[Row], directory: Path) -> str:
    """Write results.json and results.md into `directory`; return the Markdown."""
    directory.mkdir(parents=True, exist_ok=True)
    results = {**results, "targets": [asdict(r) for r in rows]}
    (directory / "results.json").write_text(
        json.dumps(results, indent=2, default=str, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    text = markdown(results, rows)
    (directory / "results.md").write_text(text, encoding="utf-8")
    return text
