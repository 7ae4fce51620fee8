"""
The interactive map as one HTML file that opens from disk with no server and no network: the
dashboard's folium map with every vendored script, stylesheet and image it loads from the app's
static files inlined.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from pathlib import Path

from geo.assets import IMAGE_PATH_JS, SERVED_PREFIX, VENDOR_DIR
from geo.exports.briefing import Briefing
from geo.i18n import DEFAULT_LANGUAGE
from geo.maps import corridor_map

HTML_LANG: dict[str, str] = {"en": "en", "zh": "zh-Hans"}
"""The `lang` attribute of an HTML page per interface language (BCP 47)."""

_SCRIPT_TAG = re.compile(
    r'<script\b(?P<before>[^>]*?)\s+src="(?P<url>[^"]+)"(?P<after>[^>]*)>\s*</script>'
)
_LINK_TAG = re.compile(r'<link\b(?=[^>]*\srel="stylesheet")[^>]*?\shref="(?P<url>[^"]+)"[^>]*>')
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?P<ref>[^'\")]+)\1\s*\)")
_MARKER_IMAGES = {
    "iconUrl": "leaflet/images/marker-icon.png",
    "iconRetinaUrl": "leaflet/images/marker-icon-2x.png",
    "shadowUrl": "leaflet/images/marker-shadow.png",
}


def _served_name(url: str) -> str | None:
    """`leaflet/leaflet.js` for `/app/static/vendor/leaflet/leaflet.js?v=…`; None if not ours."""
    if not url.startswith(SERVED_PREFIX + "/"):
        return None
    return url.removeprefix(SERVED_PREFIX + "/").split("#", 1)[0].split("?", 1)[0]


def _vendor_file(name: str) -> Path:
    """The file on disk behind a served vendor name (never outside VENDOR_DIR)."""
    path = (VENDOR_DIR / name).resolve()
    if VENDOR_DIR.resolve() not in path.parents:
        raise ValueError(f"not a vendored asset: {SERVED_PREFIX}/{name}")
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make setup` to copy the vendor files")
    return path


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """A stylesheet with every relative `url(...)` replaced by the file itself as a data URI."""

    def replace(match: re.Match[str]) -> str:
        ref = match.group("ref").strip()
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            return match.group(0)
        target = (path.parent / ref).resolve()
        if VENDOR_DIR.resolve() not in target.parents or not target.is_file():
            return match.group(0)
        return f'url("{_data_uri(target)}")'

    return _CSS_URL.sub(replace, path.read_text(encoding="utf-8"))


def _icon_script() -> str:
    """Leaflet's default marker images as data URIs, in place of the served image path."""
    options = ", ".join(
        f'{key}: "{_data_uri(VENDOR_DIR / name)}"' for key, name in _MARKER_IMAGES.items()
    )
    return f'L.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({{{options}}});\n'


def _inline_script(match: re.Match[str]) -> str:
    """A served `<script src>` as the script itself (other attributes kept, e.g. `type`)."""
    name = _served_name(match.group("url"))
    if name is None:
        return match.group(0)
    body = _icon_script() if name == IMAGE_PATH_JS else _vendor_file(name).read_text("utf-8")
    attributes = match.group("before") + match.group("after")
    return f"<script{attributes}>" + body.replace("</script", "<\\/script") + "</script>"


def _inline_stylesheet(match: re.Match[str]) -> str:
    """A served `<link rel="stylesheet">` as a `<style>` with its images as data URIs."""
    name = _served_name(match.group("url"))
    if name is None:
        return match.group(0)
    body = _inline_css(_vendor_file(name))
    return "<style>" + body.replace("</style", "<\\/style") + "</style>"


def standalone_html(
    html_text: str,
    *,
    caption: str = "",
    title: str = "",
    footer: str = "",
    lang: str = DEFAULT_LANGUAGE,
) -> str:
    """
    A rendered folium page made self-contained: vendored scripts and styles inlined.

    Every `/app/static/vendor/…` script and stylesheet (a `?v=…` cache-buster allowed) is
    replaced by its contents, in place, so the page's order of scripts and rules is kept; images
    in the CSS become data URIs, and the marker image path points at inlined images, so the file
    opens from disk with no server and no network. `caption` is HTML as given; `title` and
    `footer` (a line at the bottom-left: the catalogue the map was made from) are escaped here.
    A page in another language than English says so (`<html lang="zh-Hans">`), so browsers pick
    Chinese fonts and screen readers the right voice.

    Raises
    ------
    RuntimeError
        If anything still points at the app's static files afterwards.
    """
    page = _LINK_TAG.sub(_inline_stylesheet, _SCRIPT_TAG.sub(_inline_script, html_text))
    if lang != DEFAULT_LANGUAGE:
        page = page.replace("<html>", f'<html lang="{HTML_LANG.get(lang, lang)}">', 1)
    if title:
        page = page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
    if caption:
        box = (
            '<div style="position:fixed;top:10px;left:50%;transform:translateX(-50%);'
            "z-index:1000;background:rgba(255,255,255,.92);padding:4px 10px;border-radius:4px;"
            'font:13px/1.3 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:60vw">'
            f"{caption}</div>"
        )
        page = page.replace("</body>", box + "\n</body>", 1)
    if footer:
        note = (
            '<div class="ca-export-footer" style="position:fixed;bottom:2px;left:4px;z-index:1000;'
            'background:rgba(255,255,255,.85);padding:1px 6px;font:11px/1.3 sans-serif">'
            f"{html.escape(footer)}</div>"
        )
        page = page.replace("</body>", note + "\n</body>", 1)
    if SERVED_PREFIX in page:
        raise RuntimeError("the exported map still refers to the app's static files")
    return page


def html_bytes(briefing: Briefing) -> bytes:
    """The dashboard's map of the shown corridors, captioned and titled, as one UTF-8 file."""
    words = briefing.words
    m = corridor_map(
        briefing.catalogue,
        briefing.results,
        basemap=briefing.basemap,
        lang=briefing.lang,
        notes=briefing.notes,  # the team's notes in the popups, as on the dashboard
    )
    scenario = words.t("export.html.scenario", scenario=briefing.scenario_name)
    caption = (
        f"<b>{html.escape(briefing.heading)}</b> · {html.escape(scenario)}"
        f" · {html.escape(words.date(briefing.day))}"
    )
    page = standalone_html(
        m.get_root().render(),
        caption=caption,
        title=briefing.full_title,
        footer=briefing.cite,
        lang=briefing.lang,
    )
    return page.encode("utf-8")
