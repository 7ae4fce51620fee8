"""Compare: the corridors side by side under the chosen scenario, with reported benchmarks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.benchmarks import TOLERANCE, compare_benchmarks
from geo.catalogue import Figure
from geo.comparison import comparison_frame
from geo.scenarios import BASELINE
from geo.summary import deltas
from geo.text import markdown_escape
from pages._cached import baseline_results, preset_results, scenario_results
from pages._sections import headline
from pages._session import page_view
from pages._sidebar import presentation_exit

view = page_view()
catalogue, t = view.catalogue, view.t
active, results, data = scenario_results(view)
records = [r for r in data["corridors"] if r["id"] in view.corridors]
names = {r["id"]: view.name(catalogue.corridor(r["id"])) for r in records}


def per_corridor(label: str, value: str) -> dict[str, dict[str, float]]:
    return {label: {names[r["id"]]: r[value] for r in records}}


st.title(t("compare.title"))
st.caption(
    t("app.scenario_line", scenario=markdown_escape(view.name(active.scenario)))
    + " "
    + t("app.units")
    + " "
    + t("compare.greyed")
)
headline(view, data)
baseline = baseline_results(view)[2]
st.dataframe(
    comparison_frame(catalogue, data, view.corridors, lang=view.lang, baseline=baseline),
    width="stretch",
)

left, right = st.columns(2)
with left:
    st.markdown(f"**{t('compare.cost_chart')}**")
    st.bar_chart(pd.DataFrame(per_corridor(t("unit.usd_feu"), "cost_usd_per_feu")), horizontal=True)
    st.markdown(f"**{t('compare.days_chart')}**")
    st.bar_chart(
        pd.DataFrame(
            {
                **per_corridor(t("compare.moving"), "moving_days"),
                **per_corridor(t("compare.dwell"), "dwell_days"),
            }
        ),
        horizontal=True,
        stack=True,
    )
with right:
    st.markdown(f"**{t('compare.hops_chart')}**")
    st.bar_chart(
        pd.DataFrame(
            {
                **per_corridor(t("col.border_crossings"), "border_crossings"),
                **per_corridor(t("col.transshipments"), "transshipments"),
                **per_corridor(t("col.gauge_breaks"), "gauge_breaks"),
            }
        ),
        horizontal=True,
        stack=True,
    )
    st.markdown(f"**{t('compare.exposure_chart')}**")
    shares = (
        pd.DataFrame(
            {
                names[r["id"]]: {
                    **{
                        view.name(catalogue.country(code)): share
                        for code, share in r["exposure"]["by_country"].items()
                    },
                    t("compare.at_sea"): r["exposure"]["at_sea"],
                }
                for r in records
            }
        ).T.fillna(0)
        * 100
    )
    st.bar_chart(shares, horizontal=True, stack=True, y_label=t("compare.share_km"))

st.subheader(t("compare.exposure_title"))
st.dataframe(
    pd.DataFrame(
        [
            {
                t("col.name"): names[r["id"]],
                t("compare.score"): r["exposure"]["score"],
                **{
                    t("compare.component", name=t(f"exposure.{k}")): v
                    for k, v in r["exposure"]["components"].items()
                },
                t("compare.sanctions_km"): r["exposure"]["sanctions_km"],
                t("compare.gatekeepers"): ", ".join(
                    f"{view.name(catalogue.country(c))} {s:.0%}"
                    for c, s in r["exposure"]["by_gatekeeper"].items()
                ),
                t("compare.jurisdictions"): " → ".join(
                    view.name(catalogue.country(c)) for c in r["exposure"]["jurisdictions"]
                ),
            }
            for r in records
        ]
    ),
    width="stretch",
    hide_index=True,
)
st.caption(markdown_escape(catalogue.parameters.exposure.method))

st.subheader(t("compare.benchmarks"))
comparisons = [
    c for c in compare_benchmarks(catalogue, active) if c.benchmark.corridor in view.corridors
]
if not comparisons:
    st.info(t("compare.no_benchmarks"))
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
                    t("col.name"): names.get(c.benchmark.corridor, c.benchmark.corridor),
                    t("compare.stretch"): " → ".join(
                        view.name(catalogue.node(n)) for n in (c.benchmark.from_, c.benchmark.to)
                    ),
                    t("compare.model_days"): round(c.model_days, 1),
                    t("compare.reported_days"): reported(c.benchmark.transit_days),
                    t("compare.model_cost"): round(c.model_cost_usd),
                    t("compare.reported_cost"): reported(c.benchmark.cost_usd_per_feu),
                    t("compare.within", tolerance=f"{TOLERANCE:.0%}"): t("common.yes")
                    if c.within_tolerance
                    else t("common.no"),
                    t("compare.reported_on"): c.benchmark.date,
                    t("legs.sources"): ", ".join(
                        {
                            s
                            for f in (c.benchmark.transit_days, c.benchmark.cost_usd_per_feu)
                            if f
                            for s in f.sources
                        }
                    ),
                    t("compare.note"): c.benchmark.note or "",
                }
                for c in comparisons
            ]
        ),
        width="stretch",
        hide_index=True,
    )
    st.caption(t("compare.benchmarks_under", scenario=markdown_escape(view.name(active.scenario))))

st.subheader(t("compare.side_by_side"))
scenario_ids = [s.id for s in catalogue.scenarios]
wanted = st.query_params.get("vs", BASELINE)
other_id = st.selectbox(
    t("compare.with", scenario=markdown_escape(view.name(active.scenario))),
    scenario_ids,
    index=scenario_ids.index(wanted) if wanted in scenario_ids else 0,
    format_func=lambda i: view.name(catalogue.scenario(i)),
    key=f"compare_vs_{view.catalogue_key}",
)
if other_id != BASELINE:
    st.query_params["vs"] = other_id
elif "vs" in st.query_params:
    del st.query_params["vs"]
other = preset_results(view, other_id)[2]
other_by_id = {r["id"]: r for r in other["corridors"]}
change = deltas(data, other)
delta_days, delta_cost = t("col.delta.transit_days"), t("cmp.delta_cost")
side = pd.DataFrame(
    [
        {
            t("col.name"): names[r["id"]],
            t("cmp.days_in", scenario=other_id): other_by_id[r["id"]]["transit_days"],
            t("cmp.days_in", scenario=active.id): r["transit_days"],
            delta_days: change[r["id"]]["transit_days"],
            t("cmp.cost_in", scenario=other_id): other_by_id[r["id"]]["cost_usd_per_feu"],
            t("cmp.cost_in", scenario=active.id): r["cost_usd_per_feu"],
            delta_cost: change[r["id"]]["cost_usd_per_feu"],
            t("col.delta.hops"): change[r["id"]]["hops"],
            t("col.delta.exposure_score"): change[r["id"]]["exposure_score"],
            t("cmp.passable_in", scenario=other_id): other_by_id[r["id"]]["passable"],
            t("cmp.passable_in", scenario=active.id): r["passable"],
        }
        for r in records
    ]
)
st.dataframe(side, hide_index=True, width="stretch")
st.markdown(
    f"**{t('cmp.change_from', scenario=markdown_escape(view.name(catalogue.scenario(other_id))))}**"
)
left, right = st.columns(2)
with left:
    st.bar_chart(side.set_index(t("col.name"))[[delta_days]], horizontal=True, y_label=delta_days)
with right:
    st.bar_chart(side.set_index(t("col.name"))[[delta_cost]], horizontal=True, y_label=delta_cost)

presentation_exit(view)
