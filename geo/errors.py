"""Exceptions the engine raises; each carries what a person needs to fix the cause."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geo.i18n import ENGLISH, Translate


def visible(text: str) -> str:
    """Control characters shown as escapes, so a message can never drive the terminal."""
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in str(text)
    )


@dataclass(frozen=True)
class Text:
    """
    A message by key (`problem.<key>` in `locales/`) and its values: English wherever text is
    logged or printed, the reader's language in the app.
    """

    key: str
    args: tuple[tuple[str, str | Text], ...] = ()

    def render(self, t: Translate = ENGLISH) -> str:
        values = {k: v.render(t) if isinstance(v, Text) else v for k, v in self.args}
        return t(f"problem.{self.key}", **values)

    def __str__(self) -> str:
        return self.render()


def text(key: str, /, **args: Any) -> Text:
    return Text(
        key,
        tuple((name, v if isinstance(v, Text) else str(v)) for name, v in args.items()),
    )


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a catalogue, located so an editor can open it."""

    path: str
    line: int
    column: int
    message: str | Text
    where: str = ""
    severity: str = "error"
    hint: str | Text = ""
    _texts: dict[str, Text] = field(default_factory=dict, init=False, compare=False, repr=False)
    """The keyed messages, kept for translation; the plain fields hold the English text."""

    def __post_init__(self) -> None:
        for name in ("path", "message", "where", "hint"):
            value = getattr(self, name)
            if isinstance(value, Text):
                self._texts[name] = value
            object.__setattr__(self, name, visible(str(value)))  # frozen: set once, here

    def render(self, t: Translate = ENGLISH) -> str:
        """`PATH:LINE:COL: severity: message (where)` and the hint, in the language of `t`."""
        message, hint = (
            visible(self._texts[name].render(t)) if name in self._texts else getattr(self, name)
            for name in ("message", "hint")
        )
        where = f" ({self.where})" if self.where else ""
        severity = t(f"problem.severity.{self.severity}")
        line = f"{self.path}:{self.line}:{self.column}: {severity}: {message}{where}"
        return f"{line}\n    {t('problem.hint_label')}: {hint}" if hint else line

    def __str__(self) -> str:
        return self.render()


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
