"""
Decisions: for the trip in the sidebar, the trade-off between its routes (which no other beats
on cost, time and exposure at once), how reliable each is against a deadline, and what each
emits per FEU. Built only when this page is opened, so the map page pays nothing for it.
"""

from __future__ import annotations

import streamlit as st

from geo.emissions import route_emission
from geo.figures.layout import close_figure, save_figure
from geo.figures.tradeoff import tradeoff_chart
from geo.numbers import format_range
from geo.palette import corridor_styles
from geo.reliability import reliability
from geo.text import markdown_escape
from geo.tradeoffs import option_steps, tradeoff_options
from pages._cached import scenario_results
from pages._sections import trip_header
from pages._session import page_view
from pages._sidebar import presentation_exit

view = page_view()
catalogue, t = view.catalogue, view.t
active, results, _ = scenario_results(view)
st.title(t("decisions.title"))
st.caption(t("app.scenario_line", scenario=markdown_escape(view.name(active.scenario))))
if view.trip is None:
    st.info(t("decisions.pick_trip"))
    st.stop()
trip_header(view, active)
shown = [r for r in results if r.corridor_id in view.corridors]
names = {c.id: view.name(c) for c in catalogue.corridors}
options = tradeoff_options(shown, names)
if not options:
    st.warning(t("decisions.none"))
    st.stop()

# ------------------------------------------------------------------ trade-offs
st.subheader(t("decisions.tradeoffs"))
st.caption(t("decisions.tradeoffs_help"))
figure = tradeoff_chart(
    options,
    corridor_styles(catalogue, view.lang),
    title=t("decisions.chart_title"),
    x_label=t("decisions.days_axis"),
    y_label=t("decisions.cost_axis"),
)
png = save_figure(figure, "png")
close_figure(figure)
st.image(png, width="stretch")
st.dataframe(
    [
        {
            t("decisions.col.option"): o.name,
            t("decisions.col.verdict"): t(
                "decisions.dominated" if o.dominated else "decisions.front"
            ),
            t("col.transit_days"): format_range(o.metrics.transit_days_range, "days"),
            t("col.cost_usd_per_feu"): format_range(o.metrics.cost_range, "usd"),
            t("col.exposure_score"): round(o.metrics.exposure.score),
            t("decisions.col.why"): o.reason,
        }
        for o in sorted(options, key=lambda o: (o.dominated, o.metrics.cost_usd_per_feu))
    ],
    hide_index=True,
    key="decisions_tradeoffs",
)

# ------------------------------------------------------------------ reliability
st.subheader(t("decisions.reliability"))
wanted = st.query_params.get("within", "20")
try:
    start = min(max(float(wanted), 1.0), 365.0)
except ValueError:
    start = 20.0
deadline = st.number_input(t("decisions.deadline"), 1.0, 365.0, start, 1.0, key="decisions_within")
st.query_params["within"] = f"{deadline:g}"
rows = reliability(catalogue, active, option_steps(catalogue, active, options), deadline)
st.dataframe(
    [
        {
            t("decisions.col.option"): names[r.corridor_id],
            t("decisions.col.within", days=f"{deadline:g}"): f"{r.within:.0%}",
            **{
                t("decisions.col.before", other=names[other]): f"{p:.0%}"
                for other, p in r.before.items()
            },
        }
        for r in rows
    ],
    hide_index=True,
    key="decisions_reliability",
)
st.caption(t("decisions.reliability_help"))

# ------------------------------------------------------------------ emissions
st.subheader(t("decisions.emissions"))
emitted = [(o, route_emission(catalogue, [leg.step for leg in o.metrics.legs])) for o in options]
if any(e is None for _, e in emitted):
    st.info(t("decisions.no_emissions"))
else:
    st.dataframe(
        [
            {
                t("decisions.col.option"): o.name,
                t("decisions.col.wtw"): format_range(e.wtw_range, "usd"),
                t("decisions.col.ttw"): f"{e.ttw_kg:,.0f}",
                t("decisions.col.per_km"): f"{e.wtw_kg / o.metrics.distance_km * 1000:,.0f}",
            }
            for o, e in emitted
            if e is not None
        ],
        hide_index=True,
        key="decisions_emissions",
    )
    st.caption(t("decisions.emissions_help"))
presentation_exit(view)
