"""Settings read at the entry points (CLI, dashboard) and passed down as plain values."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_ENV = "CORRIDOR_ATLAS_CATALOGUE"


def default_catalogue_path() -> Path:
    """`$CORRIDOR_ATLAS_CATALOGUE` if set, else the repository's `corridors.yaml`."""
    return Path(os.environ.get(CATALOGUE_ENV) or REPO_ROOT / "corridors.yaml")
