"""
Corridor Atlas engine: catalogue, network, scenarios and metrics of Eurasian freight corridors.

Nothing in this package imports Streamlit; the dashboard and the command line share it.
"""

from geo.benchmarks import compare_benchmarks
from geo.catalogue import Catalogue
from geo.errors import CatalogueError, Problem, ScenarioError
from geo.loader import check_catalogue_file, load_catalogue, parse_catalogue
from geo.metrics import CorridorMetrics, evaluate_all, evaluate_corridor, evaluate_steps
from geo.network import build_network
from geo.paths import orient
from geo.scenarios import ActiveScenario, apply_scenario
from geo.summary import summary

__version__ = "0.1.0"

__all__ = [
    "ActiveScenario",
    "Catalogue",
    "CatalogueError",
    "CorridorMetrics",
    "Problem",
    "ScenarioError",
    "apply_scenario",
    "build_network",
    "check_catalogue_file",
    "compare_benchmarks",
    "evaluate_all",
    "evaluate_corridor",
    "evaluate_steps",
    "load_catalogue",
    "orient",
    "parse_catalogue",
    "summary",
]
