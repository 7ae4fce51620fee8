"""
Synthetic catalogues at N times the real one, for the scale measurements.

Copy 0 is the real catalogue unchanged; copies 1..N-1 repeat its nodes, legs and corridors with
an id suffix (`-x3`), a name suffix (`#4`) and every coordinate shifted by 0.01° per copy, so
each copy is a separate, valid network. Sources, countries and benchmarks are shared (copies cite
the same sources); scenarios are widened to name the copies' nodes and legs as well, so a scenario
closes the same share of the network at every size.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from geo.settings import REPO_ROOT

REAL_CATALOGUE = REPO_ROOT / "corridors.yaml"
OFFSET_DEGREES = 0.01
"""Shift of every coordinate per copy: small enough to stay on the same land and sea."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _suffix(record_id: str, index: int) -> str:
    return record_id if index == 0 else f"{record_id}-x{index}"


def _node(node: dict[str, Any], index: int) -> dict[str, Any]:
    new = copy.deepcopy(node)
    new["id"] = _suffix(node["id"], index)
    new["name"] = f"{node['name']} #{index + 1}"
    new["lat"] = round(node["lat"] + OFFSET_DEGREES * index, 4)
    new["lon"] = round(node["lon"] + OFFSET_DEGREES * index, 4)
    return new


def _leg(leg: dict[str, Any], index: int) -> dict[str, Any]:
    new = copy.deepcopy(leg)
    new["id"] = _suffix(leg["id"], index)
    new["from"] = _suffix(leg["from"], index)
    new["to"] = _suffix(leg["to"], index)
    if leg.get("waypoints"):
        shift = OFFSET_DEGREES * index
        new["waypoints"] = [
            [round(lat + shift, 4), round(lon + shift, 4)] for lat, lon in leg["waypoints"]
        ]
    return new


def _corridor(corridor: dict[str, Any], index: int) -> dict[str, Any]:
    new = copy.deepcopy(corridor)
    new["id"] = _suffix(corridor["id"], index)
    new["name"] = f"{corridor['name']} #{index + 1}"
    new["legs"] = [_suffix(leg_id, index) for leg_id in corridor["legs"]]
    return new


def _scenario(scenario: dict[str, Any], copies: int) -> dict[str, Any]:
    new = copy.deepcopy(scenario)
    for field in ("close_nodes", "close_legs", "open_legs"):
        if scenario.get(field):
            new[field] = [_suffix(i, k) for k in range(copies) for i in scenario[field]]
    for factor in ("dwell_factor", "speed_factor", "cost_factor"):
        by_id = (scenario.get(factor) or {}).get("by_id")
        if by_id:
            new[factor]["by_id"] = {
                _suffix(i, k): value for k in range(copies) for i, value in by_id.items()
            }
    return new


def replicate(document: dict[str, Any], copies: int) -> dict[str, Any]:
    """The catalogue document with its network repeated `copies` times (1 = unchanged)."""
    if copies < 1:
        raise ValueError(f"`copies` was {copies} but must be at least 1")
    out = dict(document)
    out["nodes"] = [_node(n, k) for k in range(copies) for n in document["nodes"]]
    out["legs"] = [_leg(leg, k) for k in range(copies) for leg in document["legs"]]
    out["corridors"] = [_corridor(c, k) for k in range(copies) for c in document["corridors"]]
    out["scenarios"] = [_scenario(s, copies) for s in document["scenarios"]]
    return out


def synthetic_bytes(copies: int, source: Path = REAL_CATALOGUE) -> bytes:
    """YAML text of the catalogue at `copies`× (1 returns the real file's bytes unchanged)."""
    data = source.read_bytes()
    if copies == 1:
        return data
    document = yaml.load(data.decode("utf-8"), Loader=_Loader)  # a safe loader
    text = yaml.dump(
        replicate(document, copies),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=120,
    )
    return text.encode("utf-8")


def write_synthetic(copies: int, directory: Path) -> Path:
    """Write the `copies`× catalogue into `directory` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"corridors-{copies}x.yaml"
    path.write_bytes(synthetic_bytes(copies))
    return path
