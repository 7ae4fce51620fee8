"""
Browser assets the app serves itself, so a page never asks a third-party host for anything.

`npm ci` installs the packages named in `package.json`; `scripts/vendor_assets.py` copies the
files listed here into `static/vendor/`, which Streamlit serves at `/app/static/vendor/`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from geo import settings
from geo.settings import REPO_ROOT

STATIC_DIR = REPO_ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
NODE_MODULES = REPO_ROOT / "node_modules"
SERVED_PREFIX = "/app/static/vendor"
"""Where Streamlit's static serving exposes `static/vendor/`."""

VENDOR_FILES: dict[str, str] = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "fullscreen/Control.FullScreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "fullscreen/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "fullscreen/icon-fullscreen.svg": "leaflet.fullscreen/icon-fullscreen.svg",
    "protomaps/protomaps-leaflet.js": "protomaps-leaflet/dist/protomaps-leaflet.js",
    "pmtiles/pmtiles.js": "pmtiles/dist/pmtiles.js",
}
"""Served path under static/vendor/ -> path under node_modules/."""

IMAGE_PATH_JS = "corridor-atlas/leaflet-image-path.js"
"""Our own one-liner, loaded right after Leaflet, pointing marker icons at the served images."""
BASEMAP_TILES: dict[str, str] = {
    "low": "corridor-atlas/basemap-low.pmtiles",
    "high": "corridor-atlas/basemap-high.pmtiles",
}
"""The offline basemap, Natural Earth vector tiles (scripts/build_basemap_tiles.py): the whole
world at 1:50m with every name (`low`), and 1:10m from zoom 5 where the corridors run (`high`).
Served as files: the browser asks for the byte ranges of the tiles in view."""


WEB_DIR = REPO_ROOT / "geo" / "web"
WEB_FILES = ("map.js", "map.css", "bridge.js")
"""The map's own browser code (committed in geo/web/), served as `corridor-atlas/<name>`."""

DATA_DIR = REPO_ROOT / "geo" / "data"
BASEMAP_FILE = DATA_DIR / "countries.geojson"
"""Country outlines (Natural Earth, trimmed by scripts/build_basemap.py) for the figures."""


def basemap_tile_file(name: str) -> Path:
    """The committed PMTiles file of `BASEMAP_TILES[name]`."""
    return DATA_DIR / Path(BASEMAP_TILES[name]).name


BASEMAPS: dict[str, dict[str, str]] = {
    "natural-earth": {"label": "Natural Earth (offline)"},
    "osm": {
        "label": "OpenStreetMap (online)",
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": "&copy; OpenStreetMap contributors",
    },
    "carto-positron": {
        "label": "CARTO Positron (online)",
        "tiles": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "attr": "&copy; OpenStreetMap contributors &copy; CARTO",
    },
}
"""Basemaps offered; only the offline one is used unless a user picks another."""

PUBLISHED_DIR = STATIC_DIR / "maps"
PUBLISHED_PREFIX = "/app/static/maps"
"""Files the app writes for browsers to fetch (map data), served at `/app/static/maps/`."""


def served_url(name: str) -> str:
    return f"{SERVED_PREFIX}/{name}"


@cache
def web_url(name: str) -> str:
    """The served URL of one of our `WEB_FILES`, with a hash of its content: a browser never
    keeps an old copy after an upgrade, and caches the file as long as it is unchanged."""
    digest = hashlib.sha256((WEB_DIR / name).read_bytes()).hexdigest()[:12]
    return f"{served_url('corridor-atlas/' + name)}?v={digest}"


@cache
def basemap_tiles_url(name: str) -> str:
    """The served URL of a basemap tile file, with a hash of its content (as `web_url`)."""
    digest = hashlib.sha256(basemap_tile_file(name).read_bytes()).hexdigest()[:12]
    return f"{served_url(BASEMAP_TILES[name])}?v={digest}"


def install_web_files() -> list[Path]:
    """
    Copy `geo/web/` into the served folder where a copy is missing or differs. Run by `make`
    and by the map once per process, so an edited script is served without another set-up.
    """
    written = []
    for name in WEB_FILES:
        data = (WEB_DIR / name).read_bytes()
        target = vendor_path(f"corridor-atlas/{name}")
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    return written


def published_url(name: str) -> str:
    return f"{PUBLISHED_PREFIX}/{name}"


def publish(name: str, text: str, directory: Path | None = None) -> str:
    """
    Write `text` as `name` in the published directory (once: the name must hold a hash of the
    text) and return its URL. The browser fetches it over HTTP, outside Streamlit's messages.
    Raises OSError if the directory cannot be written.
    """
    directory = directory or PUBLISHED_DIR
    path = directory / name
    if path.is_file():
        os.utime(path)  # recently used: evicted last
        return published_url(name)
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, prefix=".tmp-", delete=False
    ) as handle:
        handle.write(text)
    os.replace(handle.name, path)  # atomic: a browser never reads half a file
    _evict(directory, keep=settings.get().published_keep)
    return published_url(name)


def _evict(directory: Path, *, keep: int) -> None:
    files = []
    for path in directory.iterdir():
        try:
            files.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # another session evicted it first
            continue
    for _, path in sorted(files, reverse=True)[keep:]:
        path.unlink(missing_ok=True)


def vendor_path(name: str) -> Path:
    return VENDOR_DIR / name


def missing_assets() -> list[str]:
    """Vendor files not yet copied; the dashboard refuses to draw a blank map over them."""
    web = [f"corridor-atlas/{name}" for name in WEB_FILES]
    wanted = [*VENDOR_FILES, IMAGE_PATH_JS, *BASEMAP_TILES.values(), *web]
    return [name for name in wanted if not vendor_path(name).is_file()]


def install_vendor_files() -> list[Path]:
    """Copy the listed files from node_modules into static/vendor (run by `make`)."""
    written = []
    for served, source in VENDOR_FILES.items():
        origin = NODE_MODULES / source
        if not origin.is_file():
            raise FileNotFoundError(f"{origin} is missing: run `npm ci` first")
        target = vendor_path(served)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(origin.read_bytes())
        written.append(target)
    image_path = vendor_path(IMAGE_PATH_JS)
    image_path.parent.mkdir(parents=True, exist_ok=True)
    image_path.write_text(
        f'L.Icon.Default.imagePath = "{served_url("leaflet/images/")}";\n', encoding="utf-8"
    )
    written.append(image_path)
    for name, served in BASEMAP_TILES.items():
        tiles = vendor_path(served)
        tiles.write_bytes(basemap_tile_file(name).read_bytes())
        written.append(tiles)
    return [*written, *install_web_files()]
