"""
Results kept per server: scenario metrics, map data and detours, each computed once per
catalogue content and scenario and shared by every session (`st.cache_resource`).

Pages ask with their `View`; the cache keys (a catalogue's content key, a scenario's JSON) are
made here, so no page can key a cache on something that does not determine its value.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from geo import settings
from geo.annotations import Annotation
from geo.catalogue import Catalogue, Scenario
from geo.i18n import translator
from geo.mapdata import MapData, map_data
from geo.maps import published_map_data
from geo.metrics import CorridorMetrics, evaluate_all
from geo.palette import corridor_styles
from geo.routing import detours
from geo.scenarios import BASELINE, ActiveScenario, apply_scenario
from geo.summary import summary
from geo.viewstate import WEIGHT_KEYS
from pages._session import catalogue_uploaded
from pages._sidebar import View
from pages._team import team_annotations

Results = tuple[ActiveScenario, list[CorridorMetrics], dict[str, Any]]
"""A scenario applied, every corridor's metrics under it, and its summary (`geo.summary`)."""

# Cache sizes are read once, when Streamlit decorates each function at import: a decorator
# cannot read them per call. Set CORRIDOR_ATLAS_RESULTS_CACHE (…_MAP_DATA_CACHE) before the
# server starts to change them.


@st.cache_resource(show_spinner=False, max_entries=settings.get().results_cache)
def _results(
    catalogue_key: str,
    scenario_key: str,
    _catalogue: Catalogue,
    _scenario: Scenario,
    weights: tuple[float, ...] | None,
    commodity: str | None = None,
) -> Results:
    active = apply_scenario(_catalogue, _scenario, commodity)
    named = dict(zip(WEIGHT_KEYS, weights, strict=True)) if weights else None
    return (
        active,
        evaluate_all(_catalogue, active, weights=named),
        summary(_catalogue, active, weights=named),
    )


def _scenario_key(scenario: Scenario) -> str:
    """A cache key for a scenario's content (adjusted scenarios have no id of their own)."""
    return json.dumps(scenario.model_dump(mode="json"), sort_keys=True)


def scenario_results(view: View) -> Results:
    """Metrics of every corridor under the view's scenario, once per catalogue and scenario."""
    key = _scenario_key(view.scenario)
    return _results(
        view.cache_key, key, view.catalogue, view.scenario, view.state.weights, view.commodity
    )


def preset_results(view: View, scenario_id: str = BASELINE) -> Results:
    """The same view under an unadjusted preset (the baseline by default), for deltas."""
    preset = view.catalogue.scenario(scenario_id)
    key = _scenario_key(preset)
    return _results(view.cache_key, key, view.catalogue, preset, view.state.weights, view.commodity)


def baseline_results(view: View) -> Results:
    return preset_results(view, BASELINE)


@st.cache_resource(show_spinner=False, max_entries=settings.get().map_data_cache)
def _map_data(
    catalogue_key: str,
    scenario_key: str,
    *,
    weights: tuple[float, ...] | None,
    shown: tuple[str, ...],
    highlight: str | None,
    lang: str,
    notes: tuple[tuple[str, tuple[Annotation, ...]], ...] = (),
    _catalogue: Catalogue,
    _results: list[CorridorMetrics],
) -> MapData:
    styles = corridor_styles(_catalogue, lang)
    t = translator(lang)
    return map_data(
        _catalogue, _results, styles, highlight=highlight, t=t, lang=lang, notes=dict(notes)
    )


def view_map_data(view: View, shown: list[CorridorMetrics]) -> MapData:
    """
    The map's data for the shown corridors, once per catalogue, scenario, corridors, highlight
    and language: a rerun that changes none of them (a pick, a language round trip) reuses it.
    """
    key = _scenario_key(view.scenario)
    ids = tuple(r.corridor_id for r in shown)
    return _map_data(
        view.cache_key + (view.commodity or ""),
        key,
        weights=view.state.weights,
        shown=ids,
        highlight=view.selected,
        lang=view.lang,
        notes=tuple(sorted(team_annotations(view.t).items())),  # the team's notes, in popups
        _catalogue=view.catalogue,
        _results=shown,
    )


def map_data_url(data: MapData) -> str | None:
    """
    Where the browser fetches the map's data: published among the static files for the
    operator's catalogue, which every visitor sees anyway. An upload is this session's alone,
    so its data stays inside the session's own message (None: embedded), never on disk.
    """
    if catalogue_uploaded():
        return None
    return published_map_data(data)


# Detours are kept as many as results: one search per scenario whose results are kept.
@st.cache_resource(show_spinner=False, max_entries=settings.get().results_cache)
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
    return _detours(view.cache_key + (view.commodity or ""), key, view.catalogue, active, results)


@st.cache_resource(show_spinner=False, max_entries=settings.get().results_cache)
def _whole_results(
    catalogue_key: str, scenario_key: str, _catalogue: Catalogue, _scenario: Scenario
) -> list[CorridorMetrics]:
    return evaluate_all(_catalogue, apply_scenario(_catalogue, _scenario))


def whole_results(catalogue: Catalogue, view: View) -> list[CorridorMetrics]:
    """Every corridor of the whole catalogue (not the trip's) under the view's scenario."""
    key = _scenario_key(view.scenario)
    return _whole_results(view.catalogue_key, key, catalogue, view.scenario)
