"""
The dashboard's map through `st_folium` and nothing else: the Streamlit floor for time to map.

Run by the bench as `streamlit run bench/bare_app.py` with `bench/static` linked to the app's
`static/`, so the map's `/app/static/vendor/` files are served exactly as for the dashboard. It
reads the same catalogue (`CORRIDOR_ATLAS_CATALOGUE`) the same way.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.catalogue import Catalogue
from geo.loader import check_catalogue_file
from geo.mapdata import MapData, map_data
from geo.maps import atlas_layers, corridor_map, published_map_data
from geo.metrics import CorridorMetrics, evaluate_all
from geo.palette import corridor_styles
from geo.scenarios import apply_scenario
from geo.settings import default_catalogue_path

st.set_page_config(page_title="Corridor Atlas (bare map)", layout="wide")


@st.cache_resource(show_spinner=False)
def baseline(path: str, mtime: float) -> tuple[Catalogue, list[CorridorMetrics], MapData]:
    """The catalogue, every corridor under the baseline and the map's data, once per file
    version (the dashboard keeps the same per view)."""
    catalogue, problems = check_catalogue_file(path)
    if catalogue is None:
        raise RuntimeError(f"{path} is not a usable catalogue: {problems[:3]}")
    results = evaluate_all(catalogue, apply_scenario(catalogue))
    return catalogue, results, map_data(catalogue, results, corridor_styles(catalogue))


source = default_catalogue_path()
catalogue, results, data = baseline(str(source), source.stat().st_mtime)
folium_map = corridor_map(
    catalogue,
    results,
    basemap="natural-earth",
    embed_basemap=False,
    data=data,
    data_url=published_map_data(data),
    live=True,  # as pages/map.py: the layers go to st_folium apart from the map
)
st_folium(  # the map's data fetched from the static files, as the dashboard's
    folium_map,
    feature_group_to_add=atlas_layers(folium_map),
    key="corridor-map",
    height=640,  # as pages/map.py MAP_HEIGHT
    use_container_width=True,
    returned_objects=[],
    render=False,  # as pages/map.py: st_folium renders the map itself
)
