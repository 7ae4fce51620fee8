"""The map: corridors under the chosen scenario, the comparison beside it, one in detail."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.assets import missing_assets
from geo.breakdown import detour_lines, leg_rows
from geo.comparison import comparison_html
from geo.i18n import localized
from geo.maps import atlas_layers, corridor_map
from geo.summary import blocked_by_text
from geo.text import markdown_escape
from pages._cached import (
    baseline_results,
    map_data_url,
    scenario_detours,
    scenario_results,
    view_map_data,
)
from pages._sections import headline, trip_header, unfolded
from pages._selection import map_pick, set_selected
from pages._session import page_view
from pages._sidebar import COMPACT_TOP_CSS, presentation_exit

MAP_HEIGHT = 640  # pixels: below the compact header, the map fills a 1440×900 screen

view = page_view()
catalogue, t = view.catalogue, view.t
active, results, data = scenario_results(view)
shown = [r for r in results if r.corridor_id in view.corridors]

# A compact header (the title as a subheading, the scenario in one line): the map starts within
# the first screen of a 1280×720 laptop and fills a 1440×900 one.
st.html(COMPACT_TOP_CSS)
st.subheader(t("app.title"), anchor=False)
st.caption(
    t("app.scenario_line", scenario=markdown_escape(view.name(active.scenario)))
    + " "
    + t("app.units")
)
trip_header(view, active)

missing = missing_assets()
if missing:
    st.error(t("map.assets_missing", missing=markdown_escape(", ".join(missing[:3]))))
elif not shown:
    st.info(t("app.choose_corridor"))
else:
    # The map's data is kept per view; the folium map around it is built afresh each run,
    # because st_folium alters the map it is given.
    content = view_map_data(view, shown)
    folium_map = corridor_map(
        catalogue,
        shown,
        basemap=view.basemap,
        highlight=view.selected,
        embed_basemap=False,
        lang=view.lang,
        selectable=True,
        data=content,
        data_url=map_data_url(content),
        legend_folded=True,  # the legend opens on a click and never covers the routes at first
        live=True,  # the same map for every scenario: a change swaps its layers in place
    )
    value = st_folium(  # render=False: st_folium renders the map itself; rendering twice costs time
        folium_map,
        feature_group_to_add=atlas_layers(folium_map),
        key="corridor-map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[],  # no rerun on pan or zoom; a popup's corridor button still reruns
        render=False,
    )
    picked_on_map = map_pick(value, view)
    if picked_on_map:
        st.session_state["select_corridor"] = picked_on_map  # the selectbox below follows
        set_selected(picked_on_map)
        st.rerun()

headline(view, data)  # below the map: on a laptop screen the map is the first thing seen
st.subheader(t("map.comparison"))
rows = len(data["corridors"])
box = unfolded(t("map.open_comparison", count=rows), items=rows, key="fold_comparison")
if box is not None:
    with box, st.container(key="comparison"):
        baseline = baseline_results(view)[2]
        st.html(comparison_html(catalogue, data, view.corridors, lang=view.lang, baseline=baseline))
    st.caption(t("map.comparison_note"))

blocked = [r for r in shown if not r.passable]
if blocked:
    st.subheader(t("map.detours"))
    label = t("map.open_detours", count=len(blocked))
    box = unfolded(label, items=len(blocked), key="fold_detours")
    if box is not None:
        with box:
            found = scenario_detours(view)
            lines = detour_lines(catalogue, data, blocked, found, t=t, lang=view.lang)
            st.markdown("\n\n".join(lines))

st.subheader(t("map.legs"))
options = ["", *view.corridors]
choice = st.selectbox(
    t("map.pick_corridor"),
    options,
    index=options.index(view.selected) if view.selected in options else 0,
    format_func=lambda c: t("map.none") if not c else view.name(catalogue.corridor(c)),
    key="select_corridor",
)
picked = choice or None
if picked != view.selected:
    set_selected(picked)
    st.rerun()
if picked:
    record = next(r for r in data["corridors"] if r["id"] == picked)
    corridor = catalogue.corridor(picked)
    description = localized(corridor, view.lang, "description")
    st.markdown(f"**{markdown_escape(view.name(corridor))}**: {markdown_escape(description)}")
    if record["blocked_by"]:
        why = blocked_by_text(record["blocked_by"], catalogue=catalogue, t=t, lang=view.lang)
        st.error(t("map.impassable", why=markdown_escape(why)))
    st.dataframe(
        leg_rows(catalogue, record, t=t, lang=view.lang),
        width="stretch",
    )

presentation_exit(view)
