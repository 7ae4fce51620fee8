"""
In-process measurements: validation, scenario evaluation, map build and payload, AppTest reruns
of the dashboard script, and exports. Everything goes through the app's public functions.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geo.geometry
import geo.loader
import geo.validate
import geo.yamlread
from geo.assets import published_url
from geo.catalogue import Catalogue
from geo.mapdata import MapData, map_data
from geo.maps import atlas_layers, corridor_map, fetched
from geo.metrics import CorridorMetrics, evaluate_all
from geo.palette import corridor_styles
from geo.scenarios import apply_scenario
from geo.settings import CATALOGUE_ENV, REPO_ROOT

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.element_tree import Selectbox


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by `action()`, and what it returned."""
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def _select_and_run(widget: Selectbox[str], choice: str) -> AppTest:
    """Pick `choice` in an AppTest select box and rerun the app."""
    return widget.select(choice).run()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def repeat(action: Callable[[], Any], runs: int) -> list[float]:
    return [timed(action)[0] for _ in range(runs)]


VALIDATION_STEPS: dict[str, tuple[Any, str]] = {
    "yaml_seconds": (geo.loader, "_parse_yaml"),
    "cross_check_seconds": (geo.validate, "cross_check"),
    "searoute_seconds": (geo.geometry, "sea_lane"),
}
"""Steps of `check_catalogue_bytes` timed apart (the rest is the pydantic schema)."""


@contextmanager
def clocks(targets: dict[str, tuple[Any, str]]) -> Iterator[dict[str, float | None]]:
    """
    Accumulate the seconds spent in each module function named in `targets` inside the block,
    by wrapping it for the block's duration (bench process only; callers look it up at call
    time). A function that no longer exists is reported as None instead of failing the run.
    """
    present = {k: t for k, t in targets.items() if callable(getattr(t[0], t[1], None))}
    spent: dict[str, float | None] = {key: 0.0 if key in present else None for key in targets}
    saved = {key: getattr(module, name) for key, (module, name) in present.items()}

    def clocked(key: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] = (spent[key] or 0.0) + time.perf_counter() - start

        return wrapper

    for key, (module, name) in present.items():
        setattr(module, name, clocked(key, saved[key]))
    try:
        yield spent
    finally:
        for key, (module, name) in present.items():
            setattr(module, name, saved[key])


def validate(data: bytes) -> dict[str, Any]:
    """
    `check_catalogue_bytes` once, with the limits of a file the operator names (as the dashboard
    reads it), cold for this catalogue's sea lanes: its verdict and the time spent parsing YAML,
    in the cross-record checks and, within those, in searoute.
    """
    limits = geo.yamlread.file_limits()
    with clocks(VALIDATION_STEPS) as steps:
        seconds, (catalogue, problems) = timed(
            lambda: geo.loader.check_catalogue_bytes(data, name="synthetic.yaml", limits=limits)
        )
    errors = [p.message for p in problems if p.severity == "error"]
    return {
        "seconds": seconds,
        **steps,
        "accepted": catalogue is not None,
        "errors": errors[:3],
        "warnings": sum(1 for p in problems if p.severity != "error"),
        "catalogue": catalogue,
    }


def counts(catalogue: Catalogue) -> dict[str, int]:
    return {
        "nodes": len(catalogue.nodes),
        "legs": len(catalogue.legs),
        "corridors": len(catalogue.corridors),
        "leg_features": sum(len(c.legs) for c in catalogue.corridors),
    }


def closed_lines(catalogue: Catalogue, scenario: str) -> int:
    """Grey (closed) line features the map draws for every corridor under a scenario."""
    results = evaluate_all(catalogue, apply_scenario(catalogue, scenario))
    return sum(1 for r in results for leg in r.legs if leg.closure is not None)


def evaluation(catalogue: Catalogue, scenario: str, runs: int) -> list[float]:
    """`apply_scenario` + `evaluate_all`, as the dashboard does per new scenario."""
    return repeat(lambda: evaluate_all(catalogue, apply_scenario(catalogue, scenario)), runs)


def dashboard_map(
    catalogue: Catalogue, results: list[CorridorMetrics], data: MapData | None = None
) -> Any:
    """
    The map as the map page builds it for the operator's catalogue: basemap fetched by the
    browser, and the data too above the `fetch_above` setting (the URL is the one
    `published_map_data` would return; nothing is written).
    """
    data = data or map_data(catalogue, results, corridor_styles(catalogue))
    url = published_url(data.bundle_name) if fetched(data) else None
    return corridor_map(
        catalogue,
        results,
        basemap="natural-earth",
        embed_basemap=False,
        data=data,
        data_url=url,
        live=True,
    )


def map_build(catalogue: Catalogue, results: list[CorridorMetrics], runs: int) -> dict[str, Any]:
    """
    Map data, its JSON, and `corridor_map(..., embed_basemap=False)` + `get_root().render()`:
    seconds, and the HTML's and the data's bytes.
    """
    seconds, html, bundle = [], "", ""
    for _ in range(runs):

        def build() -> tuple[str, str]:
            data = map_data(catalogue, results, corridor_styles(catalogue))
            return dashboard_map(catalogue, results, data).get_root().render(), data.bundle

        elapsed, (html, bundle) = timed(build)
        seconds.append(elapsed)
    return {
        "seconds": seconds,
        "html_bytes": len(html.encode("utf-8")),
        "data_bytes": len(bundle.encode("utf-8")),
    }


def st_folium_payload(catalogue: Catalogue, results: list[CorridorMetrics]) -> dict[str, Any]:
    """
    What reaches the browser for this map, as the map page sends it: `st_folium`'s arguments
    (the component function is swapped for a recorder; nothing is sent) and the data file the
    map then fetches. Also the arguments with the data embedded, as for an uploaded catalogue.
    """
    import streamlit_folium

    data = map_data(catalogue, results, corridor_styles(catalogue))
    bundle = data.bundle

    def sent(folium_map: Any) -> tuple[float, dict[str, Any]]:
        captured: dict[str, Any] = {}
        original = streamlit_folium._component_func
        streamlit_folium._component_func = lambda **kwargs: captured.update(kwargs)
        try:
            elapsed, _ = timed(
                lambda: streamlit_folium.st_folium(
                    folium_map,
                    feature_group_to_add=atlas_layers(folium_map),
                    key="corridor-map",
                    height=640,  # as pages/map.py MAP_HEIGHT
                    use_container_width=True,
                    returned_objects=[],
                    render=False,
                )
            )
        finally:
            streamlit_folium._component_func = original
        return elapsed, {k: v for k, v in captured.items() if not callable(v)}

    seconds, args = sent(dashboard_map(catalogue, results, data))
    embedded_seconds, embedded = sent(
        corridor_map(catalogue, results, embed_basemap=False, data=data, live=True)
    )
    message = len(json.dumps(args, ensure_ascii=False).encode("utf-8"))
    data_bytes = len(bundle.encode("utf-8")) if fetched(data) else 0
    return {
        "seconds": seconds,
        "fetched": fetched(data),
        "message_bytes": message,
        "data_bytes": data_bytes,
        "bytes": message + data_bytes,
        "embedded_bytes": len(json.dumps(embedded, ensure_ascii=False).encode("utf-8")),
        "embedded_seconds": embedded_seconds,
        "script_bytes": len(str(args.get("script", "")).encode("utf-8")),
        "breakdown": data_breakdown(bundle, str(args.get("script", ""))),
    }


def data_breakdown(bundle: str, script: str) -> dict[str, int]:
    """
    Bytes of what the map's browser receives, by what they carry: each shared table of the
    data (strings, styles, line geometry, popups, sources), the line and node rows, and the
    rest of the map's script (code, legend, CSS).
    """

    def compact(value: Any) -> int:
        return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))

    data = json.loads(bundle)
    parts = {f"shared {key}": compact(value) for key, value in data["shared"].items()}
    parts["node rows"] = compact(data["parts"].pop("nodes"))
    parts["line rows"] = sum(compact(rows) for rows in data["parts"].values())
    inside = len(bundle.encode("utf-8")) if bundle in script else 0
    parts["script (code, legend, CSS)"] = len(script.encode("utf-8")) - inside
    return dict(sorted(parts.items(), key=lambda item: -item[1]))


def apptest_reruns(
    catalogue_path: Path, scenarios: tuple[str, str], changes: int
) -> dict[str, Any]:
    """
    The dashboard script under `AppTest`: first run, then `changes` scenario changes made in
    the sidebar's Scenario box, alternating between `scenarios`. AppTest's own overhead (running
    the script in-process and walking its element tree) is included in every figure.
    """
    from streamlit.testing.v1 import AppTest

    saved = os.environ.get(CATALOGUE_ENV)
    os.environ[CATALOGUE_ENV] = str(catalogue_path)
    try:
        at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=600)
        first, _ = timed(at.run)
        if at.exception:
            raise RuntimeError(f"dashboard raised under AppTest: {at.exception[0].message}")
        box = next(s for s in at.sidebar.selectbox if s.label == "Scenario")
        reruns = []
        for index in range(changes):
            chosen = scenarios[index % 2]
            box = next(s for s in at.sidebar.selectbox if s.label == "Scenario")
            elapsed, _ = timed(partial(_select_and_run, box, chosen))
            if at.exception:
                raise RuntimeError(f"dashboard raised under AppTest: {at.exception[0].message}")
            reruns.append(elapsed)
        return {"first_run_seconds": first, "rerun_seconds": reruns}
    finally:
        if saved is None:
            os.environ.pop(CATALOGUE_ENV, None)
        else:
            os.environ[CATALOGUE_ENV] = saved


def exports(catalogue: Catalogue, runs: int) -> dict[str, Any]:
    """PNG figure and XLSX table of the baseline: the first call, then `runs` warm ones."""
    try:
        from geo.exports import export_bytes
    except Exception as exc:  # the module is being written alongside; absent means not measured
        return {"available": False, "reason": f"geo.exports not importable: {exc}"}
    active = apply_scenario(catalogue, "baseline")
    out: dict[str, Any] = {"available": True}
    for fmt in ("png", "xlsx"):
        try:
            export = partial(export_bytes, catalogue, active, fmt=fmt)
            first, data = timed(export)
            warm = repeat(export, runs)
        except Exception as exc:
            out[fmt] = {"available": False, "reason": f"{type(exc).__name__}: {exc}"}
            continue
        out[fmt] = {"available": True, "first_seconds": first, "seconds": warm, "bytes": len(data)}
    return out
