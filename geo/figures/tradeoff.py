"""
The trade-off chart: every option of a trip as a point, cost against days, with the model's
range as whiskers both ways; non-dominated options filled and named, dominated ones hollow;
exposure as the point's size. Drawn for the Decisions page and the briefing exports alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure

from geo.figures.layout import new_figure, rendering
from geo.figures.style import GRID, INK, MUTED
from geo.palette import LineStyle
from geo.tradeoffs import Option


def tradeoff_chart(
    options: Sequence[Option],
    co2e_kg: Mapping[str, float],
    styles: dict[str, LineStyle],
    *,
    title: str,
    x_label: str,
    y_label: str,
    size: tuple[float, float] = (10.0, 4.8),
    co2e_label: str = "",
) -> Figure:
    """
    Cost (y) against transit days (x), one numbered point per option (lower-left is better),
    and beside the plot the key: each number's option, non-dominated ones first and in bold,
    with its CO2e per FEU (`co2e_kg`, by option id) where `co2e_label` (a format with `{kg}`)
    is given. Numbers, not
    names, sit on the points: a dozen names at one corner of a plot cannot be read.
    """
    ordered = sorted(options, key=lambda o: (o.dominated, o.metrics.cost_usd_per_feu))
    with rendering():
        fig, _ = new_figure(size)
        ax = fig.add_axes((0.08, 0.12, 0.5, 0.78))
        ax.set_title(title, loc="left", color=INK, fontsize=11, fontweight="bold")
        ax.set_xlabel(x_label, color=MUTED)
        ax.set_ylabel(y_label, color=MUTED)
        ax.grid(True, color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        right = max((o.metrics.transit_days_range.high for o in options), default=1.0) * 1.08
        top = max((o.metrics.cost_range.high for o in options), default=1.0) * 1.12
        for number, option in enumerate(ordered, start=1):
            m = option.metrics
            colour = styles[m.corridor_id].colour if m.corridor_id in styles else MUTED
            days, cost = m.transit_days_range, m.cost_range
            ax.errorbar(
                m.transit_days,
                m.cost_usd_per_feu,
                xerr=[[m.transit_days - days.low], [days.high - m.transit_days]],
                yerr=[[m.cost_usd_per_feu - cost.low], [cost.high - m.cost_usd_per_feu]],
                fmt="none",
                ecolor=colour,
                elinewidth=0.8,
                alpha=0.45 if option.dominated else 0.9,
            )
            ax.scatter(
                [m.transit_days],
                [m.cost_usd_per_feu],
                s=30 + 3 * m.exposure.score,
                facecolors="white" if option.dominated else colour,
                edgecolors=colour,
                linewidths=1.4,
                zorder=3,
            )
            ax.annotate(
                str(number),
                (m.transit_days, m.cost_usd_per_feu),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=8,
                color=INK,
                fontweight="normal" if option.dominated else "bold",
                zorder=4,
            )
            text = f"{number}  {option.name}"
            if co2e_label and m.corridor_id in co2e_kg:
                text += " · " + co2e_label.format(kg=f"{co2e_kg[m.corridor_id]:,.0f}")
            fig.text(
                0.61,
                0.9 - (number - 1) * min(0.085, 0.8 / max(len(ordered), 1)),
                text,
                fontsize=7.5,
                color=MUTED if option.dominated else INK,
                fontweight="normal" if option.dominated else "bold",
                va="top",
                wrap=True,
            )
        ax.set_xlim(0, right)
        ax.set_ylim(0, top)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    return fig
