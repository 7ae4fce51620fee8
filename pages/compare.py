"""Compare: the corridors side by side under the chosen scenario, with reported benchmarks."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from geo.benchmarks import (
    BenchmarkComparison,
    compare_benchmarks,
    model_text,
    reported_text,
    split,
    validation_score,
)
from geo.comparison import comparison_frame
from geo.numbers import format_range, record_range
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
    calibration, validation = split(comparisons)
    measure_names = {
        "transit_days": t("compare.measure_days"),
        "cost_usd_per_feu": t("compare.measure_cost"),
    }

    def benchmark_rows(group: list[BenchmarkComparison], tested: bool) -> pd.DataFrame:
        """One row per reported figure; only validation rows say inside / gap."""
        rows = []
        for c in group:
            b = c.benchmark
            for check in c.checks:
                row = {
                    t("col.name"): names.get(b.corridor, b.corridor),
                    t("compare.stretch"): " → ".join(
                        view.name(catalogue.node(n)) for n in (b.from_, b.to)
                    ),
                    t("compare.measure"): measure_names[check.measure],
                    t("compare.reported"): reported_text(check),
                    t("compare.model_range"): model_text(check),
                }
                if tested:
                    gap = check.gap_pct
                    row[t("compare.inside")] = t("common.yes") if check.inside else t("common.no")
                    row[t("compare.gap")] = "—" if gap is None else f"{gap:+.0f}%"
                row |= {
                    t("compare.definition"): b.definition,
                    t("compare.year"): str(b.year),
                    t("compare.publisher"): b.publisher,
                    t("compare.interest"): b.publisher_interest,
                    t("legs.sources"): ", ".join(sorted(check.reported.sources)),
                    t("compare.note"): b.note or "",
                }
                rows.append(row)
        return pd.DataFrame(rows)

    st.markdown(f"**{t('compare.validation')}**")
    if validation:
        inside, total = validation_score(validation)
        st.markdown(t("compare.validation_score", inside=inside, total=total))
        st.dataframe(benchmark_rows(validation, tested=True), width="stretch", hide_index=True)
    else:
        st.info(t("compare.no_validation"))
    if calibration:
        st.markdown(f"**{t('compare.calibration')}**")
        st.dataframe(benchmark_rows(calibration, tested=False), width="stretch", hide_index=True)
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


def shown(record: dict[str, Any], key: str) -> str:
    """A total as every view writes it: `typical (low–high)`."""
    return format_range(record_range(record, key), "days" if key == "transit_days" else "usd")


side = pd.DataFrame(
    [
        {
            t("col.name"): names[r["id"]],
            t("cmp.days_in", scenario=other_id): shown(other_by_id[r["id"]], "transit_days"),
            t("cmp.days_in", scenario=active.id): shown(r, "transit_days"),
            delta_days: change[r["id"]]["transit_days"],
            t("cmp.cost_in", scenario=other_id): shown(other_by_id[r["id"]], "cost_usd_per_feu"),
            t("cmp.cost_in", scenario=active.id): shown(r, "cost_usd_per_feu"),
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
