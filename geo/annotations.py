"""
The team's notes on corridors and nodes as the views take them: plain data handed in by the page
(the engine never reads a database), written as plain text lines for popups and exports.

`Annotations` maps `"corridor:<id>"` or `"node:<id>"` to that record's notes, oldest first, each
`(date, author, text)`: the date as `YYYY-MM-DD`, the author None when nobody was signed in.
A note is untrusted text: popups place it with `textContent`, Markdown escapes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from geo.i18n import ENGLISH, Translate

Annotation = tuple[str, str | None, str]
Annotations = Mapping[str, Sequence[Annotation]]

KINDS = ("corridor", "node")


def annotation_key(kind: str, record_id: str) -> str:
    """The key a record's notes are filed under: `corridor:middle-corridor`, `node:khorgos`."""
    if kind not in KINDS:
        raise ValueError(f"notes are on one of {', '.join(KINDS)}, not {kind!r}")
    return f"{kind}:{record_id}"


def one_line(text: str) -> str:
    """A note's text on one line (a popup line, a Markdown list item)."""
    return " ".join(text.split())


def annotation_line(note: Annotation, t: Translate = ENGLISH) -> str:
    """'Note 2026-12-01, alice@example.org: Aktau ferry slots booked to March.'"""
    date, author, text = note
    if author:
        return t("notes.line", date=date, author=author, text=one_line(text))
    return t("notes.line_anonymous", date=date, text=one_line(text))


def notes_of(annotations: Annotations | None, kind: str, record_id: str) -> list[Annotation]:
    """One record's notes (none when no notes were handed in)."""
    if not annotations:
        return []
    return list(annotations.get(annotation_key(kind, record_id), ()))
