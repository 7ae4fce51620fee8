"""
The decision views on the command line: `tradeoffs` (which routes no other beats on cost, time
and exposure at once) and `reliability` (the chance of arriving within a deadline, and of one
route beating another). Apart from `geo.cli` so each module stays one idea; the same engine
functions serve the dashboard.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TextIO

from geo.capacity import diversion_records, divert
from geo.catalogue import Catalogue
from geo.errors import RouteError
from geo.numbers import format_range
from geo.reliability import reliability
from geo.scenarios import (
    ActiveScenario,
    Adjustments,
    apply_scenario,
    customise,
    scenario_by_id,
)
from geo.tradeoffs import option_paths, tradeoff_records, tradeoffs
from geo.trips import Trip

Handler = Callable[[argparse.Namespace, Catalogue, TextIO], int]


def country_codes(catalogue: Catalogue, raw: str | None) -> tuple[str, ...]:
    """`--avoid CN,RU` as known country codes; an unknown one is bad usage, named."""
    codes = tuple(dict.fromkeys(c.strip().upper() for c in (raw or "").split(",") if c.strip()))
    unknown = sorted(set(codes) - {country.code for country in catalogue.countries})
    if unknown:
        raise RouteError(f"unknown country code(s) in --avoid: {', '.join(unknown)}")
    return codes


def _trip(args: argparse.Namespace, catalogue: Catalogue) -> tuple[Trip, ActiveScenario]:
    """The trip the options ask about, and the scenario with the avoided countries closed."""
    known = {n.id for n in catalogue.nodes} | {p.id for p in catalogue.places}
    for end in (args.origin, args.destination):
        if end not in known:
            raise RouteError(f"unknown node or place '{end}'")
    avoid = country_codes(catalogue, args.avoid)
    preset = scenario_by_id(catalogue, args.scenario)
    scenario = customise(catalogue, preset, Adjustments(close_countries=avoid))
    active = apply_scenario(catalogue, scenario, getattr(args, "commodity", None))
    return Trip(args.origin, args.destination, getattr(args, "commodity", None), avoid), active


def run_tradeoffs(args: argparse.Namespace, catalogue: Catalogue, out: TextIO) -> int:
    trip, active = _trip(args, catalogue)
    found = tradeoffs(catalogue, active, trip)
    if args.format == "json":
        out.write(json.dumps(tradeoff_records(found), ensure_ascii=False, indent=2) + "\n")
        return 0
    print(f"Options from {args.origin} to {args.destination} (non-dominated first):", file=out)
    for option in sorted(found.options, key=lambda o: (o.dominated, o.metrics.cost_usd_per_feu)):
        m = option.metrics
        mark = "dominated" if option.dominated else "NON-DOMINATED"
        print(
            f"  {mark:13} {option.name}: USD {format_range(m.cost_range, 'usd')}, "
            f"{format_range(m.transit_days_range, 'days')} days, exposure {m.exposure.score:.0f}"
            + (f"; {option.reason}" if option.reason else ""),
            file=out,
        )
    if found.closed:
        print(f"  not open: {', '.join(found.closed)}", file=out)
    return 0


def run_reliability(args: argparse.Namespace, catalogue: Catalogue, out: TextIO) -> int:
    trip, active = _trip(args, catalogue)
    found = tradeoffs(catalogue, active, trip)
    table = reliability(found.answer.catalogue, active, option_paths(found, active), args.within)
    names = {o.metrics.corridor_id: o.name for o in found.options}
    if args.format == "json":
        data = [
            {
                "id": r.corridor_id,
                "name": names[r.corridor_id],
                "within": round(r.within, 3),
                "arrives_before": {k: round(v, 3) for k, v in r.before.items()},
            }
            for r in table
        ]
        out.write(json.dumps({"within_days": args.within, "options": data}, indent=2) + "\n")
        return 0
    print(f"Chance of arriving within {args.within:g} days (seeded draws):", file=out)
    for row in sorted(table, key=lambda r: -r.within):
        print(f"  {row.within:6.0%}  {names[row.corridor_id]}", file=out)
    return 0


def run_capacity(args: argparse.Namespace, catalogue: Catalogue, out: TextIO) -> int:
    active = apply_scenario(catalogue, args.scenario)
    found = divert(catalogue, active, args.divert_from, args.share, args.to)
    if args.format == "json":
        data = diversion_records(catalogue, found)
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    print(
        f"Moving {found.share:.0%} of {found.source} ({found.moved_teu:,.0f} TEU a year) "
        f"onto {', '.join(found.targets) or 'nothing open'}:",
        file=out,
    )
    for e in found.elements:
        wait = "saturated" if e.extra_wait_days is None else f"+{e.extra_wait_days:.1f} days"
        if e.capacity.volume_teu_per_year is None:
            wait += " (current volume not reported)"
        print(
            f"  {e.capacity.id:36} {e.base_utilisation:5.0%} → {e.utilisation:5.0%}  "
            f"({e.load_teu:,.0f} of {e.capacity.capacity_teu_per_year.value:,.0f} TEU)  {wait}",
            file=out,
        )
    first = found.first_to_saturate
    if first is not None:
        print(
            f"First to saturate: {first.capacity.id}, at {first.saturating_share:.0%} "
            f"of {found.source}'s volume",
            file=out,
        )
    return 0


def add_commands(with_catalogue: Callable[[str, str, Handler], argparse.ArgumentParser]) -> None:
    """The `tradeoffs`, `reliability` and `capacity` subcommands, on the CLI's parser."""
    capacity = with_catalogue(
        "capacity", "move volume off a corridor: the load on each bottleneck", run_capacity
    )
    capacity.add_argument("--divert-from", required=True, help="corridor whose volume moves")
    capacity.add_argument("--share", type=float, default=0.1, help="share of its volume, 0..1")
    capacity.add_argument("--to", help="corridor it moves to (default: every open rival)")
    capacity.add_argument("--format", choices=("table", "json"), default="table")
    for name, help_text, handler in (
        ("tradeoffs", "options between two places: which no other beats at once", run_tradeoffs),
        (
            "reliability",
            "chance of arriving within a deadline, and of beating each other",
            run_reliability,
        ),
    ):
        sub = with_catalogue(name, help_text, handler)
        sub.add_argument("--from", dest="origin", required=True, help="origin node or place id")
        sub.add_argument("--to", dest="destination", required=True, help="market node or place id")
        sub.add_argument("--avoid", help="comma-separated country codes to avoid, e.g. CN,RU")
        sub.add_argument("--commodity", help="commodity id (default: containers)")
        sub.add_argument("--format", choices=("table", "json"), default="table")
        if name == "reliability":
            sub.add_argument("--within", type=float, default=20.0, help="deadline in days")
