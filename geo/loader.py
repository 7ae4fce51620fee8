"""
Read `corridors.yaml` into a validated `Catalogue`, or report every problem with its line.

This is the edge where untrusted text becomes typed objects: `yaml.safe_load` semantics only,
limits on size, depth and alias expansion, then the schema, then the cross-record checks.
Nothing here raises anything but `CatalogueError`, so callers never show a traceback.
"""

from __future__ import annotations

import difflib
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from geo.catalogue import Catalogue
from geo.errors import CatalogueError, CatalogueUnreadable, Problem, Text
from geo.errors import text as msg

MAX_DEPTH = 64
"""Nesting depth; the schema needs about 6."""


@dataclass(frozen=True)
class Limits:
    """How much YAML one catalogue may hold. Either way its text is parsed as untrusted."""

    max_bytes: int
    max_values: int
    """YAML values composed or visited (aliases counted each time): stops "billion laughs" and
    huge flat lists before they cost minutes."""


UPLOAD_LIMITS = Limits(max_bytes=5 * 1024 * 1024, max_values=120_000)
"""For uploads, which anyone with the page can send: about 13× the real catalogue (0.17 MB)."""
FILE_LIMITS = Limits(max_bytes=32 * 1024 * 1024, max_values=2_000_000)
"""For a file the operator names (the default catalogue, `CORRIDOR_ATLAS_CATALOGUE`, a CLI
path): room for about 150× the real catalogue, for studies of many corridors."""

Key = tuple[str | int, ...]


@dataclass
class Marks:
    """Where each value of the document starts, by its path of keys and indices."""

    path: str
    starts: dict[Key, tuple[int, int]] = field(default_factory=dict)
    hints_left: int = 50
    """'Did you mean' look-ups cost unknown × known; a file full of typos gets the first 50."""

    def at(self, key: Key) -> tuple[int, int]:
        """Line and column (1-based) of `key`, or of its nearest enclosing value."""
        for end in range(len(key), -1, -1):
            if key[:end] in self.starts:
                return self.starts[key[:end]]
        return (1, 1)

    def suggest(self, name: str, known: list[str] | set[str]) -> Text | str:
        """A 'did you mean' hint while the budget lasts, then nothing."""
        self.hints_left -= 1
        return suggest(name, known) if self.hints_left >= 0 else ""

    def problem(self, key: Key, message: str | Text, **extra: Any) -> Problem:
        line, column = self.at(key)
        return Problem(self.path, line, column, message, where=dotted(key), **extra)


def dotted(key: Key) -> str:
    """`('legs', 4, 'to')` -> `legs[4].to`, the form users see in messages."""
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def suggest(name: str, known: list[str] | set[str]) -> Text | str:
    """A 'did you mean' hint, or nothing when no known name is close."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return msg("hint.did_you_mean", name=close[0]) if close else ""


def load_catalogue(
    path: str | Path, *, strict: bool = False, limits: Limits = FILE_LIMITS
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
        Size limits; a file the operator names gets `FILE_LIMITS`.

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
    path: str | Path, *, limits: Limits = FILE_LIMITS
) -> tuple[Catalogue | None, list[Problem]]:
    """Validate a file, returning the catalogue (None if unusable) and every problem found."""
    return check_catalogue_bytes(
        read_catalogue_file(path, limits=limits), name=str(path), limits=limits
    )


def read_catalogue_file(path: str | Path, *, limits: Limits = FILE_LIMITS) -> bytes:
    """
    A catalogue file's bytes, read once (callers that keep them validate these very bytes).

    Raises
    ------
    CatalogueUnreadable
        Not a regular file, unreadable, or larger than `limits.max_bytes`.
    """
    name = str(path)
    try:
        if not stat.S_ISREG(Path(path).stat().st_mode):
            message = msg("not_regular_file")
            raise CatalogueUnreadable(name, [Problem(name, 1, 1, message)])
        with Path(path).open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)  # never more, whatever the file claims
    except OSError as exc:
        problem = Problem(name, 1, 1, msg("cannot_read", reason=exc.strerror))
        raise CatalogueUnreadable(name, [problem]) from None
    if len(data) > limits.max_bytes:
        message = msg("too_large", limit=f"{limits.max_bytes:,}")
        raise CatalogueUnreadable(name, [Problem(name, 1, 1, message)])
    return data


def parse_catalogue(
    data: bytes | str, *, name: str, strict: bool = False, limits: Limits = UPLOAD_LIMITS
) -> Catalogue:
    """Validate catalogue text (an upload, say); raises `CatalogueError` like `load_catalogue`."""
    catalogue, problems = check_catalogue_bytes(data, name=name, limits=limits)
    _raise_if_errors(name, problems, strict=strict)
    assert catalogue is not None
    return catalogue


def check_catalogue_bytes(  # noqa: PLR0911  (one early return per kind of unusable input)
    data: bytes | str, *, name: str, limits: Limits = UPLOAD_LIMITS
) -> tuple[Catalogue | None, list[Problem]]:
    """
    Validate catalogue text; the catalogue is None when any error (not warning) was found.
    Text comes from uploads unless said otherwise, so `UPLOAD_LIMITS` apply by default.
    """
    from geo.validate import cross_check  # the checks need the model, the model not them

    if isinstance(data, bytes):
        if len(data) > limits.max_bytes:
            limit = f"{limits.max_bytes:,}"
            message = msg("too_many_bytes", size=f"{len(data):,}", limit=limit)
            return None, [Problem(name, 1, 1, message)]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            message = msg("not_utf8", byte=f"{data[exc.start]:02x}")
            hint = msg("hint.save_utf8")
            return None, [Problem(name, line, column, message, hint=hint)]
    else:
        text = data
    try:
        document, marks = _parse_yaml(text, name, limits.max_values)
    except CatalogueError as exc:
        return None, exc.problems
    if not isinstance(document, dict):
        kind = "empty" if document is None else type(document).__name__
        message = msg(f"not_mapping.{'empty' if document is None else 'other'}", kind=kind)
        return None, [Problem(name, 1, 1, message)]
    try:
        catalogue = Catalogue.model_validate(document)
    except ValidationError as exc:
        return None, [_schema_problem(error, marks) for error in exc.errors()]
    problems = cross_check(catalogue, marks)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return catalogue, problems


def _raise_if_errors(name: str, problems: list[Problem], *, strict: bool) -> None:
    failing = [p for p in problems if p.severity == "error" or strict]
    if failing:
        raise CatalogueError(name, problems)


class _BoundedLoader(yaml.SafeLoader):
    """
    The safe loader, with two guards: composing stops after `max_values` nodes (so a huge flat
    list or a file of aliases is refused in seconds, not minutes), and a value that cannot be
    built (a date like 2026-13-45, an integer of 5,000 digits) becomes a located YAML error
    instead of escaping as a Python exception.
    """

    def __init__(self, stream: str, max_values: int) -> None:
        super().__init__(stream)
        self.max_values = max_values
        self.nodes_left = max_values

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.nodes_left -= 1
        if self.nodes_left < 0:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"the document has more than {self.max_values:,} values",
                self.peek_event().start_mark,
            )
        return super().compose_node(parent, index)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, OverflowError, KeyError) as exc:
            tag = node.tag.rsplit(":", 1)[-1]
            why = f": {exc}" if isinstance(exc, ValueError) else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {_snippet(node)} as a {tag}{why}", node.start_mark
            ) from None


def _snippet(node: yaml.Node) -> str:
    value = node.value if isinstance(node, yaml.ScalarNode) else node.tag
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _parse_yaml(text: str, name: str, max_values: int) -> tuple[Any, Marks]:
    """
    The document and where each value starts. libyaml (C) parses a well-formed document within
    the limits about three times faster; anything it stumbles on goes to the pure-Python parser,
    whose messages (and line numbers) are the ones users see.
    """
    if _fits_libyaml(text, max_values):
        try:
            return _document(yaml.CSafeLoader(text), name, max_values)
        except Exception:  # the exact parser below says what is wrong
            pass
    return _parse_exact(text, name, max_values)


def _fits_libyaml(text: str, max_values: int) -> bool:
    """
    libyaml composes without a budget or a depth limit (its composer recurses in C), so its
    events are counted first: within the value limit and `MAX_DEPTH`, composing is safe.
    """
    if not getattr(yaml, "__with_libyaml__", False):
        return False
    values = depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                values += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if values > max_values or depth > MAX_DEPTH:
                return False
    except Exception:  # malformed: the exact parser reports it
        return False
    return True


def _document(loader: Any, name: str, max_values: int) -> tuple[Any, Marks]:
    """Compose, walk (marks, bombs, depth, duplicate keys), then build the document."""
    try:
        root = loader.get_single_node()
        if root is None:
            return None, Marks(name)
        marks = Marks(name)
        _record_marks(root, (), marks, name, budget=[max_values, max_values])
        return loader.construct_document(root), marks
    finally:
        loader.dispose()


def _parse_exact(text: str, name: str, max_values: int) -> tuple[Any, Marks]:
    try:
        loader = _BoundedLoader(text, max_values)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = msg("bad_character", code=f"{exc.character:04X}")
        raise CatalogueError(name, [Problem(name, line, column, message)]) from None
    try:
        return _document(loader, name, max_values)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if exc.context and exc.problem:
            message = msg("yaml_syntax_context", problem=exc.problem, context=exc.context)
        else:
            message = msg("yaml_syntax", problem=exc.problem or exc.context)
        raise CatalogueError(name, [Problem(name, line, column, message)]) from None
    except yaml.YAMLError as exc:
        raise CatalogueError(name, [Problem(name, 1, 1, msg("yaml_other", error=exc))]) from None
    except RecursionError:
        raise CatalogueError(name, [Problem(name, 1, 1, msg("too_deep"))]) from None


def _record_marks(node: yaml.Node, key: Key, marks: Marks, name: str, budget: list[int]) -> None:
    """
    Walk the composed YAML, noting where each value starts; refuse bombs and deep nesting.
    `budget` is [values left, the limit].
    """
    budget[0] -= 1
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if budget[0] < 0:
        message = msg("too_many_values", limit=f"{budget[1]:,}")
        raise CatalogueError(name, [Problem(name, line, column, message)])
    if len(key) > MAX_DEPTH:
        message = msg("nesting", limit=MAX_DEPTH)
        raise CatalogueError(name, [Problem(name, line, column, message)])
    marks.starts.setdefault(key, (line, column))
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            label = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.tag)
            if label in seen:
                message = msg("duplicate_key", key=label, line=seen[label])
                raise CatalogueError(
                    name,
                    [
                        Problem(
                            name,
                            key_node.start_mark.line + 1,
                            key_node.start_mark.column + 1,
                            message,
                            where=dotted((*key, label)),
                        )
                    ],
                )
            seen[label] = key_node.start_mark.line + 1
            _record_marks(value_node, (*key, label), marks, name, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_marks(item, (*key, index), marks, name, budget)


def _schema_problem(error: Any, marks: Marks) -> Problem:
    """Turn one pydantic error into a located, plain-words problem."""
    key: Key = tuple(error["loc"])
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        hint = msg("hint.check_spelling")
        return marks.problem(key, msg("unknown_key", key=key[-1]), hint=hint)
    if kind == "missing":
        message = msg("missing_key", key=key[-1] if key else "")
        return marks.problem(key[:-1], message) if key else marks.problem(key, message)
    message: str | Text = _schema_text(error)
    own = kind in ("value_error", "assertion_error") or kind.startswith("catalogue_")
    if isinstance(given, (str, int, float, bool)) and not own:
        shown = repr(given) if len(repr(given)) <= 60 else repr(given)[:57] + "…'"
        message = msg("schema.got", message=message, given=shown)
    return marks.problem(key, message)


def _schema_text(error: Any) -> Text | str:
    """
    A pydantic message as a keyed text (`problem.schema.<type>`) when the locale has one that
    reads exactly as pydantic's own English; otherwise pydantic's words.
    """
    raw = error["msg"].removeprefix("Value error, ")
    plain = raw[0].lower() + raw[1:]
    values = {
        name: int(value) if isinstance(value, float) and value.is_integer() else value
        for name, value in (error.get("ctx") or {}).items()
        if name != "error"
    }
    keyed = msg(f"schema.{error['type']}", **values)
    try:
        return keyed if keyed.render() == plain else plain
    except (KeyError, IndexError):  # no such message, or it needs values pydantic did not give
        return plain
