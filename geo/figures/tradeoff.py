"""
The trade-off chart: every option of a trip as a point, cost against days, with the model's
range as whiskers both ways; non-dominated options filled and named, dominated ones hollow;
exposure as the point's size. Drawn for the Decisions page and the briefing exports alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from geo.catalogue import Catalogue
from geo.emissions import route_emission
from geo.figures.layout import new_figure, rendering
from geo.figures.style import GRID, INK, MUTED
from geo.palette import LineStyle
from geo.tradeoffs import Option


def tradeoff_chart(
    options: Sequence[Option],
    catalogue: Catalogue | None,
    styles: dict[str, LineStyle],
    *,
    title: str,
    x_label: str,
    y_label: str,
    size: tuple[float, float] = (8.0, 4.6),
    co2e_label: str = "",
) -> Figure:
    """
    Cost (y) against transit days (x), one point per option; lower-left is better. With
    `co2e_label` (a format with `{kg}`), each label adds the option's CO2e per FEU.
    """
    with rendering():
        fig, _ = new_figure(size)
        ax = fig.add_axes((0.1, 0.12, 0.86, 0.78))
        ax.set_title(title, loc="left", color=INK, fontsize=11, fontweight="bold")
        ax.set_xlabel(x_label, color=MUTED)
        ax.set_ylabel(y_label, color=MUTED)
        ax.grid(True, color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        right = max((o.metrics.transit_days_range.high for o in options), default=1.0) * 1.08
        top = max((o.metrics.cost_range.high for o in options), default=1.0) * 1.12
        for rank, option in enumerate(sorted(options, key=lambda o: not o.dominated)):
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
            on_left = m.transit_days > right * 0.55  # a label in the right half runs leftwards
            found = route_emission(catalogue, [leg.step for leg in m.legs]) if catalogue else None
            text = option.name
            if co2e_label and found is not None:
                text += " · " + co2e_label.format(kg=f"{found.wtw_kg:,.0f}")
            ax.annotate(
                text,
                (m.transit_days, m.cost_usd_per_feu),
                xytext=(-6 if on_left else 6, 5 if rank % 2 else -13),  # neighbours alternate
                textcoords="offset points",
                ha="right" if on_left else "left",
                fontsize=7 if option.dominated else 8,
                color=MUTED if option.dominated else INK,
                fontweight="normal" if option.dominated else "bold",
            )
        ax.set_xlim(0, right)
        ax.set_ylim(0, top)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    return fig
