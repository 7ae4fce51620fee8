"""
Static briefing figures: the current view as a report-ready map, and the comparison as bar charts.

Drawn with matplotlib (Agg, never pyplot's window machinery) and geopandas on the offline Natural
Earth basemap, in the corridor colours of the interactive map, so a slide and the dashboard agree.
Each corridor also keeps its own line pattern, so a greyscale print still tells corridors apart.
Layout is computed in inches from measured text, not left to chance: labels that would collide are
moved or dropped, long lists are cut with "and N more", and nothing spills over the page edge.

Modules, by idea: `style` (page sizes, and `geo.palette` in matplotlib's terms), `layout` (fonts,
saving, measured text, page furniture), `words` (sources, date, takeaway), `basemap`, `lines`
(corridor lines), `labels` (node symbols and labels), `key` (legend), `chart` (comparison bars),
`briefing` (the map page).
"""

from geo.figures.briefing import briefing_figure
from geo.figures.chart import bar_slots, comparison_chart
from geo.figures.layout import close_figure, figure_rc, font_families, save_figure
from geo.figures.style import CJK_FAMILY, CJK_FONT, PNG_DPI, PRESETS
from geo.figures.words import cited_sources, format_date, short_citations, takeaway

__all__ = [
    "CJK_FAMILY",
    "CJK_FONT",
    "PNG_DPI",
    "PRESETS",
    "bar_slots",
    "briefing_figure",
    "cited_sources",
    "close_figure",
    "comparison_chart",
    "figure_rc",
    "font_families",
    "format_date",
    "save_figure",
    "short_citations",
    "takeaway",
]
