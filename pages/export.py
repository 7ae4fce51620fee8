"""Briefing exports: the current view as a figure, table, interactive map or the whole pack."""

from __future__ import annotations

import streamlit as st

from geo.exports import export_bytes, file_name, media_type
from pages._common import md, page_view, scenario_results

FORMATS = {
    "png": "Briefing figure, PNG (200 dpi)",
    "svg": "Briefing figure, SVG (editable text)",
    "pdf": "Briefing figure, PDF",
    "xlsx": "Comparison table, Excel",
    "csv": "Comparison table, CSV",
    "html": "Interactive map, one offline HTML file",
    "md": "Written summary, Markdown",
    "zip": "Briefing pack: all of the above, ZIP",
}

view = page_view()
catalogue = view.catalogue
active, _, _ = scenario_results(view)

st.title("Briefing exports")
st.caption(
    f"Scenario **{md(active.scenario.name)}**, {len(view.corridors)} corridors: the view set in "
    "the sidebar. Every file names the scenario, the date and the sources behind its figures."
)
left, right = st.columns([2, 1])
with left:
    fmt = st.selectbox("File", list(FORMATS), format_func=FORMATS.get, key="export_format")
with right:
    preset = st.radio(
        "Figure size",
        ["slide", "a4"],
        horizontal=True,
        key="export_preset",
        format_func={"slide": "16:9 slide", "a4": "A4 portrait"}.get,
    )
request = (
    fmt,
    preset,
    active.scenario.model_dump_json(),
    tuple(view.corridors),
    view.state.weights,
    view.catalogue_key,
)
if not view.corridors:
    st.info("Choose at least one corridor in the sidebar.")
elif st.button("Prepare the file", type="primary", key="export_prepare"):
    with st.status(f"Making {FORMATS[fmt].lower()}…", expanded=False) as status:
        try:
            data = export_bytes(
                catalogue,
                active,
                fmt,
                corridors=view.corridors,
                preset=preset,
                weights=view.state.weights_dict(),
                basemap=view.basemap,
            )
        except ValueError as exc:
            status.update(label=f"Could not make the file: {exc}", state="error")
        else:
            st.session_state["export_ready"] = (request, data)
            status.update(label=f"Ready: {len(data):,} bytes", state="complete")
ready = st.session_state.get("export_ready")
if ready and ready[0] == request:
    st.download_button(
        f"Download {FORMATS[fmt].split(',')[0].lower()} (.{fmt})",
        ready[1],
        file_name=file_name(active, fmt),
        mime=media_type(fmt),
        key="export_download",
    )
if fmt in ("png", "svg", "pdf", "zip"):
    st.caption("Figures are drawn on the offline Natural Earth basemap in the map's colours.")
