"""Route finder: the best open paths between two nodes under the chosen scenario, drawn."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

from geo.maps import corridor_map, route_styles
from geo.routing import OBJECTIVES, find_routes
from pages._common import md, page_view, scenario_results

view = page_view()
catalogue = view.catalogue
active, _, _ = scenario_results(view)

st.title("Route finder")
st.caption(
    f"Scenario: **{md(active.scenario.name)}**. Closed legs are avoided; planned ones too "
    "unless the scenario opens them."
)
node_ids = sorted((n.id for n in catalogue.nodes), key=lambda i: catalogue.node(i).name)


def _pick(label: str, param: str, fallback: str) -> str:
    wanted = st.query_params.get(param, fallback)
    if wanted not in node_ids:
        if param in st.query_params:
            st.warning(f"Unknown node in the link's `{param}`; showing the default.")
        wanted = fallback if fallback in node_ids else node_ids[0]
    return st.selectbox(
        label,
        node_ids,
        index=node_ids.index(wanted),
        format_func=lambda i: f"{catalogue.node(i).name} ({catalogue.node(i).country})",
        key=f"route_{param}",
    )


left, middle, right = st.columns(3)
with left:
    origin = _pick("From", "from", "almaty")
with middle:
    destination = _pick("To", "to", "duisburg")
with right:
    wanted = st.query_params.get("opt", "cost")
    optimise = st.selectbox(
        "Optimise for",
        OBJECTIVES,
        index=OBJECTIVES.index(wanted) if wanted in OBJECTIVES else 0,
        key="route_opt",
    )
st.query_params.update({"from": origin, "to": destination, "opt": optimise})

if origin == destination:
    st.info("Choose two different nodes.")
    st.stop()
routes = find_routes(catalogue, active, origin, destination, optimise=optimise, alternatives=3)
if not routes:
    st.error(
        f"No open route from {md(catalogue.node(origin).name)} to "
        f"{md(catalogue.node(destination).name)} under this scenario."
    )
    st.stop()

labels = [f"Route {rank}" for rank in range(1, len(routes) + 1)]
st.dataframe(
    [
        {
            "route": label,
            "distance (km)": round(r.metrics.distance_km),
            "transit (days)": round(r.metrics.transit_days, 1),
            "cost (USD/FEU)": round(r.metrics.cost_usd_per_feu),
            "border crossings": r.metrics.border_crossings,
            "transshipments": r.metrics.transshipments,
            "gauge breaks": r.metrics.gauge_breaks,
            "exposure (0-100)": round(r.metrics.exposure.score, 1),
            "via": " → ".join(catalogue.node(s.end).name for s in r.steps[:-1]),
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
        legend_title="Routes",
        embed_basemap=False,
    ),
    key="route-map",
    height=560,
    use_container_width=True,
    returned_objects=[],
)
