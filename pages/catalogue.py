"""Catalogue: every node, leg, corridor and country as a table, and the validation report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.catalogue import Figure
from geo.loader import MAX_BYTES
from pages._common import (
    STATE_CATALOGUE_NAME,
    STATE_PROBLEMS,
    STATE_UPLOAD_ERRORS,
    current_catalogue_bytes,
    md,
    page_view,
    use_uploaded_catalogue,
)

view = page_view()
catalogue = view.catalogue


def cite(figure: Figure | None) -> str:
    if figure is None:
        return ""
    return ", ".join(figure.sources) if figure.sources else f"estimate: {figure.estimate}"


st.title("Catalogue")
st.caption(
    f"{md(st.session_state.get(STATE_CATALOGUE_NAME, 'corridors.yaml'))} · "
    f"{md(catalogue.meta.title)}, version {md(catalogue.meta.version)}: "
    f"{len(catalogue.corridors)} corridors, "
    f"{len(catalogue.nodes)} nodes, {len(catalogue.legs)} legs, {len(catalogue.sources)} sources."
)

with st.expander("Load your own catalogue", expanded=False):
    st.markdown(
        f"Upload a YAML catalogue (up to {MAX_BYTES // 1024 // 1024} MB, same format as "
        "`corridors.yaml`). A valid file replaces the catalogue **for your session only**; "
        "an invalid one is reported line by line and the current catalogue stays in place."
    )
    upload = st.file_uploader("Catalogue YAML", type=["yaml", "yml"], key="catalogue_upload")
    if upload is not None and st.session_state.get("upload_seen") != upload.file_id:
        st.session_state["upload_seen"] = upload.file_id
        found = use_uploaded_catalogue(upload.getvalue(), upload.name)
        errors = [p for p in found if p.severity == "error"]
        st.session_state[STATE_UPLOAD_ERRORS] = (upload.name, [str(p) for p in errors])
        if not errors:
            st.rerun()
    failed = st.session_state.get(STATE_UPLOAD_ERRORS)
    if failed and failed[1]:
        st.error(
            f"{md(failed[0])} was not loaded: {len(failed[1])} problems. "
            "The previous catalogue is still in use."
        )
        st.code("\n".join(failed[1]), language=None)
    name, data = current_catalogue_bytes()
    st.download_button(
        "Download the catalogue in use", data, file_name=name, mime="application/x-yaml"
    )

problems = st.session_state.get(STATE_PROBLEMS, [])
with st.expander(f"Validation report: {len(problems)} warnings", expanded=False):
    if problems:
        st.code("\n".join(str(p) for p in problems), language=None)
    else:
        st.success("No problems found.")

tabs = st.tabs(["Corridors", "Legs", "Nodes", "Countries", "Scenarios"])
with tabs[0]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "名称": c.name_zh or "",
                    "status": c.status.value,
                    "direction": c.direction,
                    "legs": len(c.legs),
                    "description": c.description,
                }
                for c in catalogue.corridors
            ]
        ),
        hide_index=True,
        width="stretch",
    )
with tabs[1]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": leg.id,
                    "from": leg.from_,
                    "to": leg.to,
                    "mode": leg.mode.value,
                    "gauge (mm)": leg.gauge_mm,
                    "status": leg.status.value,
                    "distance (km)": leg.distance_km.value,
                    "distance source": cite(leg.distance_km),
                    "note": leg.note or "",
                }
                for leg in catalogue.legs
            ]
        ),
        hide_index=True,
        width="stretch",
    )
with tabs[2]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": n.id,
                    "name": n.name,
                    "名称": n.name_zh or "",
                    "kind": n.kind.value,
                    "country": n.country,
                    "lat": n.lat,
                    "lon": n.lon,
                    "gauge break": n.gauge_break,
                    "dwell (h)": n.dwell_hours.value if n.dwell_hours else None,
                    "dwell source": cite(n.dwell_hours),
                    "handling (USD/FEU)": n.handling_usd_per_feu.value
                    if n.handling_usd_per_feu
                    else None,
                    "coordinates": n.coordinates_basis,
                }
                for n in catalogue.nodes
            ]
        ),
        hide_index=True,
        width="stretch",
    )
with tabs[3]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "code": c.code,
                    "name": c.name,
                    "名称": c.name_zh or "",
                    "blocs": ", ".join(c.blocs),
                    "sanctions regimes": ", ".join(c.sanctions),
                    "gatekeeper": c.gatekeeper,
                    "WGI stability (percentile)": c.stability_percentile.value,
                    "source": cite(c.stability_percentile),
                    "OECD risk (0-7)": c.oecd_risk.value if c.oecd_risk else None,
                }
                for c in catalogue.countries
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "OECD country risk categories are shown for context. The OECD neither endorses nor "
        "encourages use of the classification for any purpose other than export credits."
    )
with tabs[4]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": s.id,
                    "name": s.name,
                    "description": s.description,
                    "rationale": s.rationale,
                    "closes": ", ".join([*s.close_countries, *s.close_nodes, *s.close_legs]),
                    "opens": ", ".join(s.open_legs),
                }
                for s in catalogue.scenarios
            ]
        ),
        hide_index=True,
        width="stretch",
    )
