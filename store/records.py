"""
What the store keeps, as plain frozen records, the limits on every text a user types, and the
store's errors: one type for "the database cannot be reached" and one for input it refuses.

Everything here is untrusted input on the way in and plain text on the way out: the store
never formats, renders or evaluates a value, and the pages escape what they show.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

NAME_MAX = 120
"""Characters in a saved view's or an uploaded catalogue's name."""
NOTE_MAX = 2000
"""Characters in a saved view's note or a note on a corridor or node."""
AUTHOR_MAX = 200
"""Characters in an author's name (an e-mail address or an OIDC subject)."""
KEY_MAX = 64
"""Characters in the client-made key that makes a save idempotent (a uuid has 36)."""
TARGET_MAX = 120
"""Characters in a corridor's or node's id."""
QUERY_MAX = 16_000
"""Characters in a saved view's query string (each value is also bounded by `max_param_length`)."""
VERSION_MAX = 64
HASH_MAX = 64

TARGET_KINDS = ("corridor", "node")
"""What a note may be written on."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters other than tab and newline: never in a name or a note (PostgreSQL refuses
NUL in text, and the others only hide what a text says)."""


class StoreError(Exception):
    """Anything the store cannot do; the message says what, in plain words."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (down, restarting, locked): try again later."""


class InvalidEntry(StoreError, ValueError):
    """Input the store refuses: empty, too long, control characters, an unknown kind."""


class NotAllowed(StoreError):
    """An action the user may not take, such as deleting someone else's saved view."""


@dataclass(frozen=True)
class SavedView:
    """A named view of the atlas: the query string the sidebar writes, and where it came from."""

    id: int
    key: str
    name: str
    note: str
    author: str | None
    created: dt.datetime
    catalogue_version: str
    catalogue_hash: str
    query: str

    def params(self) -> dict[str, str]:
        """The query parameters that reproduce the view (`geo.viewstate.parse_query` reads them)."""
        return dict(parse_qsl(self.query, keep_blank_values=True))


@dataclass(frozen=True)
class Note:
    """A dated note on a corridor or a node."""

    id: int
    key: str
    target_kind: str
    target_id: str
    text: str
    author: str | None
    created: dt.datetime
    catalogue_version: str


@dataclass(frozen=True)
class StoredCatalogue:
    """A catalogue kept for the team: an upload, or a snapshot of the operator's file that a
    saved view was made on (so a later version can say what changed). `text` is the YAML."""

    id: int
    key: str
    name: str
    uploader: str | None
    created: dt.datetime
    version: str
    content_hash: str
    report: tuple[str, ...]
    """The validation report as rendered when it was stored, one problem a line."""
    uploaded: bool
    """An upload a team member made (listed on the Catalogue page); else a snapshot."""
    size: int
    """The YAML's length in bytes (UTF-8)."""


def clean_text(
    value: str, field: str, limit: int, *, lines: bool = False, empty: bool = False
) -> str:
    """`value` stripped, checked against `limit` and for control characters, or `InvalidEntry`."""
    if not isinstance(value, str):
        raise InvalidEntry(f"{field} must be text, not {type(value).__name__}")
    text = value.strip()
    if not text and not empty:
        raise InvalidEntry(f"{field} is empty; write at least one character")
    if len(text) > limit:
        raise InvalidEntry(f"{field} has {len(text):,} characters; at most {limit:,} are kept")
    if _CONTROL.search(text) or (not lines and ("\n" in text or "\t" in text)):
        raise InvalidEntry(f"{field} holds control characters; use plain text")
    return text


def clean_author(author: str | None) -> str | None:
    """An author's name, or None when nobody is signed in."""
    return None if author is None else clean_text(author, "author", AUTHOR_MAX)


def utc(moment: dt.datetime) -> dt.datetime:
    """A timestamp as UTC (SQLite hands back naive ones, written as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
