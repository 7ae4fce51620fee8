"""Performance benchmark of Corridor Atlas: `python -m bench` (see docs/performance.md)."""
