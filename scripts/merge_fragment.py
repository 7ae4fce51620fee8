"""
Append a catalogue fragment's records to `corridors.yaml`, section by section, keeping the text.

A fragment is a YAML file with some of the catalogue's list sections (`sources`, `countries`,
`nodes`, `legs`, `corridors`, `benchmarks`, `scenarios`, ...) written exactly as in the catalogue
(two-space indented `- ` items). Its items are copied as text to the end of the same section, so
the catalogue's comments and layout survive. Usage:

    python scripts/merge_fragment.py FRAGMENT.yaml [CATALOGUE.yaml] [-o OUT.yaml]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TOP = re.compile(r"^([a-z_]+):\s*(#.*)?$")


def sections(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key -> (first line after the key, line where its body ends), body ends trimmed."""
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := TOP.match(line))]
    found: dict[str, tuple[int, int]] = {}
    for n, (i, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while end > i + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        found[key] = (i + 1, end)
    return found


def merge(fragment: str, catalogue: str) -> str:
    frag_lines = fragment.splitlines()
    cat_lines = catalogue.splitlines()
    inserts: list[tuple[int, list[str]]] = []
    cat_sections = sections(cat_lines)
    for key, (start, end) in sections(frag_lines).items():
        if key not in cat_sections:
            sys.exit(f"{key}: not a section of the catalogue")
        body = [line for line in frag_lines[start:end]]
        inserts.append((cat_sections[key][1], body))
    for at, body in sorted(inserts, reverse=True):
        cat_lines[at:at] = body
    return "\n".join(cat_lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("fragment", type=Path)
    parser.add_argument("catalogue", type=Path, nargs="?", default=Path("corridors.yaml"))
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    merged = merge(args.fragment.read_text(encoding="utf-8"), args.catalogue.read_text("utf-8"))
    (args.output or args.catalogue).write_text(merged, encoding="utf-8")


if __name__ == "__main__":
    main()
