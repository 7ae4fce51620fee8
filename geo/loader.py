"""
Read `corridors.yaml` into a validated `Catalogue`, or report every problem with its line.

This is the edge where untrusted text becomes typed objects, in three steps that import one
way: `geo.yamlread` (bounded YAML with line marks), the pydantic schema (`geo.catalogue`), then
`geo.validate` (plain-words schema problems and the cross-record checks). Nothing here raises
anything but `CatalogueError`, so callers never show a traceback.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from geo import validate, yamlread
from geo.catalogue import Catalogue
from geo.errors import CatalogueError, Problem
from geo.errors import text as msg
from geo.yamlread import Key, Limits, Marks, file_limits, upload_limits

__all__ = [
    "Key",
    "Limits",
    "Marks",
    "catalogue_citation",
    "check_catalogue_bytes",
    "check_catalogue_file",
    "content_key",
    "file_limits",
    "load_catalogue",
    "parse_catalogue",
    "read_catalogue_file",
    "upload_limits",
]

_parse_yaml = yamlread.parse_yaml
"""The YAML step, called through this module global so `bench/measure.py` can time it apart."""


def load_catalogue(
    path: str | Path, *, strict: bool = False, limits: Limits | None = None
) -> Catalogue:
    """
    Load and validate a catalogue file.

    Parameters
    ----------
    path
        The YAML file.
    strict
        Treat warnings (e.g. a distance far from its drawn line) as errors.
    limits
        Size limits; by default `file_limits()`, those of a file the operator names.

    Raises
    ------
    CatalogueUnreadable
        The file cannot be read as UTF-8 text.
    CatalogueError
        The file has problems; `.problems` lists each with line and column.
    """
    catalogue, problems = check_catalogue_file(path, limits=limits)
    _raise_if_errors(str(path), problems, strict=strict)
    assert catalogue is not None
    return catalogue


def check_catalogue_file(
    path: str | Path, *, limits: Limits | None = None
) -> tuple[Catalogue | None, list[Problem]]:
    """Validate a file, returning the catalogue (None if unusable) and every problem found."""
    limits = file_limits() if limits is None else limits
    return check_catalogue_bytes(
        read_catalogue_file(path, limits=limits), name=str(path), limits=limits
    )


def read_catalogue_file(path: str | Path, *, limits: Limits | None = None) -> bytes:
    """
    A catalogue file's bytes, read once (callers that keep them validate these very bytes).
    `limits` default to `file_limits()`.

    Raises
    ------
    CatalogueUnreadable
        Not a regular file, unreadable, or larger than `limits.max_bytes`.
    """
    return yamlread.read_file(path, file_limits() if limits is None else limits)


def parse_catalogue(
    data: bytes | str, *, name: str, strict: bool = False, limits: Limits | None = None
) -> Catalogue:
    """Validate catalogue text (an upload, say); raises `CatalogueError` like `load_catalogue`."""
    catalogue, problems = check_catalogue_bytes(data, name=name, limits=limits)
    _raise_if_errors(name, problems, strict=strict)
    assert catalogue is not None
    return catalogue


def check_catalogue_bytes(
    data: bytes | str, *, name: str, limits: Limits | None = None
) -> tuple[Catalogue | None, list[Problem]]:
    """
    Validate catalogue text; the catalogue is None when any error (not warning) was found.
    Text comes from uploads unless said otherwise, so `upload_limits()` apply by default.
    """
    limits = upload_limits() if limits is None else limits
    try:
        document, marks = _parse_yaml(yamlread.decode(data, name, limits), name, limits)
    except CatalogueError as exc:
        return None, exc.problems
    if not isinstance(document, dict):
        kind = "empty" if document is None else type(document).__name__
        message = msg(f"not_mapping.{'empty' if document is None else 'other'}", kind=kind)
        return None, [Problem(name, 1, 1, message)]
    try:
        catalogue = Catalogue.model_validate(document)
    except ValidationError as exc:
        return None, validate.schema_problems(exc, marks)
    problems = validate.cross_check(catalogue, marks)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return catalogue, problems


def _raise_if_errors(name: str, problems: list[Problem], *, strict: bool) -> None:
    failing = [p for p in problems if p.severity == "error" or strict]
    if failing:
        raise CatalogueError(name, problems)


def content_key(catalogue: Catalogue) -> str:
    """
    A short hash of a catalogue's validated content: caches and widget keys follow it, and
    exports, links and the CLI cite it, so a figure can be traced to the catalogue it came from.
    Made from the parsed records (defaults left out), not the file's bytes: comments and layout
    do not change it, any changed value does, and a field added to the schema with a default
    leaves old catalogues' keys as they were.
    """
    text = catalogue.model_dump_json(exclude_defaults=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def catalogue_citation(catalogue: Catalogue, key: str | None = None) -> dict[str, str]:
    """`{version, hash}`: how every export, link and CLI summary names the catalogue it used."""
    return {"version": catalogue.meta.version, "hash": key or content_key(catalogue)}
