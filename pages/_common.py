"""
Streamlit glue shared by every page: the catalogue held per session, the sidebar, and caching.

This is the only place that knows session-state keys and query-parameter names; pages call
these helpers and the `geo` engine, then draw.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from geo.catalogue import Catalogue
from geo.errors import CatalogueError
from geo.loader import check_catalogue_file
from geo.maps import BASEMAPS
from geo.metrics import CorridorMetrics, evaluate_all
from geo.scenarios import ActiveScenario, apply_scenario
from geo.settings import default_catalogue_path
from geo.summary import summary

STATE_CATALOGUE = "catalogue"
"""Session key: this session's last good catalogue (an upload replaces it for this session)."""
STATE_CATALOGUE_KEY = "catalogue_key"
STATE_CATALOGUE_NAME = "catalogue_name"
STATE_PROBLEMS = "catalogue_problems"

PARAM_SCENARIO, PARAM_CORRIDORS, PARAM_BASEMAP, PARAM_SELECT = (
    "scenario",
    "corridors",
    "basemap",
    "select",
)


@dataclass(frozen=True)
class View:
    """What the sidebar chose: everything a page needs to evaluate and draw."""

    catalogue: Catalogue
    catalogue_key: str
    scenario_id: str
    corridors: list[str]
    basemap: str
    selected: str | None


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_file(path: str, mtime: float) -> tuple[Catalogue | None, list[Any]]:
    """Validate a catalogue file once per version of it (the key includes its mtime)."""
    return check_catalogue_file(path)


def session_catalogue() -> tuple[Catalogue, str] | None:
    """
    The session's catalogue and a key identifying its content, loading the default on first use.

    An invalid default shows every problem and returns None: the page stops with the report,
    never a traceback or a blank page.
    """
    if STATE_CATALOGUE in st.session_state:
        return st.session_state[STATE_CATALOGUE], st.session_state[STATE_CATALOGUE_KEY]
    path = default_catalogue_path()
    try:
        catalogue, problems = _load_file(str(path), path.stat().st_mtime if path.exists() else 0)
    except CatalogueError as exc:
        catalogue, problems = None, exc.problems
    st.session_state[STATE_PROBLEMS] = problems
    if catalogue is None:
        st.error(
            f"The catalogue `{path}` cannot be used. Fix these problems and reload:\n\n"
            + "\n".join(f"- `{p}`" for p in problems if p.severity == "error")
        )
        return None
    key = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    st.session_state[STATE_CATALOGUE] = catalogue
    st.session_state[STATE_CATALOGUE_KEY] = key
    st.session_state[STATE_CATALOGUE_NAME] = Path(path).name
    return catalogue, key


def _param_list(name: str) -> list[str]:
    raw = st.query_params.get(name, "")
    return [part for part in raw.split(",") if part][:50]


def sidebar(catalogue: Catalogue, catalogue_key: str) -> View:
    """Draw the shared sidebar, seeded from (and written back to) the URL's query string."""
    scenario_ids = [s.id for s in catalogue.scenarios]
    corridor_ids = [c.id for c in catalogue.corridors]
    notices = []

    wanted_scenario = st.query_params.get(PARAM_SCENARIO, "baseline")
    if wanted_scenario not in scenario_ids:
        notices.append(f"Unknown scenario in the link; showing `{scenario_ids[0]}`.")
        wanted_scenario = "baseline" if "baseline" in scenario_ids else scenario_ids[0]
    wanted_corridors = [c for c in _param_list(PARAM_CORRIDORS) if c in corridor_ids]
    if len(wanted_corridors) < len(_param_list(PARAM_CORRIDORS)):
        notices.append("Some corridors in the link are not in this catalogue and were left out.")
    wanted_basemap = st.query_params.get(PARAM_BASEMAP, "natural-earth")
    if wanted_basemap not in BASEMAPS:
        notices.append("Unknown basemap in the link; showing the offline borders.")
        wanted_basemap = "natural-earth"

    with st.sidebar:
        scenario_id = st.selectbox(
            "Scenario",
            scenario_ids,
            index=scenario_ids.index(wanted_scenario),
            format_func=lambda i: catalogue.scenario(i).name,
            key="sidebar_scenario",
        )
        st.caption(catalogue.scenario(scenario_id).description)
        corridors = st.multiselect(
            "Corridors",
            corridor_ids,
            default=wanted_corridors or corridor_ids,
            format_func=lambda i: catalogue.corridor(i).name,
            key="sidebar_corridors",
        )
        basemap = st.selectbox(
            "Basemap",
            list(BASEMAPS),
            index=list(BASEMAPS).index(wanted_basemap),
            format_func=lambda b: BASEMAPS[b]["label"],
            key="sidebar_basemap",
            help="Only the first is offline; the others fetch map tiles from their providers.",
        )
        for notice in notices:
            st.warning(notice)

    selected = st.query_params.get(PARAM_SELECT)
    if selected not in corridors:
        selected = None
    st.query_params[PARAM_SCENARIO] = scenario_id
    st.query_params[PARAM_CORRIDORS] = ",".join(corridors)
    st.query_params[PARAM_BASEMAP] = basemap
    return View(catalogue, catalogue_key, scenario_id, corridors, basemap, selected)


@st.cache_resource(show_spinner=False, max_entries=64)
def scenario_results(
    catalogue_key: str, _catalogue: Catalogue, scenario_id: str
) -> tuple[ActiveScenario, list[CorridorMetrics], dict[str, Any]]:
    """Metrics of every corridor under a preset, computed once per catalogue and scenario."""
    active = apply_scenario(_catalogue, scenario_id)
    return active, evaluate_all(_catalogue, active), summary(_catalogue, active)


def set_selected(corridor_id: str | None) -> None:
    if corridor_id:
        st.query_params[PARAM_SELECT] = corridor_id
    elif PARAM_SELECT in st.query_params:
        del st.query_params[PARAM_SELECT]


UNITS_NOTE = (
    "Model figures under the chosen scenario; distance km, time days, cost USD per FEU (40-ft)."
)


def comparison_frame(data: dict[str, Any], corridors: list[str]) -> Any:
    """The comparison as a styled DataFrame; the best passable value per column in bold green."""
    import pandas as pd

    from geo.summary import COLUMNS, best_corridors, flat_row, hops

    records = [r for r in data["corridors"] if r["id"] in corridors]
    rows = []
    for record in records:
        row = flat_row(record)
        row["name"] = record["name"]
        row["hops"] = hops(record)
        rows.append(row)
    headings = dict(COLUMNS)
    headings.update(name="corridor", id="id", hops="hops (total)", passable="passable")
    order = [
        "name",
        "passable",
        "distance_km",
        "transit_days",
        "cost_usd_per_feu",
        "hops",
        "border_crossings",
        "transshipments",
        "gauge_breaks",
        "exposure_score",
        "blocked_by",
    ]
    frame = pd.DataFrame(rows, columns=[*order, "id"]).set_index("id")
    best = best_corridors({"corridors": records})

    def mark(column: Any) -> list[str]:
        winners = best.get(column.name, [])
        return [
            "font-weight: bold; color: #006d2c; background: #e5f5e0" if cid in winners else ""
            for cid in column.index
        ]

    shown = frame[order].rename(columns=headings)
    styler = shown.style.apply(
        lambda col: mark(col.rename(_key_of(col.name, headings))), axis=0
    ).format(
        {
            headings["transit_days"]: "{:.1f}",
            headings["distance_km"]: "{:,.0f}",
            headings["cost_usd_per_feu"]: "{:,.0f}",
            headings["exposure_score"]: "{:.1f}",
        }
    )
    styler = styler.apply(
        lambda row: ["color: #999" if not frame.loc[row.name, "passable"] else "" for _ in row],
        axis=1,
    )
    return styler


def _key_of(heading: str, headings: dict[str, str]) -> str:
    return next((key for key, value in headings.items() if value == heading), heading)


def headline(data: dict[str, Any], corridors: list[str], catalogue: Catalogue) -> None:
    """Four cards: cheapest, fastest, fewest hops, lowest exposure among passable corridors."""
    from geo.summary import BEST_BY, best_corridors, hops

    records = {r["id"]: r for r in data["corridors"] if r["id"] in corridors}
    best = best_corridors({"corridors": list(records.values())})
    cards = st.columns(4)
    shown = {
        "cost_usd_per_feu": lambda r: f"${r['cost_usd_per_feu']:,} per FEU",
        "transit_days": lambda r: f"{r['transit_days']:.1f} days",
        "hops": lambda r: f"{hops(r)} hops",
        "exposure_score": lambda r: f"exposure {r['exposure']['score']:.0f}/100",
    }
    for card, (column, describe) in zip(cards, shown.items(), strict=True):
        winners = best.get(column, [])
        with card:
            if winners:
                names = " / ".join(catalogue.corridor(w).name for w in winners)
                st.metric(BEST_BY[column].capitalize(), names)
                st.caption(describe(records[winners[0]]))
            else:
                st.metric(BEST_BY[column].capitalize(), "none passable")
