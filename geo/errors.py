"""Exceptions the engine raises; each carries what a person needs to fix the cause."""

from __future__ import annotations

from dataclasses import dataclass


def visible(text: str) -> str:
    """Control characters shown as escapes, so a message can never drive the terminal."""
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in str(text)
    )


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a catalogue, located so an editor can open it."""

    path: str
    line: int
    column: int
    message: str
    where: str = ""
    severity: str = "error"
    hint: str = ""

    def __post_init__(self) -> None:
        for name in ("path", "message", "where", "hint"):
            object.__setattr__(self, name, visible(getattr(self, name)))

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}{where}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class CatalogueError(ValueError):
    """The catalogue cannot be used; `problems` lists every reason, not only the first."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{path}: {len(errors)} problem{'s' * (len(errors) != 1)}")

    def report(self) -> str:
        return "\n".join([str(self), *(str(p) for p in self.problems)])


class CatalogueUnreadable(CatalogueError):
    """The file could not be read at all (missing, a directory, not text)."""


class ScenarioError(ValueError):
    """A scenario names something the catalogue does not have."""


class RouteError(ValueError):
    """A route request names unknown nodes or an unknown objective."""
