"""The map: corridors under the chosen scenario, the comparison beside it, one in detail."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.assets import missing_assets
from geo.maps import corridor_map
from geo.routing import detours
from geo.summary import blocked_by_text
from pages._common import (
    UNITS_NOTE,
    baseline_results,
    comparison_frame,
    headline,
    md,
    page_view,
    presentation_exit,
    scenario_results,
    set_selected,
)

view = page_view()
catalogue = view.catalogue
active, results, data = scenario_results(view)
shown = [r for r in results if r.corridor_id in view.corridors]

st.title("Corridor Atlas")
st.caption(f"Scenario: **{md(active.scenario.name)}**. {UNITS_NOTE}")
headline(data, view.corridors, catalogue)

missing = missing_assets()
if missing:
    st.error(
        "The map's browser assets are not installed (missing: "
        + ", ".join(missing[:3])
        + "). Run `make run` (or `make setup`) to install them."
    )
elif not shown:
    st.info("Choose at least one corridor in the sidebar.")
else:
    # Built afresh each run: st_folium alters the map it is given, so a cached one cannot be reused.
    folium_map = corridor_map(
        catalogue, shown, basemap=view.basemap, highlight=view.selected, embed_basemap=False
    )
    st_folium(
        folium_map, key="corridor-map", height=620, use_container_width=True, returned_objects=[]
    )

st.subheader("Comparison")
st.dataframe(comparison_frame(data, view.corridors, baseline_results(view)[2]), width="stretch")

blocked = [r for r in shown if not r.passable]
if blocked:
    st.subheader("Impassable corridors and the best open detour")
    for corridor_id, route in detours(catalogue, active, blocked).items():
        name = catalogue.corridor(corridor_id).name
        result = next(r for r in blocked if r.corridor_id == corridor_id)
        record = next(r for r in data["corridors"] if r["id"] == corridor_id)
        why = blocked_by_text(record["blocked_by"])
        ends = f"{catalogue.node(result.origin).name} → {catalogue.node(result.destination).name}"
        if route is None:
            st.markdown(
                f"- **{md(name)}** ({md(why)}): no open route {md(ends)} under this scenario."
            )
        else:
            m = route.metrics
            via = " → ".join(catalogue.node(s.end).name for s in route.steps[:-1])
            st.markdown(
                f"- **{md(name)}** ({md(why)}). Best open detour {md(ends)}: "
                f"{m.transit_days:.1f} days, \\${m.cost_usd_per_feu:,.0f}/FEU, "
                f"exposure {m.exposure.score:.0f}, via {md(via)}."
            )

st.subheader("Leg by leg")
options = ["(none)", *view.corridors]
choice = st.selectbox(
    "Corridor to highlight and break down",
    options,
    index=options.index(view.selected) if view.selected in options else 0,
    format_func=lambda c: c if c == "(none)" else catalogue.corridor(c).name,
    key="select_corridor",
)
picked = None if choice == "(none)" else choice
if picked != view.selected:
    set_selected(picked)
    st.rerun()
if picked:
    record = next(r for r in data["corridors"] if r["id"] == picked)
    corridor = catalogue.corridor(picked)
    st.markdown(f"**{md(corridor.name)}**: {md(corridor.description)}")
    if record["blocked_by"]:
        st.error("Impassable: " + md("; ".join(b["reason"] for b in record["blocked_by"])))
    st.dataframe(
        [
            {
                "from": leg["from"]["name"],
                "to": leg["to"]["name"],
                "mode": leg["mode"],
                "gauge (mm)": leg["gauge_mm"],
                "status": leg["status"],
                "distance (km)": leg["distance_km"],
                "moving (days)": leg["moving_days"],
                "cost (USD/FEU)": leg["cost_usd_per_feu"],
                "open": leg["open"],
                "sources": ", ".join(leg["sources"]) or "estimate",
            }
            for leg in record["legs"]
        ],
        width="stretch",
    )

presentation_exit(view)
