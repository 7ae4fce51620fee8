"""
The one way in: a file extension or format name picks the renderer, so the CLI, the dashboard's
download buttons and the bench all produce the same files, named and typed the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from geo.annotations import Annotations
from geo.catalogue import Catalogue
from geo.exports.briefing import Briefing
from geo.exports.figures import figure_bytes
from geo.exports.html import html_bytes
from geo.exports.markdown import markdown_bytes
from geo.exports.pack import zip_bytes
from geo.exports.tables import csv_bytes, xlsx_bytes
from geo.i18n import DEFAULT_LANGUAGE
from geo.scenarios import ActiveScenario

FORMATS: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "zip": "application/zip",
    "md": "text/markdown",
}
"""Export formats by file extension (without the dot), with their media types."""


def _figure(fmt: str) -> Callable[[Briefing], bytes]:
    return lambda briefing: figure_bytes(briefing, (fmt,))[0]


RENDERERS: dict[str, Callable[[Briefing], bytes]] = {
    "png": _figure("png"),
    "svg": _figure("svg"),
    "pdf": _figure("pdf"),
    "csv": csv_bytes,
    "xlsx": xlsx_bytes,
    "html": html_bytes,
    "md": markdown_bytes,
    "zip": zip_bytes,
}
"""What makes each format's bytes from a `Briefing` (the keys are those of `FORMATS`)."""


def export(
    catalogue: Catalogue,
    active: ActiveScenario,
    path: Path,
    *,
    corridors: list[str] | None = None,
    preset: str = "slide",
    weights: dict[str, float] | None = None,
    date: dt.date | None = None,
    title: str | None = None,
    basemap: str = "natural-earth",
    lang: str = DEFAULT_LANGUAGE,
) -> Path:
    """
    Write the current view to `path`, in the format its extension names.

    `.png .svg .pdf` the briefing figure, `.csv .xlsx` the comparison table, `.html` the
    interactive map as one offline file, `.md` a written summary, `.zip` all of them. Every word
    in them is in `lang`, a key of `geo.i18n.LANGUAGES` ("en" English, "zh" Simplified Chinese).

    Raises
    ------
    ValueError
        For an extension not listed above, unknown corridors, an unknown preset or language.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(
            f"cannot export to {path.name!r}: the extension {path.suffix or '(none)'!r} is not one "
            f"of {', '.join('.' + f for f in FORMATS)}"
        )
    data = export_bytes(
        catalogue,
        active,
        fmt,
        corridors=corridors,
        preset=preset,
        weights=weights,
        date=date,
        title=title,
        basemap=basemap,
        lang=lang,
    )
    path.write_bytes(data)
    return path


def export_bytes(
    catalogue: Catalogue,
    active: ActiveScenario,
    fmt: str,
    *,
    corridors: list[str] | None = None,
    preset: str = "slide",
    weights: dict[str, float] | None = None,
    date: dt.date | None = None,
    title: str | None = None,
    basemap: str = "natural-earth",
    lang: str = DEFAULT_LANGUAGE,
    notes: Annotations | None = None,
) -> bytes:
    """
    The same exports as `export`, as bytes for a download button; `fmt` is e.g. "png", `lang`
    e.g. "zh"; `notes` are the team's notes (`geo.annotations`), written into the Markdown.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"`fmt` was {fmt!r} but is expected to be one of {', '.join(FORMATS)}")
    briefing = Briefing(
        catalogue, active, corridors, preset, weights, date, title, basemap, lang, notes
    )
    return RENDERERS[fmt](briefing)


def media_type(fmt: str) -> str:
    """The media type for a download of `fmt` ("png", ".xlsx", …)."""
    return FORMATS[fmt.lower().lstrip(".")]


def file_name(active: ActiveScenario, fmt: str, date: dt.date | None = None) -> str:
    """A download name such as `corridor-briefing-baseline-2026-11-24.png`."""
    slug = re.sub(r"[^a-z0-9]+", "-", active.scenario.id.lower()).strip("-") or "scenario"
    day = (date or dt.date.today()).isoformat()
    return f"corridor-briefing-{slug}-{day}.{fmt.lower().lstrip('.')}"
