"""Corridor Atlas: `streamlit run dashboard.py`. Pages live in pages/; the engine in geo/."""

import streamlit as st

st.set_page_config(page_title="Corridor Atlas", page_icon=":world_map:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/map.py", title="Map", url_path="map", default=True),
        st.Page("pages/compare.py", title="Compare", url_path="compare"),
        st.Page("pages/routes.py", title="Route finder", url_path="routes"),
        st.Page("pages/export.py", title="Briefing exports", url_path="export"),
        st.Page("pages/catalogue.py", title="Catalogue", url_path="catalogue"),
        st.Page("pages/sources.py", title="Sources & method", url_path="sources"),
    ]
)
navigation.run()
