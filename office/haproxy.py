"""
HAProxy for the office set-up: where the program is, its configuration (the template
`office/haproxy.cfg` filled in with the proxy's address and the replicas' ports) and its runtime
API (a Unix socket in the work directory: `show stat`, `disable server replicas/r2`).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
from collections.abc import Sequence
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).with_name("haproxy.cfg")
PATHS = ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")
"""Where Debian puts the program (/usr/sbin is not on an unprivileged user's PATH)."""
BACKEND = "replicas"
COOKIE = "SERVERID"
"""The sticky-session cookie: its value names the replica (`r1`, `r2`, …)."""
REPLICA_HEADER = "X-Atlas-Replica"
"""Response header naming the replica that answered (set by HAProxy)."""


class HAProxyError(RuntimeError):
    """HAProxy is missing or refuses its configuration."""


def binary() -> str:
    found = shutil.which("haproxy") or next((p for p in PATHS if os.access(p, os.X_OK)), None)
    if not found:
        raise HAProxyError(
            "HAProxy is not installed: `sudo apt-get install haproxy` "
            "(or `make system-deps` as root)."
        )
    return found


def render_config(
    *, bind: str, servers: Sequence[tuple[str, int]], socket_path: Path, template: Path = TEMPLATE
) -> str:
    """The template with the proxy's address, one `server` line per replica (name, loopback
    port; the name is also its cookie value) and the runtime API's socket."""
    lines = "\n".join(
        f"    server {name} 127.0.0.1:{port} check cookie {name}" for name, port in servers
    )
    return Template(template.read_text(encoding="utf-8")).substitute(
        bind=bind, servers=lines, socket=str(socket_path)
    )


def runtime(socket_path: Path, command: str) -> str:
    """One command to HAProxy's runtime API, its answer as text."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        sock.connect(str(socket_path))
        sock.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def server_status(socket_path: Path, *, exact: bool = False) -> dict[str, str]:
    """Each replica's state as HAProxy sees it (`UP`, `DOWN`, `MAINT`, …). A state in
    transition (`UP 1/2`: up, one failed check of the two that take it down) counts as the
    state it is leaving, unless `exact`."""
    rows = csv.DictReader(io.StringIO(runtime(socket_path, "show stat").lstrip("# ")))
    return {
        row["svname"]: row["status"] if exact else row["status"].split(" ")[0]
        for row in rows
        if row["pxname"] == BACKEND and row["svname"] not in ("BACKEND", "FRONTEND")
    }
