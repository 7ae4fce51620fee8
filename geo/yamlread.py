"""
Untrusted YAML to plain values, bounded and located: the first step of reading a catalogue.

Only `yaml.safe_load` semantics, with limits (from `geo.settings`, read at call time) on size,
values (alias expansion counted) and depth, and the line and column where each value starts,
so later steps can say where a problem is. It knows nothing of the catalogue's schema; anything
wrong is a `CatalogueError` with located problems, never another exception.
"""

from __future__ import annotations

import difflib
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo import settings
from geo.errors import CatalogueError, CatalogueUnreadable, Problem, Text
from geo.errors import text as msg

Key = tuple[str | int, ...]
"""A value's path in the document: mapping keys and sequence indices, `('legs', 4, 'to')`."""


@dataclass(frozen=True)
class Limits:
    """How much YAML one catalogue may hold. Either way its text is parsed as untrusted."""

    max_bytes: int
    max_values: int
    """YAML values composed or visited (aliases counted each time): stops "billion laughs" and
    huge flat lists before they cost minutes."""
    max_depth: int
    """Nesting depth; the schema needs about 6."""


def upload_limits() -> Limits:
    """The limits in force for uploads, which anyone with the page can send."""
    now = settings.get()
    return Limits(now.upload_max_bytes, now.upload_max_values, now.max_depth)


def file_limits() -> Limits:
    """The limits in force for a file the operator names (the default catalogue,
    `CORRIDOR_ATLAS_CATALOGUE`, a CLI path): room for studies of many corridors."""
    now = settings.get()
    return Limits(now.file_max_bytes, now.file_max_values, now.max_depth)


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

    def problem(
        self, key: Key, message: str | Text, *, severity: str = "error", hint: str | Text = ""
    ) -> Problem:
        """A problem located at `key` (or its nearest enclosing value)."""
        line, column = self.at(key)
        return Problem(
            self.path, line, column, message, where=dotted(key), severity=severity, hint=hint
        )


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


def read_file(path: str | Path, limits: Limits) -> bytes:
    """
    A file's bytes, never more than `limits.max_bytes` plus one, whatever the file claims.

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
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        problem = Problem(name, 1, 1, msg("cannot_read", reason=exc.strerror))
        raise CatalogueUnreadable(name, [problem]) from None
    if len(data) > limits.max_bytes:
        message = msg("too_large", limit=f"{limits.max_bytes:,}")
        raise CatalogueUnreadable(name, [Problem(name, 1, 1, message)])
    return data


def decode(data: bytes | str, name: str, limits: Limits) -> str:
    """Bytes within `limits.max_bytes` as UTF-8 text (a BOM allowed); text passes unchanged."""
    if isinstance(data, str):
        return data
    if len(data) > limits.max_bytes:
        limit = f"{limits.max_bytes:,}"
        message = msg("too_many_bytes", size=f"{len(data):,}", limit=limit)
        raise CatalogueError(name, [Problem(name, 1, 1, message)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = msg("not_utf8", byte=f"{data[exc.start]:02x}")
        hint = msg("hint.save_utf8")
        raise CatalogueError(name, [Problem(name, line, column, message, hint=hint)]) from None


def parse_yaml(text: str, name: str, limits: Limits) -> tuple[object, Marks]:
    """
    The document and where each value starts. libyaml (C) parses a well-formed document within
    the limits about three times faster; anything else it stumbles on goes to the pure-Python
    parser, whose messages (and line numbers) are the ones users see. Problems found in the
    walk after composing (limits, duplicate keys) are the same from either parser.

    Raises
    ------
    CatalogueError
        Not YAML, or beyond `limits`; one located problem.
    """
    counted = _count_libyaml(text, limits)
    if counted is True:
        try:
            return _document(yaml.CSafeLoader(text), name, limits)
        except CatalogueError:  # a limit or a duplicate key, located alike by either parser:
            raise  # walking an alias bomb a second time would only double the wait
        except Exception:  # the exact parser below says what is wrong
            pass
    loader = _exact_loader(text, name, limits)  # refuses characters YAML does not allow
    if isinstance(counted, tuple):  # composing 120,000 values in Python would take seconds
        loader.dispose()
        message = msg("yaml_syntax", problem=_BoundedLoader.too_many(limits.max_values))
        raise CatalogueError(name, [Problem(name, *counted, message)])
    return _parse_exact(loader, name, limits)


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

    @staticmethod
    def too_many(max_values: int) -> str:
        return f"the document has more than {max_values:,} values"

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.nodes_left -= 1
        if self.nodes_left < 0:
            raise yaml.composer.ComposerError(
                None,
                None,
                self.too_many(self.max_values),
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]  # untyped in stubs
            )
        return super().compose_node(parent, index)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
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


def _fits_libyaml(text: str, limits: Limits) -> bool:
    """Whether libyaml may compose `text`: well-formed to it and within the limits."""
    return _count_libyaml(text, limits) is True


def _count_libyaml(text: str, limits: Limits) -> bool | tuple[int, int]:
    """
    libyaml composes without a budget or a depth limit (its composer recurses in C), so its
    events are counted first: True when within the value and depth limits (composing is safe);
    the line and column (1-based) of the first value beyond `limits.max_values`; False
    when too deep, malformed, or libyaml is missing (the exact parser then says what is wrong).
    """
    if not getattr(yaml, "__with_libyaml__", False):
        return False
    values = depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                values += 1
                if values > limits.max_values and event.start_mark is not None:
                    return (event.start_mark.line + 1, event.start_mark.column + 1)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if depth > limits.max_depth:
                return False
    except Exception:  # malformed: the exact parser reports it
        return False
    return True


def _document(
    loader: yaml.CSafeLoader | _BoundedLoader, name: str, limits: Limits
) -> tuple[object, Marks]:
    """Compose, walk (marks, bombs, depth, duplicate keys), then build the document."""
    try:
        root = loader.get_single_node()
        marks = Marks(name)
        if root is None:
            return None, marks
        _record_marks(root, (), marks, limits, budget=[limits.max_values])
        return loader.construct_document(root), marks
    finally:
        loader.dispose()


def _exact_loader(text: str, name: str, limits: Limits) -> _BoundedLoader:
    """The pure-Python loader for `text`, which first refuses characters YAML does not allow."""
    try:
        return _BoundedLoader(text, limits.max_values)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = msg("bad_character", code=f"{exc.character:04X}")
        raise CatalogueError(name, [Problem(name, line, column, message)]) from None


def _parse_exact(loader: _BoundedLoader, name: str, limits: Limits) -> tuple[object, Marks]:
    try:
        return _document(loader, name, limits)
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


def _record_marks(
    node: yaml.Node, key: Key, marks: Marks, limits: Limits, budget: list[int]
) -> None:
    """
    Walk the composed YAML, noting where each value starts; refuse bombs and deep nesting.
    `budget` is a one-item list: the values left to visit, shared by the whole walk.
    """
    name = marks.path
    budget[0] -= 1
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if budget[0] < 0:
        message = msg("too_many_values", limit=f"{limits.max_values:,}")
        raise CatalogueError(name, [Problem(name, line, column, message)])
    if len(key) > limits.max_depth:
        message = msg("nesting", limit=limits.max_depth)
        raise CatalogueError(name, [Problem(name, line, column, message)])
    marks.starts.setdefault(key, (line, column))
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            label = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.tag)
            if label in seen:
                message = msg("duplicate_key", key=label, line=seen[label])
                start = key_node.start_mark
                problem = Problem(
                    name,
                    start.line + 1,
                    start.column + 1,
                    message,
                    where=dotted((*key, label)),
                )
                raise CatalogueError(name, [problem])
            seen[label] = key_node.start_mark.line + 1
            _record_marks(value_node, (*key, label), marks, limits, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_marks(item, (*key, index), marks, limits, budget)
