"""
`python -m geo`: the command line over the same engine the dashboard uses.

Each subcommand parses, calls one engine function and writes; errors become messages on stderr
and exit codes (0 ok, 1 invalid catalogue, 2 unreadable input or bad usage), never tracebacks.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from geo import benchmarks, settings
from geo.benchmarks import compare_benchmarks
from geo.catalogue import Catalogue
from geo.cli_decisions import add_commands, country_codes
from geo.errors import CatalogueError, CatalogueUnreadable, RouteError, ScenarioError
from geo.i18n import LANGUAGES
from geo.loader import check_catalogue_file, load_catalogue
from geo.numbers import format_range
from geo.routing import OBJECTIVES, find_routes
from geo.scenarios import apply_scenario
from geo.settings import SettingsError, default_catalogue_path
from geo.summary import summary, to_csv, to_json, to_table
from geo.trips import commodity_exclusions, countries_on, route_records

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = args.path or default_catalogue_path()
    try:
        catalogue, problems = check_catalogue_file(path)
    except CatalogueUnreadable as exc:
        print(exc.report(), file=err)
        return EXIT_USAGE
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for problem in problems:
        print(problem, file=err)
    if errors or (args.strict and warnings):
        print(f"{path}: invalid: {len(errors)} errors, {len(warnings)} warnings", file=err)
        return EXIT_INVALID
    assert catalogue is not None
    print(
        f"{path}: valid: {len(catalogue.corridors)} corridors, {len(catalogue.nodes)} nodes, "
        f"{len(catalogue.legs)} legs, {len(catalogue.sources)} sources, "
        f"{len(catalogue.scenarios)} scenarios ({len(warnings)} warnings)",
        file=out,
    )
    return EXIT_OK


def _summary(args: argparse.Namespace, catalogue: Catalogue, out: TextIO) -> int:
    data = summary(catalogue, apply_scenario(catalogue, args.scenario))
    writer = {"json": to_json, "csv": to_csv, "table": to_table}[args.format]
    out.write(writer(data).rstrip("\n") + "\n")
    return EXIT_OK


def _scenarios(args: argparse.Namespace, catalogue: Catalogue, out: TextIO) -> int:
    for scenario in catalogue.scenarios:
        print(f"{scenario.id}\n    {scenario.name}: {scenario.description}", file=out)
    return EXIT_OK


def _benchmarks(args: argparse.Namespace, catalogue: Catalogue, out: TextIO) -> int:
    active = apply_scenario(catalogue, args.scenario)
    comparisons = compare_benchmarks(catalogue, active)
    if args.format == "json":
        data = benchmarks.to_records(comparisons, active.scenario.id)
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(benchmarks.to_table(comparisons, active.scenario.id))
    return EXIT_OK


def _route(args: argparse.Namespace, catalogue: Catalogue, out: TextIO) -> int:
    avoid = country_codes(catalogue, args.avoid)
    active = apply_scenario(catalogue, args.scenario, args.commodity)
    routes = find_routes(
        catalogue,
        active,
        args.origin,
        args.destination,
        optimise=args.optimise,
        alternatives=args.alternatives,
        avoid=avoid,
    )
    exclusions = commodity_exclusions(catalogue, active)
    if args.format == "json":
        data = route_records(catalogue, active, routes, avoid=avoid, exclusions=exclusions)
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    start, end = catalogue.node(args.origin).name, catalogue.node(args.destination).name
    terms = f"under '{active.id}'"
    if avoid:
        terms += f", avoiding {', '.join(avoid)}"
    if args.commodity:
        terms += f", carrying {catalogue.commodity(args.commodity).name}"
    for exclusion in exclusions:
        print(
            f"Excluded for {args.commodity}: {', '.join(exclusion.targets)} "
            f"({exclusion.legs} legs): {exclusion.reason}",
            file=out,
        )
    if not routes:
        print(f"No open route from {start} to {end} {terms}.", file=out)
        reasons = dict.fromkeys(
            c.reason for c in active.closed_legs.values() if c.kind not in ("status", "commodity")
        )
        for reason in list(reasons)[:6]:
            print(f"  closed: {reason}", file=out)
        return EXIT_OK
    print(f"Best routes from {start} to {end} {terms}, by {args.optimise}:", file=out)
    for rank, route in enumerate(routes, start=1):
        m = route.metrics
        path = " → ".join([route.steps[0].start, *(s.end for s in route.steps)])
        countries = ", ".join(countries_on(catalogue, [s.leg.id for s in route.steps]))
        print(
            f"{rank}. {m.distance_km:,.0f} km, {format_range(m.transit_days_range, 'days')} days, "
            f"USD {format_range(m.cost_range, 'usd')}/FEU, exposure {m.exposure.score:.0f}, "
            f"{m.border_crossings} borders, {m.transshipments} transshipments, "
            f"{m.gauge_breaks} gauge breaks\n   through {countries}\n   {path}",
            file=out,
        )
    return EXIT_OK


def _export(args: argparse.Namespace, catalogue: Catalogue, out: TextIO) -> int:
    from geo.exports import export  # matplotlib and friends load only for exports

    corridors = [c for c in (args.corridors or "").split(",") if c] or None
    unknown = sorted(set(corridors or []) - {c.id for c in catalogue.corridors})
    if unknown:
        raise RouteError(f"unknown corridor(s): {', '.join(unknown)}")
    active = apply_scenario(catalogue, args.scenario)
    try:
        path = export(
            catalogue, active, args.out, corridors=corridors, preset=args.preset, lang=args.lang
        )
    except ValueError as exc:
        raise RouteError(str(exc)) from None
    except OSError as exc:
        raise RouteError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"wrote {path} ({path.stat().st_size:,} bytes)", file=out)
    return EXIT_OK


def _settings(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    out.write(settings.table() + "\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo", description="Corridor Atlas: compare Eurasian freight corridors."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a catalogue; exit 0 valid, 1 invalid")
    validate.add_argument(
        "path", nargs="?", type=Path, help="catalogue YAML (default: corridors.yaml)"
    )
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(handler=_validate, needs_catalogue=False)
    listing = commands.add_parser("settings", help="thresholds and limits in force, and why")
    listing.set_defaults(handler=_settings, needs_catalogue=False)

    def with_catalogue(
        name: str, help_text: str, handler: Callable[..., int]
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--catalogue", type=Path, default=None, help="catalogue YAML")
        sub.add_argument("--scenario", default="baseline", help="scenario preset id")
        sub.set_defaults(handler=handler, needs_catalogue=True)
        return sub

    summary_parser = with_catalogue("summary", "metrics of every corridor", _summary)
    summary_parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    with_catalogue("scenarios", "list scenario presets", _scenarios)
    benchmarks_parser = with_catalogue(
        "benchmarks", "calibration targets and validation benchmarks beside the model", _benchmarks
    )
    benchmarks_parser.add_argument("--format", choices=("table", "json"), default="table")
    route = with_catalogue("route", "best paths between two nodes", _route)
    route.add_argument("--from", dest="origin", required=True, help="origin node id")
    route.add_argument("--to", dest="destination", required=True, help="destination node id")
    route.add_argument("--optimise", choices=OBJECTIVES, default="cost")
    route.add_argument("--alternatives", type=int, default=3, help="how many routes to show")
    route.add_argument("--avoid", help="comma-separated country codes to avoid, e.g. CN,RU")
    route.add_argument("--commodity", help="commodity id (default: containers, no restriction)")
    route.add_argument("--format", choices=("table", "json"), default="table")
    add_commands(with_catalogue)
    export = with_catalogue("export", "write a briefing file (format from the extension)", _export)
    export.add_argument("--corridors", help="comma-separated corridor ids (default: all)")
    export.add_argument("--preset", choices=("slide", "a4"), default="slide", help="figure size")
    export.add_argument("--lang", choices=tuple(LANGUAGES), default="en", help="language")
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        help="output file: .png .svg .pdf .csv .xlsx .html .md or .zip",
    )
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        settings.get()  # a bad CORRIDOR_ATLAS_<NAME> is bad usage, said before anything runs
        if not args.needs_catalogue:
            return int(args.handler(args, out, err))
        catalogue = load_catalogue(args.catalogue or default_catalogue_path())
        return int(args.handler(args, catalogue, out))
    except CatalogueUnreadable as exc:
        print(exc.report(), file=err)
        return EXIT_USAGE
    except CatalogueError as exc:
        print(exc.report(), file=err)
        return EXIT_INVALID
    except (SettingsError, ScenarioError, RouteError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
