"""Catalogue text made inert where it is shown: in Markdown (pages, documents) and in scripts."""

from __future__ import annotations

import html
import re
from typing import Any

from jinja2.utils import htmlsafe_json_dumps

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:=])")


def markdown_escape(value: object) -> str:
    """
    Text shown as itself in Markdown (Streamlit's `st.markdown`, the briefing's `.md` file):
    one line, HTML escaped, and every Markdown (and Streamlit) syntax character backslashed.

    Escaping `[`, `]` and `(` rules out links and images; `-`, `+`, `=` and `#` never start a
    list, a heading or an underline; `$` never starts LaTeX and `:` never an emoji shortcode.
    """
    text = html.escape(" ".join(str(value).split()), quote=False)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def script_json(value: Any) -> str:
    """Compact JSON that is safe inside a <script> (`<`, `>`, `&` and `'` as escapes)."""
    return str(htmlsafe_json_dumps(value, separators=(",", ":"), ensure_ascii=False))
