"""
Decisions: for the trip in the sidebar, the trade-off between its routes (which no other beats
on cost, time and exposure at once), how reliable each is against a deadline, and what each
emits per FEU. Built only when this page is opened, so the map page pays nothing for it.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo import settings
from geo.capacity import divert
from geo.capacity_records import Capacity
from geo.emissions import route_emission
from geo.exports.decisions import tradeoff_images
from geo.maps import Mark, corridor_map
from geo.numbers import format_range
from geo.palette import utilisation_colour
from geo.reliability import reliability
from geo.scenarios import apply_scenario
from geo.text import markdown_escape
from geo.tradeoffs import Option, option_steps, tradeoff_options, tradeoffs_csv
from pages._cached import scenario_results, whole_results
from pages._sections import trip_header
from pages._session import page_view, session_catalogue
from pages._sidebar import presentation_exit

ALL_RIVALS = ""  # the diversion's target for "every open rival between the same two countries"

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


# each option's CO2e, worked out once for the table, the chart and the emissions section
emitted = {
    o.metrics.corridor_id: route_emission(catalogue, [leg.step for leg in o.metrics.legs])
    for o in options
}


def _co2e(option: Option) -> str:
    found = emitted[option.metrics.corridor_id]
    return "" if found is None else format_range(found.wtw_range, "usd")


# ------------------------------------------------------------------ trade-offs
st.subheader(t("decisions.tradeoffs"))
st.caption(t("decisions.tradeoffs_help"))
co2e_kg = {key: e.wtw_kg for key, e in emitted.items() if e is not None}
png, svg = tradeoff_images(catalogue, options, lang=view.lang, t=t, co2e_kg=co2e_kg)
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
            t("decisions.col.wtw"): _co2e(o),
            t("decisions.col.why"): o.reason,
        }
        for o in sorted(options, key=lambda o: (o.dominated, o.metrics.cost_usd_per_feu))
    ],
    hide_index=True,
    key="decisions_tradeoffs",
)
left, middle, right = st.columns(3)
left.download_button(
    t("decisions.download_png"), png, "tradeoffs.png", "image/png", key="decisions_png"
)
middle.download_button(
    t("decisions.download_svg"), svg, "tradeoffs.svg", "image/svg+xml", key="decisions_svg"
)
right.download_button(
    t("decisions.download_csv"),
    tradeoffs_csv(options),
    "tradeoffs.csv",
    "text/csv",
    key="decisions_csv",
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
if any(e is None for e in emitted.values()):
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
            for o in options
            if (e := emitted[o.metrics.corridor_id]) is not None
        ],
        hide_index=True,
        key="decisions_emissions",
    )
    st.caption(t("decisions.emissions_help"))

# ------------------------------------------------------------------ capacity
st.subheader(t("decisions.capacity"))
whole, whole_key = session_catalogue() or (catalogue, view.catalogue_key)
with_volume = [v.corridor for v in whole.corridor_volumes]
if not whole.capacities or not with_volume:
    st.info(t("decisions.no_capacity"))
else:
    default = "northern" if "northern" in with_volume else with_volume[0]
    wanted_source = st.query_params.get("divert", default)
    columns = st.columns(3)
    source = columns[0].selectbox(
        t("decisions.divert_from"),
        with_volume,
        index=with_volume.index(wanted_source) if wanted_source in with_volume else 0,
        format_func=lambda c: view.name(whole.corridor(c)),
        key="decisions_divert",
    )
    try:
        share_start = min(max(float(st.query_params.get("share", "0.1")), 0.0), 1.0)
    except ValueError:
        share_start = 0.1
    share = columns[1].slider(
        t("decisions.share"), 0.0, 1.0, share_start, 0.05, key="decisions_share"
    )
    rivals = [ALL_RIVALS, *(c.id for c in whole.corridors if c.id != source)]
    wanted_to = st.query_params.get("to_corridor", ALL_RIVALS)
    target = columns[2].selectbox(
        t("decisions.divert_to"),
        rivals,
        index=rivals.index(wanted_to) if wanted_to in rivals else 0,
        format_func=lambda c: view.name(whole.corridor(c)) if c else t("decisions.all_rivals"),
        key="decisions_to",
    )
    st.query_params.update({"divert": source, "share": f"{share:g}", "to_corridor": target})
    found = divert(whole, apply_scenario(whole, view.scenario), source, share, target or None)

    def element(capacity: Capacity) -> str:
        """An element by its place's name (a leg by its two ends), in the page's language."""
        if capacity.node is not None:
            return view.name(whole.node(capacity.node))
        leg = whole.leg(capacity.leg or "")
        return " – ".join(view.name(whole.node(n)) for n in (leg.from_, leg.to))

    first = found.first_to_saturate
    if first is not None:
        st.markdown(
            t(
                "decisions.first",
                element=markdown_escape(element(first.capacity)),
                share=f"{first.saturating_share or 0:.0%}",
            )
        )
    st.dataframe(
        [
            {
                t("decisions.col.element"): element(e.capacity),
                t("decisions.col.before"): f"{e.base_utilisation:.0%}",
                t("decisions.col.after"): f"{e.utilisation:.0%}",
                t("decisions.col.load"): f"{e.load_teu:,.0f} / "
                f"{e.capacity.capacity_teu_per_year.value:,.0f}",
                t("decisions.col.wait"): t("decisions.saturated")
                if e.extra_wait_days is None
                else f"+{e.extra_wait_days:.1f}",
                t("decisions.col.year"): e.capacity.capacity_teu_per_year.as_of,
                t("decisions.col.sources"): ", ".join(e.capacity.capacity_teu_per_year.sources),
            }
            for e in found.elements
        ],
        hide_index=True,
        key="decisions_capacity",
    )
    st.caption(t("decisions.capacity_help"))
    limits = settings.get()
    warn, high = limits.utilisation_warn_percent / 100, limits.utilisation_high_percent / 100

    def place(capacity: Capacity) -> tuple[float, float]:
        if capacity.node is not None:
            node = whole.node(capacity.node)
            return node.lat, node.lon
        leg = whole.leg(capacity.leg or "")
        ends = [whole.node(n) for n in (leg.from_, leg.to)]
        return sum(n.lat for n in ends) / 2, sum(n.lon for n in ends) / 2

    marks = [
        Mark(
            *place(e.capacity),
            radius=8 + 8 * min(e.utilisation, 1.2),
            colour=utilisation_colour(e.utilisation, warn, high),
            label=t(
                "decisions.mark",
                element=element(e.capacity),
                utilisation=f"{e.utilisation:.0%}",
                load=f"{e.load_teu:,.0f}",
                capacity=f"{e.capacity.capacity_teu_per_year.value:,.0f}",
            ),
        )
        for e in found.elements
    ]
    drawn = [r for r in whole_results(whole, view) if r.corridor_id in {source, *found.targets}]
    capacity_map = corridor_map(
        whole,
        drawn,
        basemap=view.basemap,
        embed_basemap=False,
        lang=view.lang,
        marks=marks,
        marks_name=t("decisions.capacity"),
        legend_folded=True,
    )
    st_folium(
        capacity_map,
        height=460,
        use_container_width=True,
        returned_objects=[],
        key="decisions_capacity_map",
    )
presentation_exit(view)
