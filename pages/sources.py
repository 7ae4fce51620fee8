"""Sources & method: the bibliography behind every figure, and how each metric is computed."""

from __future__ import annotations

import streamlit as st

from geo.settings import REPO_ROOT
from pages._common import md, page_view

view = page_view()
catalogue = view.catalogue

st.title("Sources & method")
st.markdown(md(catalogue.meta.description))

st.subheader(f"Bibliography ({len(catalogue.sources)} sources)")
st.dataframe(
    [
        {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher,
            "year": s.year,
            "url": s.url if s.url and s.url.startswith(("http://", "https://")) else None,
            "accessed": s.accessed.isoformat(),
            "quality": s.quality,
            "note": s.note or "",
        }
        for s in catalogue.sources
    ],
    column_config={"url": st.column_config.LinkColumn("url")},
    hide_index=True,
    width="stretch",
)

st.subheader("How the figures are computed")
method = (REPO_ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
st.markdown(
    method[method.index("## How the model turns figures into metrics") :].replace("## ", "#### ")
)
st.markdown("#### Exposure model in this catalogue")
weights = catalogue.parameters.exposure.weights
st.markdown(
    f"Weights: instability {weights.instability}, sanctions {weights.sanctions}, "
    f"gatekeepers {weights.gatekeepers}, borders {weights.borders}; border crossings cap "
    f"{catalogue.parameters.exposure.border_crossings_cap}.\n\n{md(catalogue.parameters.exposure.method)}"
)
