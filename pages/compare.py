"""Compare: the corridors side by side under the chosen scenario, with reported benchmarks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.benchmarks import TOLERANCE, compare_benchmarks
from geo.catalogue import Figure
from geo.scenarios import BASELINE
from geo.summary import deltas
from pages._common import (
    UNITS_NOTE,
    baseline_results,
    comparison_frame,
    headline,
    md,
    page_view,
    presentation_exit,
    preset_results,
    scenario_results,
)

view = page_view()
catalogue, catalogue_key = view.catalogue, view.catalogue_key
active, results, data = scenario_results(view)
records = [r for r in data["corridors"] if r["id"] in view.corridors]
names = {r["id"]: r["name"] for r in records}

st.title("Compare corridors")
st.caption(
    f"Scenario: **{md(active.scenario.name)}**. {UNITS_NOTE} Impassable corridors are greyed."
)
headline(data, view.corridors, catalogue)
st.dataframe(comparison_frame(data, view.corridors, baseline_results(view)[2]), width="stretch")

left, right = st.columns(2)
with left:
    st.markdown("**Cost (USD per FEU)**")
    st.bar_chart(
        pd.DataFrame({"USD per FEU": {names[r["id"]]: r["cost_usd_per_feu"] for r in records}}),
        horizontal=True,
    )
    st.markdown("**Transit time (days): moving and dwell**")
    st.bar_chart(
        pd.DataFrame(
            {
                "moving (days)": {names[r["id"]]: r["moving_days"] for r in records},
                "dwell (days)": {names[r["id"]]: r["dwell_days"] for r in records},
            }
        ),
        horizontal=True,
        stack=True,
    )
with right:
    st.markdown("**Hops (count)**")
    st.bar_chart(
        pd.DataFrame(
            {
                "border crossings": {names[r["id"]]: r["border_crossings"] for r in records},
                "transshipments": {names[r["id"]]: r["transshipments"] for r in records},
                "gauge breaks": {names[r["id"]]: r["gauge_breaks"] for r in records},
            }
        ),
        horizontal=True,
        stack=True,
    )
    st.markdown("**Political exposure: share of route km by country**")
    shares = (
        pd.DataFrame(
            {
                names[r["id"]]: {**r["exposure"]["by_country"], "at sea": r["exposure"]["at_sea"]}
                for r in records
            }
        ).T.fillna(0)
        * 100
    )
    st.bar_chart(shares, horizontal=True, stack=True, y_label="% of route km")

st.subheader("Exposure, decomposed")
st.dataframe(
    pd.DataFrame(
        [
            {
                "corridor": r["name"],
                "score (0-100)": r["exposure"]["score"],
                **{f"{k} (0-1)": v for k, v in r["exposure"]["components"].items()},
                "km under sanctions regimes": r["exposure"]["sanctions_km"],
                "gatekeepers (share of km)": ", ".join(
                    f"{c} {s:.0%}" for c, s in r["exposure"]["by_gatekeeper"].items()
                ),
                "jurisdictions": " → ".join(r["exposure"]["jurisdictions"]),
            }
            for r in records
        ]
    ),
    width="stretch",
    hide_index=True,
)
st.caption(md(catalogue.parameters.exposure.method))

st.subheader("Model beside reported figures")
comparisons = [
    c for c in compare_benchmarks(catalogue, active) if c.benchmark.corridor in view.corridors
]
if not comparisons:
    st.info("No reported end-to-end figures for the chosen corridors.")
else:

    def reported(figure: Figure | None) -> str:
        if figure is None:
            return "—"
        if figure.low is not None and figure.high is not None:
            return f"{figure.low:,.4g}–{figure.high:,.4g}"
        return f"{figure.value:,.4g}"

    st.dataframe(
        pd.DataFrame(
            [
                {
                    "corridor": catalogue.corridor(c.benchmark.corridor).name,
                    "stretch": f"{catalogue.node(c.benchmark.from_).name} → "
                    f"{catalogue.node(c.benchmark.to).name}",
                    "model (days)": round(c.model_days, 1),
                    "reported (days)": reported(c.benchmark.transit_days),
                    "model (USD/FEU)": round(c.model_cost_usd),
                    "reported (USD/FEU)": reported(c.benchmark.cost_usd_per_feu),
                    f"within ±{TOLERANCE:.0%}": "yes" if c.within_tolerance else "no",
                    "reported": c.benchmark.date,
                    "sources": ", ".join(
                        {
                            s
                            for f in (c.benchmark.transit_days, c.benchmark.cost_usd_per_feu)
                            if f
                            for s in f.sources
                        }
                    ),
                    "note": c.benchmark.note or "",
                }
                for c in comparisons
            ]
        ),
        width="stretch",
        hide_index=True,
    )
    st.caption(f"Benchmarks are evaluated under the **{md(active.scenario.name)}** scenario.")

st.subheader("Two scenarios side by side")
scenario_ids = [s.id for s in catalogue.scenarios]
wanted = st.query_params.get("vs", BASELINE)
other_id = st.selectbox(
    f"Compare **{md(active.scenario.name)}** with",
    scenario_ids,
    index=scenario_ids.index(wanted) if wanted in scenario_ids else 0,
    format_func=lambda i: catalogue.scenario(i).name,
    key=f"compare_vs_{catalogue_key}",
)
if other_id != BASELINE:
    st.query_params["vs"] = other_id
elif "vs" in st.query_params:
    del st.query_params["vs"]
_, _, other = preset_results(view, other_id)
other_by_id = {r["id"]: r for r in other["corridors"]}
change = deltas(data, other)
side = pd.DataFrame(
    [
        {
            "corridor": r["name"],
            f"days ({other_id})": other_by_id[r["id"]]["transit_days"],
            f"days ({active.id})": r["transit_days"],
            "Δ days": change[r["id"]]["transit_days"],
            f"USD/FEU ({other_id})": other_by_id[r["id"]]["cost_usd_per_feu"],
            f"USD/FEU ({active.id})": r["cost_usd_per_feu"],
            "Δ USD/FEU": change[r["id"]]["cost_usd_per_feu"],
            "Δ hops": change[r["id"]]["hops"],
            "Δ exposure": change[r["id"]]["exposure_score"],
            f"passable ({other_id})": other_by_id[r["id"]]["passable"],
            f"passable ({active.id})": r["passable"],
        }
        for r in records
    ]
)
st.dataframe(side, hide_index=True, width="stretch")
st.markdown(f"**Change from {md(catalogue.scenario(other_id).name)}: days and USD/FEU**")
chart = side.set_index("corridor")[["Δ days"]]
left, right = st.columns(2)
with left:
    st.bar_chart(chart, horizontal=True, y_label="Δ days")
with right:
    st.bar_chart(side.set_index("corridor")[["Δ USD/FEU"]], horizontal=True, y_label="Δ USD/FEU")

presentation_exit(view)
