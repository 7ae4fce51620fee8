"""Route finder: the best open paths between two nodes under the chosen scenario, drawn."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

from geo.maps import corridor_map
from geo.numbers import format_range
from geo.palette import route_styles
from geo.routing import OBJECTIVES, find_routes
from geo.text import markdown_escape
from pages._cached import scenario_results
from pages._session import page_view

view = page_view()
catalogue, t = view.catalogue, view.t
active = scenario_results(view)[0]

st.title(t("routes.title"))
st.caption(
    t("app.scenario_line", scenario=markdown_escape(view.name(active.scenario)))
    + " "
    + t("routes.rules")
)
node_ids = sorted((n.id for n in catalogue.nodes), key=lambda i: view.name(catalogue.node(i)))


def _pick(label: str, param: str, fallback: str) -> str:
    wanted = st.query_params.get(param, fallback)
    if wanted not in node_ids:
        if param in st.query_params:
            st.warning(t("routes.unknown_node", param=param))
        wanted = fallback if fallback in node_ids else node_ids[0]
    return st.selectbox(
        label,
        node_ids,
        index=node_ids.index(wanted),
        format_func=lambda i: f"{view.name(catalogue.node(i))} ({catalogue.node(i).country})",
        key=f"route_{param}",
    )


left, middle, right = st.columns(3)
with left:
    origin = _pick(t("routes.from"), "from", "almaty")
with middle:
    destination = _pick(t("routes.to"), "to", "duisburg")
with right:
    wanted = st.query_params.get("opt", "cost")
    optimise = st.selectbox(
        t("routes.optimise"),
        OBJECTIVES,
        index=OBJECTIVES.index(wanted) if wanted in OBJECTIVES else 0,
        format_func=lambda o: t(f"routes.objective.{o}"),
        key="route_opt",
    )
st.query_params.update({"from": origin, "to": destination, "opt": optimise})

if origin == destination:
    st.info(t("routes.same_node"))
    st.stop()
routes = find_routes(catalogue, active, origin, destination, optimise=optimise, alternatives=3)
if not routes:
    ends = {
        "start": markdown_escape(view.name(catalogue.node(origin))),
        "end": markdown_escape(view.name(catalogue.node(destination))),
    }
    st.error(t("routes.none", **ends))
    st.stop()

labels = [t("routes.label", rank=rank) for rank in range(1, len(routes) + 1)]
st.dataframe(
    [
        {
            t("routes.route"): label,
            t("col.distance_km"): round(r.metrics.distance_km),
            t("col.transit_days"): format_range(r.metrics.transit_days_range, "days"),
            t("col.cost_usd_per_feu"): format_range(r.metrics.cost_range, "usd"),
            t("col.border_crossings"): r.metrics.border_crossings,
            t("col.transshipments"): r.metrics.transshipments,
            t("col.gauge_breaks"): r.metrics.gauge_breaks,
            t("col.exposure_score"): round(r.metrics.exposure.score, 1),
            t("routes.via"): " → ".join(view.name(catalogue.node(s.end)) for s in r.steps[:-1]),
        }
        for label, r in zip(labels, routes, strict=True)
    ],
    hide_index=True,
    width="stretch",
)
styles = route_styles(labels)
results = [replace(r.metrics, corridor_id=f"route-{i + 1}") for i, r in enumerate(routes)]
st_folium(
    corridor_map(
        catalogue,
        results,
        basemap=view.basemap,
        styles=styles,
        legend_title=t("legend.routes"),
        embed_basemap=False,
        lang=view.lang,
    ),
    key="route-map",
    height=560,
    use_container_width=True,
    returned_objects=[],
)
