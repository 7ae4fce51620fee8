"""
The shared sidebar: what every page is a view of (scenario, corridors, adjustments, basemap,
language, presentation mode), read from the link and written back to it.

Kept apart from the pages so the link and the widgets stay one mapping (`geo.viewstate`), and
so each page receives one `View` instead of reading widgets or query parameters itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from geo import settings
from geo.assets import BASEMAPS
from geo.catalogue import Catalogue, Scenario
from geo.i18n import LANGUAGES, Translate, localized, translator
from geo.scenarios import Adjustments, customise, scenario_changes
from geo.text import markdown_escape
from geo.trips import TripAnswer
from geo.viewstate import WEIGHT_KEYS, ViewState, link_language, parse_query, to_query
from pages._trip import trip_answer, trip_controls

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header,
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
.st-key-select_corridor, .st-key-presentation_exit { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1rem !important; }
</style>
"""
"""What presentation mode hides: the sidebar, Streamlit's header and toolbar, and controls."""

COMPACT_TOP_CSS = """
<style>
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 2.5rem !important; }
</style>
"""
"""The map page's top: Streamlit's 6 rem of padding would push the map below a laptop's fold."""


PAGE_PARAMS = ("from", "to", "opt", "vs", "within", "divert", "share", "to_corridor")
"""Query parameters a page reads and writes itself; the sidebar keeps them in the link."""


@dataclass(frozen=True)
class View:
    """What the sidebar chose: everything a page needs to evaluate and draw."""

    catalogue: Catalogue
    """The catalogue the pages draw: a trip's (its corridors only) or the whole one."""
    catalogue_key: str
    """The whole catalogue's content key: what links cite and widget keys carry."""
    state: ViewState
    scenario: Scenario
    results_key: str = ""
    """The content key of `catalogue` (the trip's when there is one), for caches."""
    trip: TripAnswer | None = None

    @property
    def cache_key(self) -> str:
        return self.results_key or self.catalogue_key

    @property
    def commodity(self) -> str | None:
        return self.state.commodity

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


def url_query() -> dict[str, str]:
    """The page's query parameters, one value each."""
    return {key: st.query_params.get(key, "") for key in st.query_params}


def sidebar(catalogue: Catalogue, catalogue_key: str) -> View:
    """
    Draw the shared sidebar, seeded from the URL's query string and written back to it, so the
    link always reproduces what is on screen. Its first question is the trip: from where, to
    where, carrying what, avoiding whom; the pages then draw that trip's corridors.
    """
    lang = link_language(url_query())
    t = translator(lang)
    state, notices = parse_query(url_query(), catalogue, t=t, catalogue_key=catalogue_key)
    scenario_ids = [s.id for s in catalogue.scenarios]
    adjust = state.adjustments
    with st.sidebar:
        chosen_lang = (
            st.segmented_control(
                t("sidebar.language"),
                list(LANGUAGES),
                default=lang,
                format_func=lambda code: LANGUAGES[code],
                key=f"sidebar_lang_{lang}",
            )
            or lang
        )
        choice = trip_controls(catalogue, catalogue_key, state, t, lang)
        scenario_id = st.selectbox(
            t("sidebar.scenario"),
            scenario_ids,
            index=scenario_ids.index(state.scenario),
            format_func=lambda i: localized(catalogue.scenario(i), lang),
            key=f"sidebar_scenario_{catalogue_key}",
        )
        description = localized(catalogue.scenario(scenario_id), lang, "description")
        st.caption(markdown_escape(description))
        changes_box = st.container()
        picker_box = st.container()
        adjuster = st.expander(
            t("sidebar.adjust"),
            expanded=not adjust.empty and adjust != Adjustments(close_countries=choice.avoid),
            key=f"adjust_{catalogue_key}",
            on_change="rerun",  # its controls are built only while it is open
        )
        defaults = catalogue.parameters.exposure.weights.model_dump()
        weights = tuple((state.weights_dict() or defaults)[name] for name in WEIGHT_KEYS)
        if adjuster.open:
            with adjuster:
                adjust, weights = _adjust_controls(catalogue, catalogue_key, state, t, lang)
        adjust = replace(adjust, close_countries=choice.avoid)
        scenario = customise(catalogue, catalogue.scenario(scenario_id), adjust)
        trip = choice.trip()
        answer, results_key = (
            trip_answer(catalogue, catalogue_key, scenario, trip, t=t, lang=lang)
            if trip
            else (None, "")
        )
        shown = answer.catalogue if answer else catalogue
        if answer is not None:
            same_trip = (state.origin, state.market) == (choice.origin, choice.market)
            state, notices = parse_query(
                url_query() if same_trip else _without_corridors(url_query()),
                shown,
                t=t,
                catalogue_key=catalogue_key,
            )
        with picker_box:
            corridors = _corridor_picker(shown, results_key or catalogue_key, state, t, lang)
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
            st.warning(markdown_escape(notice))
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
        weights=chosen_weights,
        present=present,
        lang=chosen_lang,
        origin=choice.origin,
        market=choice.market,
        commodity=choice.commodity,
    )
    params = to_query(new_state, shown, catalogue_key=catalogue_key)
    # a page's own parameters (the route finder's ends, the Compare page's second scenario)
    params |= {k: v for k, v in url_query().items() if k in PAGE_PARAMS}
    if params != url_query():
        st.query_params.from_dict(params)
    if chosen_lang != lang:
        st.rerun()  # page titles and every label follow the new language
    with changes_box:
        changes = scenario_changes(catalogue, scenario, t=t, lang=lang)
        if changes:
            listed = "".join(f"\n- {markdown_escape(c)}" for c in changes)
            st.markdown(f"**{t('sidebar.changes')}**\n" + listed)
    return View(shown, catalogue_key, new_state, scenario, results_key, answer)


def _without_corridors(params: dict[str, str]) -> dict[str, str]:
    """A link's parameters less the corridors and selection of a trip no longer asked about."""
    return {k: v for k, v in params.items() if k not in ("corridors", "select")}


def _corridor_picker(
    catalogue: Catalogue, catalogue_key: str, state: ViewState, t: Translate, lang: str
) -> list[str]:
    """
    The corridors to show: chips to pick from, or above `many_corridors` (`geo.settings`) a
    switch for all of them, with the chips only once it is off (hundreds of chips took the
    browser 0.4 s to draw, and are no way to choose).
    """
    corridor_ids = [c.id for c in catalogue.corridors]
    chosen = list(state.corridors)
    if len(corridor_ids) > settings.get().many_corridors:
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
        close_countries=current.close_countries,  # the trip's "avoid countries" control
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


def presentation_exit(view: View) -> None:
    """A way back from presentation mode, at the foot of the page (out of the screenshot)."""
    if view.state.present and st.button(
        view.t("app.exit_presentation"), key="presentation_exit_button"
    ):
        st.query_params["present"] = "0"
        st.session_state[f"present_{view.catalogue_key}"] = False
        st.rerun()
