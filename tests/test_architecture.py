"""The layers of docs/architecture.md, held: arrows one way, no circles, small modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parent.parent
GEO = REPO / "geo"

LAYERS: dict[str, int] = {
    # catalogue: what the data is, how it is read and checked, and what every layer shares
    "geo.settings": 0,
    "geo.errors": 0,
    "geo.i18n": 0,
    "geo.catalogue": 0,
    "geo.yamlread": 0,
    "geo.validate": 0,
    "geo.loader": 0,
    "geo.geometry": 0,
    "geo.paths": 0,
    "geo.records": 0,
    "geo.scenario_records": 0,
    "geo.emission_factors": 0,
    "geo.capacity_records": 0,
    "geo.trade": 0,
    "geo.validate_trade": 0,
    "geo.dated": 0,
    "geo.changelog": 0,
    # engine: pure computation on a catalogue under a scenario
    "geo.network": 1,
    "geo.scenarios": 1,
    "geo.ranges": 1,
    "geo.charges": 1,
    "geo.metrics": 1,
    "geo.benchmarks": 1,
    "geo.routing": 1,
    "geo.trips": 1,
    "geo.tradeoffs": 1,
    "geo.reliability": 1,
    "geo.emissions": 1,
    "geo.capacity": 1,
    "geo.summary": 1,
    # views: what the engine's results look like (map, figures, tables, files, the URL)
    "geo.palette": 2,
    "geo.text": 2,
    "geo.numbers": 2,
    "geo.assets": 2,
    "geo.mapdata": 2,
    "geo.maps": 2,
    "geo.comparison": 2,
    "geo.breakdown": 2,
    "geo.viewstate": 2,
    "geo.annotations": 2,
    "geo.basemap": 2,
    "geo.figures": 2,
    "geo.exports": 2,
    # faces: the command line (the dashboard and pages live outside geo/)
    "geo.cli": 3,
    "geo.cli_decisions": 3,
    "geo.__main__": 3,
    "geo": 3,
}
NAMES = ("catalogue", "engine", "views", "faces")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> int:
    """A module's layer: its own entry, else its package's (geo.figures.lines → geo.figures)."""
    while module not in LAYERS and "." in module:
        module = module.rpartition(".")[0]
    return LAYERS[module]


def ours(module: str) -> bool:
    return module == "geo" or module.startswith("geo.")


def geo_imports(path: Path) -> set[str]:
    """The geo modules a file imports, wherever the import statement is (deferred ones too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if ours(alias.name)}
        elif isinstance(node, ast.ImportFrom) and node.module and ours(node.module):
            for alias in node.names:  # `from geo import settings` imports geo.settings
                child = f"{node.module}.{alias.name}"
                known = (GEO / Path(*child.split(".")[1:])).with_suffix(".py").exists()
                found.add(child if known else node.module)
    return found


SOURCES = sorted(GEO.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_imports_point_down_the_layers_only(path: Path) -> None:
    here = module_name(path)
    mine = layer_of(here)
    for target in geo_imports(path):
        if target == "geo":
            continue
        assert layer_of(target) <= mine, (
            f"{here} ({NAMES[mine]}) imports {target} ({NAMES[layer_of(target)]})"
        )


def test_every_geo_module_has_a_layer() -> None:
    for path in SOURCES:
        layer_of(module_name(path))  # raises KeyError for a module no layer names


def test_no_import_circles() -> None:
    graph: nx.DiGraph[str] = nx.DiGraph()
    for path in SOURCES:
        graph.add_node(module_name(path))
        for target in geo_imports(path):
            if target != "geo" and not module_name(path).startswith(target + "."):
                graph.add_edge(module_name(path), target)
    assert list(nx.simple_cycles(graph)) == []


@pytest.mark.parametrize("path", [*SOURCES, *sorted((REPO / "pages").glob("*.py"))])
def test_modules_stay_small(path: Path) -> None:
    """One idea a module; the catalogue schema may be the exception while it stays one idea."""
    limit = 520 if path.name == "catalogue.py" else 460
    assert len(path.read_text(encoding="utf-8").splitlines()) <= limit


def test_geo_never_loads_streamlit_and_figures_never_load_folium() -> None:
    probe = (
        "import sys, geo.cli, geo.exports, geo.figures, geo.comparison, geo.viewstate; "
        "print('streamlit' in sys.modules, 'folium' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()
    assert out[0] == "False"  # the engine and views work without Streamlit
    probe = "import sys, geo.figures, geo.viewstate; print('folium' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()
    assert out[0] == "False"  # a figure never borrows styles from the folium view


def test_no_python_string_in_geo_holds_browser_code() -> None:
    """JavaScript and CSS live in geo/web/; Python strings hold at most a line or two of it."""
    markers = ("function (", "function(", "=>", "{ ", "px;", "background:", "var(")
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                lines = [ln for ln in node.value.splitlines() if ln.strip()]
                code = [
                    ln for ln in lines if any(m in ln for m in markers) or ln.rstrip().endswith(";")
                ]
                assert len(code) <= 3, f"{path.relative_to(REPO)}:{node.lineno}"


def test_geo_never_imports_the_store_or_the_office() -> None:
    """The engine stays free of the database: only the pages (and office/) use `store`."""
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in ("store", "office", "sqlalchemy", "alembic", "psycopg"), (
                    f"{path.relative_to(REPO)} imports {name}"
                )
    probe = "import sys, geo.cli, geo.exports, geo.maps; print('store' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()
    assert out[0] == "False"


@pytest.mark.parametrize(
    "path", sorted([*(REPO / "store").rglob("*.py"), *(REPO / "office").glob("*.py")])
)
def test_store_and_office_modules_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 460
