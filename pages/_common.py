"""
Streamlit glue shared by every page: the catalogue held per session, the sidebar, and caching.

This is the only place that knows session-state keys and query-parameter names; pages call
these helpers and the `geo` engine, then draw.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import streamlit as st

from geo.catalogue import Catalogue, Scenario
from geo.errors import CatalogueError
from geo.i18n import LANGUAGES, Translate, localized, translator
from geo.loader import FILE_LIMITS, check_catalogue_bytes, read_catalogue_file
from geo.mapdata import MapData, map_data
from geo.maps import BASEMAPS, corridor_styles, published_map_data
from geo.metrics import CorridorMetrics, evaluate_all
from geo.routing import detours
from geo.scenarios import (
    BASELINE,
    ActiveScenario,
    Adjustments,
    apply_scenario,
    customise,
    scenario_changes,
)
from geo.settings import default_catalogue_path
from geo.summary import summary
from geo.viewstate import WEIGHT_KEYS, ViewState, link_language, parse_query, to_query

STATE_CATALOGUE = "catalogue"
"""Session key: this session's last good catalogue (an upload replaces it for this session)."""
STATE_CATALOGUE_KEY = "catalogue_key"
STATE_CATALOGUE_NAME = "catalogue_name"
STATE_CATALOGUE_UPLOADED = "catalogue_uploaded"
STATE_PROBLEMS = "catalogue_problems"
STATE_MAP_PICK = "map_pick_at"
STATE_CATALOGUE_BYTES = "catalogue_bytes"
STATE_UPLOAD_ERRORS = "upload_errors"

PARAM_SELECT = "select"
"""The one query parameter pages set directly; the rest go through geo.viewstate."""


MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """Catalogue text made inert for st.markdown: no links, images, HTML or formatting."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


TABLE_CSS = """
<style>
.ca-table { overflow-x: auto; }
.ca-table table { border-collapse: collapse; font-size: 0.85rem; }
.ca-table th, .ca-table td { padding: 0.25rem 0.4rem; border-bottom: 1px solid #e6e6e6; }
.ca-table th { text-align: left; vertical-align: bottom; }
.ca-table .num { text-align: right; white-space: nowrap; }
.ca-table th.num { text-align: right; }
.ca-table td:first-child, .ca-table th:first-child { min-width: 13rem; }
.ca-table td:last-child, .ca-table th:last-child { min-width: 11rem; }
.ca-table tr.blocked td { color: #999; }
</style>
"""
"""The static comparison table: room for corridor names, compact figures, blocked rows grey."""
TEXT_COLUMNS = ("name", "blocked_by")

MANY_CORRIDORS = 30
"""Above this many corridors, lists that name every corridor are folded or switched off until
asked for: at 800 they took the browser over a second before it drew the map."""

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header,
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
.st-key-select_corridor, .st-key-presentation_exit { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1rem !important; }
</style>
"""
"""What presentation mode hides: the sidebar, Streamlit's header and toolbar, and controls."""


@dataclass(frozen=True)
class View:
    """What the sidebar chose: everything a page needs to evaluate and draw."""

    catalogue: Catalogue
    catalogue_key: str
    state: ViewState
    scenario: Scenario

    @property
    def corridors(self) -> list[str]:
        return list(self.state.corridors)

    @property
    def selected(self) -> str | None:
        return self.state.selected

    @property
    def basemap(self) -> str:
        return self.state.basemap

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def t(self) -> Translate:
        return translator(self.state.lang)

    def name(self, record: Any) -> str:
        """A catalogue record's name in the view's language (English where none is given)."""
        return localized(record, self.state.lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_file(path: str, mtime: float) -> tuple[Catalogue | None, list[Any], bytes, str]:
    """
    Validate a catalogue file once per version of it (the key includes its mtime). Its bytes
    (for download) and content key are kept here too, shared by every session, not copied.
    """
    data = read_catalogue_file(path)  # read once: the bytes kept are the bytes validated
    catalogue, problems = check_catalogue_bytes(data, name=path, limits=FILE_LIMITS)
    return catalogue, problems, data, content_key(data)


def enter_through_dashboard() -> None:
    """
    Run this page inside dashboard.py's navigation, even when a link to it is the first request
    a new server gets.

    Until some session has called `st.navigation`, Streamlit treats a `pages/` folder as the
    old kind of multipage app: a link such as `/compare?scenario=…` ran pages/compare.py on its
    own, without the page set-up, titles and layout of dashboard.py, and listed every file in
    pages/ as a page ("common" included). Clearing the flag that `st.navigation` clears on its
    first call, and running again, routes the same link through dashboard.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):  # a Streamlit internal; if it
        PagesManager.uses_pages_directory = False  # goes, this does nothing and a test fails
        st.rerun()


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
        mtime = path.stat().st_mtime if path.exists() else 0
        catalogue, problems, data, key = _load_file(str(path), mtime)
    except CatalogueError as exc:
        catalogue, problems = None, exc.problems
    st.session_state[STATE_PROBLEMS] = problems
    if catalogue is None:
        t = translator(link_language(_query()))
        st.error(
            t("app.catalogue_unusable", path=md(path))
            + "\n\n"
            + "\n".join(f"- {md(p.render(t))}" for p in problems if p.severity == "error")
        )
        return None
    _remember(catalogue, data, Path(path).name, problems, key, uploaded=False)
    return catalogue, key


def content_key(data: bytes) -> str:
    """A short key for a catalogue's content: caches and widget keys follow it."""
    return hashlib.sha256(data).hexdigest()[:16]


def _remember(
    catalogue: Catalogue, data: bytes, name: str, problems: list[Any], key: str, *, uploaded: bool
) -> None:
    st.session_state[STATE_CATALOGUE] = catalogue
    st.session_state[STATE_CATALOGUE_UPLOADED] = uploaded
    st.session_state[STATE_CATALOGUE_KEY] = key
    st.session_state[STATE_CATALOGUE_NAME] = name
    st.session_state[STATE_CATALOGUE_BYTES] = data
    st.session_state[STATE_PROBLEMS] = problems


def page_view() -> View:
    """Every page's start: the session's catalogue and the sidebar; stops with the report if the
    catalogue cannot be used, so a page never draws on nothing."""
    enter_through_dashboard()
    loaded = session_catalogue()
    if loaded is None:
        st.stop()
    catalogue, catalogue_key = loaded  # type: ignore[misc]
    view = sidebar(catalogue, catalogue_key)
    if view.state.present:
        st.html(PRESENTATION_CSS)
    return view


def unfolded(label: str, *, items: int, key: str) -> Any:
    """
    Where a section listing `items` corridors goes: the page, or above `MANY_CORRIDORS` an
    expander whose content is built only while it is open (None while folded).
    """
    if items <= MANY_CORRIDORS:
        return st.container()
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def presentation_exit(view: View) -> None:
    """A way back from presentation mode, at the foot of the page (out of the screenshot)."""
    if view.state.present and st.button(
        view.t("app.exit_presentation"), key="presentation_exit_button"
    ):
        st.query_params["present"] = "0"
        st.session_state[f"present_{view.catalogue_key}"] = False
        st.rerun()


def use_uploaded_catalogue(data: bytes, name: str) -> list[Any]:
    """
    Validate an upload; if it is usable it replaces this session's catalogue (no one else's).

    Returns the problems found. On errors the last good catalogue stays in place.
    """
    catalogue, problems = check_catalogue_bytes(data, name=name)
    if catalogue is not None:
        _remember(catalogue, data, name, problems, content_key(data), uploaded=True)
    return problems


def current_catalogue_bytes() -> tuple[str, bytes]:
    """The session's catalogue file, for download: whatever is in use is never lost."""
    return (
        st.session_state.get(STATE_CATALOGUE_NAME, "corridors.yaml"),
        st.session_state.get(STATE_CATALOGUE_BYTES, b""),
    )


def _query() -> dict[str, str]:
    return {key: st.query_params.get(key, "") for key in st.query_params}


def sidebar(catalogue: Catalogue, catalogue_key: str) -> View:
    """
    Draw the shared sidebar, seeded from the URL's query string and written back to it, so the
    link always reproduces what is on screen.
    """
    lang = link_language(_query())
    t = translator(lang)
    state, notices = parse_query(_query(), catalogue, t=t)
    scenario_ids = [s.id for s in catalogue.scenarios]
    adjust = state.adjustments
    with st.sidebar:
        chosen_lang = (
            st.segmented_control(
                t("sidebar.language"),
                list(LANGUAGES),
                default=lang,
                format_func=LANGUAGES.get,
                key=f"sidebar_lang_{lang}",
            )
            or lang
        )
        scenario_id = st.selectbox(
            t("sidebar.scenario"),
            scenario_ids,
            index=scenario_ids.index(state.scenario),
            format_func=lambda i: localized(catalogue.scenario(i), lang),
            key=f"sidebar_scenario_{catalogue_key}",
        )
        st.caption(md(localized(catalogue.scenario(scenario_id), lang, "description")))
        changes_box = st.container()
        corridors = _corridor_picker(catalogue, catalogue_key, state, t, lang)
        adjuster = st.expander(
            t("sidebar.adjust"),
            expanded=not adjust.empty,
            key=f"adjust_{catalogue_key}",
            on_change="rerun",  # its controls are built only while it is open
        )
        defaults = catalogue.parameters.exposure.weights.model_dump()
        weights = tuple((state.weights_dict() or defaults)[name] for name in WEIGHT_KEYS)
        if adjuster.open:
            with adjuster:
                adjust, weights = _adjust_controls(catalogue, catalogue_key, state, t, lang)
        basemap = st.selectbox(
            t("sidebar.basemap"),
            list(BASEMAPS),
            index=list(BASEMAPS).index(state.basemap),
            format_func=lambda b: t(f"basemap.{b}"),
            key=f"sidebar_basemap_{catalogue_key}",
            help=t("sidebar.basemap_help"),
        )
        present = st.toggle(
            t("sidebar.present"),
            value=state.present,
            key=f"present_{catalogue_key}",
            help=t("sidebar.present_help"),
        )
        for notice in notices:
            st.warning(md(notice))
    chosen_weights = None if weights == tuple(defaults[k] for k in WEIGHT_KEYS) else weights
    if sum(weights) <= 0:
        chosen_weights = None
        st.sidebar.warning(t("sidebar.weights_zero"))
    new_state = ViewState(
        scenario=scenario_id,
        adjustments=adjust,
        corridors=tuple(corridors),
        basemap=basemap,
        selected=state.selected if state.selected in corridors else None,
        weights=chosen_weights,  # type: ignore[arg-type]
        present=present,
        lang=chosen_lang,
    )
    params = to_query(new_state, catalogue)
    if params != _query():
        st.query_params.from_dict(params)
    if chosen_lang != lang:
        st.rerun()  # page titles and every label follow the new language
    scenario = customise(catalogue, catalogue.scenario(scenario_id), adjust)
    with changes_box:
        changes = scenario_changes(catalogue, scenario, t=t, lang=lang)
        if changes:
            st.markdown(f"**{t('sidebar.changes')}**\n" + "".join(f"\n- {md(c)}" for c in changes))
    return View(catalogue, catalogue_key, new_state, scenario)


def _corridor_picker(
    catalogue: Catalogue, catalogue_key: str, state: ViewState, t: Translate, lang: str
) -> list[str]:
    """
    The corridors to show: chips to pick from, or above `MANY_CORRIDORS` a switch for all of
    them, with the chips only once it is off (hundreds of chips took the browser 0.4 s to draw,
    and are no way to choose).
    """
    corridor_ids = [c.id for c in catalogue.corridors]
    chosen = list(state.corridors)
    if len(corridor_ids) > MANY_CORRIDORS:
        every = st.toggle(
            t("sidebar.all_corridors", count=len(corridor_ids)),
            value=set(chosen) == set(corridor_ids),
            key=f"sidebar_all_corridors_{catalogue_key}",
        )
        if every:
            return corridor_ids
        if set(chosen) == set(corridor_ids):
            chosen = []
    return st.multiselect(
        t("sidebar.corridors"),
        corridor_ids,
        default=chosen,
        format_func=lambda i: localized(catalogue.corridor(i), lang),
        placeholder=t("sidebar.choose"),
        key=f"sidebar_corridors_{catalogue_key}",
    )


def _adjust_controls(
    catalogue: Catalogue, catalogue_key: str, state: ViewState, t: Translate, lang: str
) -> tuple[Adjustments, tuple[float, ...]]:
    """The scenario's fine controls, drawn only while "Adjust the scenario" is open: eleven
    widgets a first visit does not need before the map."""
    current = state.adjustments

    def closed(kind: str, options: list[str], chosen: tuple[str, ...], name: Any = str) -> Any:
        return tuple(
            st.multiselect(
                t(f"sidebar.close_{kind}"),
                options,
                default=list(chosen),
                format_func=name,
                placeholder=t("sidebar.choose"),
                key=f"adj_{kind}_{catalogue_key}",
            )
        )

    adjust = Adjustments(
        close_countries=closed(
            "countries",
            [c.code for c in catalogue.countries],
            current.close_countries,
            lambda c: localized(catalogue.country(c), lang),
        ),
        close_nodes=closed(
            "nodes",
            [n.id for n in catalogue.nodes],
            current.close_nodes,
            lambda n: localized(catalogue.node(n), lang),
        ),
        close_legs=closed("legs", [leg.id for leg in catalogue.legs], current.close_legs),
        open_legs=current.open_legs,
        open_all_planned=st.checkbox(
            t("sidebar.open_planned"),
            value=current.open_all_planned,
            key=f"adj_open_planned_{catalogue_key}",
        ),
        border_dwell_factor=st.slider(
            t("sidebar.dwell_factor"),
            0.25,
            4.0,
            float(current.border_dwell_factor),
            0.25,
            key=f"adj_dwell_{catalogue_key}",
        ),
        cost_factor=st.slider(
            t("sidebar.cost_factor"),
            0.5,
            3.0,
            float(current.cost_factor),
            0.05,
            key=f"adj_cost_{catalogue_key}",
        ),
    )
    defaults = catalogue.parameters.exposure.weights.model_dump()
    start = state.weights_dict() or defaults
    weights = tuple(
        st.slider(
            t("sidebar.weight", name=t(f"exposure.{name}")),
            0.0,
            1.0,
            float(start[name]),
            0.05,
            key=f"adj_w_{name}_{catalogue_key}",
        )
        for name in WEIGHT_KEYS
    )
    return adjust, weights


@st.cache_resource(show_spinner=False, max_entries=64)
def _results(
    catalogue_key: str,
    scenario_key: str,
    _catalogue: Catalogue,
    _scenario: Scenario,
    weights: tuple[float, ...] | None,
) -> tuple[ActiveScenario, list[CorridorMetrics], dict[str, Any]]:
    active = apply_scenario(_catalogue, _scenario)
    named = dict(zip(WEIGHT_KEYS, weights, strict=True)) if weights else None
    return (
        active,
        evaluate_all(_catalogue, active, weights=named),
        summary(_catalogue, active, weights=named),
    )


def _scenario_key(scenario: Scenario) -> str:
    """A cache key for a scenario's content (adjusted scenarios have no id of their own)."""
    return json.dumps(scenario.model_dump(mode="json"), sort_keys=True)


def scenario_results(view: View) -> tuple[ActiveScenario, list[CorridorMetrics], dict[str, Any]]:
    """Metrics of every corridor under the view's scenario, once per catalogue and scenario."""
    key = _scenario_key(view.scenario)
    return _results(view.catalogue_key, key, view.catalogue, view.scenario, view.state.weights)


@st.cache_resource(show_spinner=False, max_entries=6)
def _map_data(
    catalogue_key: str,
    scenario_key: str,
    *,
    weights: tuple[float, ...] | None,
    shown: tuple[str, ...],
    highlight: str | None,
    lang: str,
    _catalogue: Catalogue,
    _results: list[CorridorMetrics],
) -> MapData:
    styles = corridor_styles(_catalogue, lang)
    return map_data(
        _catalogue, _results, styles, highlight=highlight, t=translator(lang), lang=lang
    )


def map_data_url(data: MapData) -> str | None:
    """
    Where the browser fetches the map's data: published among the static files for the
    operator's catalogue, which every visitor sees anyway. An upload is this session's alone,
    so its data stays inside the session's own message (None: embedded), never on disk.
    """
    if st.session_state.get(STATE_CATALOGUE_UPLOADED, True):
        return None
    return published_map_data(data)


def view_map_data(view: View, shown: list[CorridorMetrics]) -> MapData:
    """
    The map's data for the shown corridors, once per catalogue, scenario, corridors, highlight
    and language: a rerun that changes none of them (a pick, a language round trip) reuses it.
    """
    key = _scenario_key(view.scenario)
    ids = tuple(r.corridor_id for r in shown)
    return _map_data(
        view.catalogue_key,
        key,
        weights=view.state.weights,
        shown=ids,
        highlight=view.selected,
        lang=view.lang,
        _catalogue=view.catalogue,
        _results=shown,
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _detours(
    catalogue_key: str,
    scenario_key: str,
    _catalogue: Catalogue,
    _active: ActiveScenario,
    _results: list[CorridorMetrics],
) -> dict[str, Any]:
    return detours(_catalogue, _active, [r for r in _results if not r.passable])


def scenario_detours(view: View) -> dict[str, Any]:
    """Best open detour per impassable corridor, searched once per catalogue and scenario."""
    active, results, _ = scenario_results(view)
    key = _scenario_key(view.scenario)
    return _detours(view.catalogue_key, key, view.catalogue, active, results)


def preset_results(
    view: View, scenario_id: str = BASELINE
) -> tuple[ActiveScenario, list[CorridorMetrics], dict[str, Any]]:
    """The same view under an unadjusted preset (the baseline by default), for deltas."""
    preset = view.catalogue.scenario(scenario_id)
    key = _scenario_key(preset)
    return _results(view.catalogue_key, key, view.catalogue, preset, view.state.weights)


def baseline_results(view: View) -> tuple[ActiveScenario, list[CorridorMetrics], dict[str, Any]]:
    return preset_results(view, BASELINE)


def map_pick(value: Any, view: View) -> str | None:
    """
    The corridor picked with a button in a map popup, acted on once.

    The pick stays as the map's value until the map is rebuilt, so each carries the time it
    was made and a pick no newer than the last one acted on is ignored; the id must be shown.
    """
    if not isinstance(value, dict):
        return None
    corridor, at = value.get("ca_select"), value.get("at")
    if corridor not in view.corridors or not isinstance(at, int | float):
        return None
    if at <= st.session_state.get(STATE_MAP_PICK, 0):
        return None
    st.session_state[STATE_MAP_PICK] = at
    return str(corridor)


def set_selected(corridor_id: str | None) -> None:
    if corridor_id:
        st.query_params[PARAM_SELECT] = corridor_id
    elif PARAM_SELECT in st.query_params:
        del st.query_params[PARAM_SELECT]


def comparison_table(
    view: View, data: dict[str, Any], baseline: dict[str, Any] | None = None
) -> tuple[Any, list[str], dict[str, list[str]]]:
    """
    The comparison as a DataFrame indexed by corridor id, its shown columns in order, and the
    best passable corridors per column; deltas against the baseline when a scenario is active.
    """
    import pandas as pd

    from geo.summary import DELTA_COLUMNS, best_corridors, blocked_by_text, deltas, flat_row, hops

    t, catalogue = view.t, view.catalogue
    records = [r for r in data["corridors"] if r["id"] in view.corridors]
    rows = []
    for record in records:
        row = flat_row(record)
        row["name"] = view.name(catalogue.corridor(record["id"]))
        row["hops"] = hops(record)
        row["blocked_by"] = blocked_by_text(
            record["blocked_by"], catalogue=catalogue, t=t, lang=view.lang
        )
        rows.append(row)
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
    if baseline is not None and data["scenario"]["id"] != baseline["scenario"]["id"]:
        changes = deltas(data, baseline)
        for row in rows:
            row.update({f"delta.{k}": v for k, v in changes[row["id"]].items()})
        order = [*order[:-1], *(f"delta.{k}" for k in DELTA_COLUMNS), order[-1]]
    frame = pd.DataFrame(rows, columns=[*order, "id"]).set_index("id")
    return frame, order, best_corridors({"corridors": records})


NUMBER_FORMATS = {
    "transit_days": "{:.1f}",
    "distance_km": "{:,.0f}",
    "cost_usd_per_feu": "{:,.0f}",
    "exposure_score": "{:.1f}",
}


def comparison_frame(
    view: View, data: dict[str, Any], baseline: dict[str, Any] | None = None
) -> Any:
    """The comparison as a styled, sortable DataFrame; the best value per column bold green."""
    frame, order, best = comparison_table(view, data, baseline)
    headings = {key: view.t(f"col.{key}") for key in order}
    keys = {heading: key for key, heading in headings.items()}

    def mark(column: Any) -> list[str]:
        winners = best.get(keys[column.name], [])
        return [
            "font-weight: bold; color: #006d2c; background: #e5f5e0" if cid in winners else ""
            for cid in column.index
        ]

    shown = frame[order].rename(columns=headings)
    styler = shown.style.apply(mark, axis=0).format(
        {headings[key]: pattern for key, pattern in NUMBER_FORMATS.items()}
    )
    return styler.apply(
        lambda row: ["color: #999" if not frame.loc[row.name, "passable"] else "" for _ in row],
        axis=1,
    )


def comparison_html(
    view: View, data: dict[str, Any], baseline: dict[str, Any] | None = None
) -> str:
    """
    The comparison as a static HTML table: selectable and pasted into a briefing as a table, and
    cheap for the browser (no data grid, no Markdown parser), so it never delays the map.
    """
    frame, order, best = comparison_table(view, data, baseline)
    kinds = {key: "text" if key in TEXT_COLUMNS else "num" for key in order}
    head = "".join(f'<th class="{kinds[k]}">{html.escape(view.t(f"col.{k}"))}</th>' for k in order)
    rows = []
    for cid, row in frame.iterrows():
        cells = []
        for key in order:
            text = comparison_cell(key, row[key])
            bold = cid in best.get(key, [])
            cells.append(f'<td class="{kinds[key]}">{f"<b>{text}</b>" if bold else text}</td>')
        state = "open" if row["passable"] else "blocked"
        rows.append(f'<tr class="{state}">{"".join(cells)}</tr>')
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f'{TABLE_CSS}<div class="ca-table">{table}</div>'


def comparison_cell(key: str, value: Any) -> str:
    """One figure of the comparison as shown (HTML-escaped): deltas signed, missing as a dash."""
    if key == "passable":
        return "✓" if value else "✗"
    if value is None or (isinstance(value, Real) and math.isnan(value)):
        return "–"  # no delta: impassable in one of the two scenarios
    if key.startswith("delta."):
        return (
            "0"
            if value == 0
            else f"{value:+,}"
            if isinstance(value, Integral)
            else f"{value:+,.1f}"
        )
    if isinstance(value, Real):
        return NUMBER_FORMATS.get(key, "{:,}").format(value)
    return html.escape(str(value))


def headline(view: View, data: dict[str, Any]) -> None:
    """Per market: the cheapest, fastest, fewest-hops and least-exposed passable corridor."""
    from geo.summary import best_corridors, hops, market_of, markets

    t, catalogue = view.t, view.catalogue
    records = {r["id"]: r for r in data["corridors"] if r["id"] in view.corridors}
    shown = {"corridors": list(records.values())}
    best = best_corridors(shown)
    figures = {
        "cost_usd_per_feu": lambda r: t("best.cost_value", cost=f"{r['cost_usd_per_feu']:,}"),
        "transit_days": lambda r: t("best.days_value", days=f"{r['transit_days']:.1f}"),
        "hops": lambda r: t("best.hops_value", hops=hops(r)),
        "exposure_score": lambda r: t("best.exposure_value", score=f"{r['exposure']['score']:.0f}"),
    }
    for members in markets(shown).values():
        first = records[members[0]]
        market = market_of(catalogue, first["origin"], first["destination"], view.lang)
        st.markdown(f"**{md(market)}** {t('best.count', count=len(members))}")
        for card, (column, describe) in zip(st.columns(4), figures.items(), strict=True):
            winners = [w for w in best.get(column, []) if w in members]
            with card, st.container(border=True):
                st.caption(t(f"best.{column}"))
                if winners:
                    names = " / ".join(md(view.name(catalogue.corridor(w))) for w in winners[:3])
                    if len(winners) > 3:  # ties: a card names three
                        names += " " + t("best.more_tied", count=len(winners) - 3)
                    st.markdown(f"**{names}**  \n{describe(records[winners[0]])}")
                else:
                    st.markdown(f"**{t('best.none')}**")
