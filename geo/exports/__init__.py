"""
Briefing exports of the current view: figure, chart, table, interactive map, summary, or a ZIP.

One dispatcher picks the format from a file extension (or a format name, for the dashboard's
download buttons), so every entry point produces the same files. Every file comes in each language
of `geo.i18n.LANGUAGES`: words from `locales/<lang>/exports.yaml`, names from the catalogue, and
source titles as published. Catalogue strings are untrusted: they are HTML-escaped in HTML,
escaped in Markdown, and defused in CSV/XLSX cells that a spreadsheet would otherwise run as a
formula.

One module per format family: `briefing` (the view, made once), `dispatch` (format names, file
names, media types), `figures` (PNG/SVG/PDF), `tables` (CSV/XLSX), `html` (the offline map),
`markdown` (the summary) and `pack` (the ZIP).
"""

from __future__ import annotations

from geo.exports.briefing import Briefing
from geo.exports.dispatch import FORMATS, RENDERERS, export, export_bytes, file_name, media_type
from geo.exports.html import HTML_LANG, standalone_html
from geo.exports.markdown import MD_FIGURES
from geo.exports.pack import PACK_FILES
from geo.exports.tables import FORMULA_TRIGGERS, TABLE_COLUMNS, Cell, safe_cell, table_rows

__all__ = [
    "FORMATS",
    "FORMULA_TRIGGERS",
    "HTML_LANG",
    "MD_FIGURES",
    "PACK_FILES",
    "RENDERERS",
    "TABLE_COLUMNS",
    "Briefing",
    "Cell",
    "export",
    "export_bytes",
    "file_name",
    "media_type",
    "safe_cell",
    "standalone_html",
    "table_rows",
]
