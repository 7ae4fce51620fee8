"""
The offline basemap's settings for the map's script: where its Natural Earth tiles are (or the
tiles themselves, for a page that must work as a lone file), the zooms of its two files, and its
colours. `geo/web/map.js` draws it with protomaps-leaflet; scripts/build_basemap_tiles.py builds
the files.
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

from geo import palette
from geo.assets import BASEMAP_TILES, basemap_tile_file, basemap_tiles_url

BASEMAP_ZOOMS = {"low": 4, "high": 7}
"""The deepest zoom of data tiles in each basemap file (scripts/build_basemap_tiles.py)."""
HIGH_DETAIL_FROM = 5
"""The map zoom from which the 1:10m file draws (a 256 px map tile draws the data tile of the
zoom below, so its first data zoom, 4, is drawn here)."""
BASEMAP_ATTRIBUTION = "Natural Earth"


@cache
def basemap_tiles_base64(name: str) -> str:
    """A basemap tile file for pages that carry it (the one-file export), once per process."""
    return base64.b64encode(basemap_tile_file(name).read_bytes()).decode("ascii")


def basemap_config(lang: str, *, embed: bool) -> dict[str, Any]:
    """What `geo/web/map.js` needs to draw the offline basemap in `lang`: where its tiles are
    (or the tiles themselves, base64, when the page must work as a lone file), and colours."""
    return {
        "sources": [
            {
                "name": name,
                "url": None if embed else basemap_tiles_url(name),
                "data": basemap_tiles_base64(name) if embed else None,
                "maxDataZoom": BASEMAP_ZOOMS[name],
            }
            for name in BASEMAP_TILES
        ],
        "highFrom": HIGH_DETAIL_FROM,
        "lang": lang,
        "colours": palette.BASEMAP_COLOURS,
        "attribution": BASEMAP_ATTRIBUTION,
    }
