"""
N Streamlit replicas of the dashboard behind HAProxy with sticky sessions, sharing one
PostgreSQL database: `python -m office.serve --replicas 3 --port 8500` (`make serve-office`).

Each replica is `streamlit run dashboard.py`, as `make run` starts it, on its own loopback
port. HAProxy (`office/haproxy.cfg`, rendered into the work directory) listens on `--port`,
pins each browser to one replica with a cookie (SERVERID), checks `/_stcore/health` every
second and sends the browsers of a replica that stops answering to the others. The database is
`DATABASE_URL` from the environment; without it a PostgreSQL cluster is started in the work
directory (`office.postgres`) and stopped at the end. A replica that dies is started again
(unless `--no-restart`). Ctrl-C or SIGTERM stops HAProxy, then the replicas, then that cluster.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

from office import haproxy
from office.haproxy import HAProxyError
from office.postgres import PostgresError
from store import URL_ENV, StoreError, database_url, open_store

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WORKDIR = REPO / ".office"
START_TIMEOUT = 90.0
"""Seconds a replica (or HAProxy) may take to answer its health check after starting."""
RESTART_DELAY = 2.0
"""Seconds between a replica's death and its restart: a crash loop does not spin."""


class OfficeError(RuntimeError):
    """The office set-up cannot start: a missing program, a port in use, a replica that dies."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def replica_command(port: int) -> list[str]:
    """What `make run` runs, on `port` on the loopback interface (the settings of
    `.streamlit/config.toml` made explicit: no usage statistics, headless)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def _die_with_parent() -> None:
    """In the child before exec: its own session (a Ctrl-C in the terminal reaches only the
    supervisor, which stops the children in order) and SIGTERM if the supervisor dies."""
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _start(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - no locks are taken in the child
        )


def _stop(process: subprocess.Popen[bytes] | None, timeout: float = 15.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


@dataclass
class Replica:
    name: str
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Office:
    """The replicas, HAProxy and (without `database_url`) a PostgreSQL cluster of their own.

    Use as a context manager: everything started is stopped when the block ends, failing or not.
    `replica_ports` None takes free ports; `restart` starts a dead replica again.
    """

    replicas: int = 3
    port: int = 8500
    host: str = "127.0.0.1"
    workdir: Path = DEFAULT_WORKDIR
    database_url: str | None = None
    replica_ports: Sequence[int] | None = None
    restart: bool = True
    env: dict[str, str] = field(default_factory=dict)
    members: list[Replica] = field(default_factory=list, init=False)
    haproxy: subprocess.Popen[bytes] | None = field(default=None, init=False)
    cluster: Path | None = field(default=None, init=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _watcher: threading.Thread | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    @property
    def socket_path(self) -> Path:
        return self.workdir / "haproxy.sock"

    def __enter__(self) -> Office:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- starting -------------------------------------------------------------------------
    def start(self) -> None:
        if self.replicas < 1:
            raise OfficeError("at least one replica is needed")
        program = haproxy.binary()
        self.workdir.mkdir(parents=True, exist_ok=True)
        url = self.database_url or os.environ.get(URL_ENV) or self._start_cluster()
        self.database_url = url = database_url({URL_ENV: url})  # postgresql:// gets psycopg 3
        prepare_database(url)
        ports = list(self.replica_ports or [free_port() for _ in range(self.replicas)])
        if len(ports) != self.replicas:
            raise OfficeError(f"{self.replicas} replicas need as many ports, not {len(ports)}")
        self.members = [
            Replica(f"r{i}", port, self.workdir / f"replica-r{i}.log")
            for i, port in enumerate(ports, start=1)
        ]
        for replica in self.members:
            replica.log.write_bytes(b"")
            replica.process = _start(replica_command(replica.port), replica.log, self._env())
        for replica in self.members:
            self._wait_healthy(replica)
        self._start_haproxy(program)
        self._watcher = threading.Thread(target=self._watch, name="office-watch", daemon=True)
        self._watcher.start()

    def _env(self) -> dict[str, str]:
        assert self.database_url is not None
        return {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            URL_ENV: self.database_url,
            # One secret for every replica: what Streamlit signs with it (st.login's identity
            # cookie) is recognised by whichever replica a browser is moved to.
            "STREAMLIT_SERVER_COOKIE_SECRET": self._cookie_secret(),
            **self.env,
        }

    def _cookie_secret(self) -> str:
        from_env = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
        if from_env:
            return from_env
        path = self.workdir / "cookie-secret"
        if not path.is_file():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32), encoding="ascii")
        return path.read_text(encoding="ascii").strip()

    def _start_cluster(self) -> str:
        """The work directory's own cluster: made on the first run, kept (with its port) after."""
        from office import postgres

        self.cluster = self.workdir / "postgres"
        made = (self.cluster / "data" / "PG_VERSION").is_file()
        port = postgres.cluster_at(self.cluster).port if made else free_port()
        return str(postgres.start_cluster(self.cluster, port))

    def _wait_healthy(self, replica: Replica, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if replica.process is None or replica.process.poll() is not None:
                raise OfficeError(f"replica {replica.name} exited; see {replica.log}")
            if healthy(replica.url):
                return
            time.sleep(0.3)
        raise OfficeError(f"replica {replica.name} did not start in {timeout:.0f} s")

    def _start_haproxy(self, binary: str) -> None:
        config = self.workdir / "haproxy.cfg"
        config.write_text(
            haproxy.render_config(
                bind=f"{self.host}:{self.port}",
                servers=[(r.name, r.port) for r in self.members],
                socket_path=self.socket_path,
            ),
            encoding="utf-8",
        )
        check = subprocess.run(
            [binary, "-c", "-f", str(config)], capture_output=True, text=True, check=False
        )
        if check.returncode != 0:
            raise OfficeError(f"HAProxy refuses {config}: {check.stdout}{check.stderr}")
        log = self.workdir / "haproxy.log"
        log.write_bytes(b"")
        self.haproxy = _start([binary, "-db", "-f", str(config)], log, dict(os.environ))
        deadline = time.monotonic() + START_TIMEOUT
        while not healthy(self.url):
            if self.haproxy.poll() is not None:
                raise OfficeError(f"HAProxy exited (port {self.port} in use?); see {log}")
            if time.monotonic() > deadline:
                raise OfficeError(f"HAProxy did not answer on {self.url}; see {log}")
            time.sleep(0.2)
        # Ready once HAProxy's own checks have passed for every replica.
        while set(self.server_status(exact=True).values()) != {"UP"}:
            if time.monotonic() > deadline:
                raise OfficeError(f"HAProxy's checks: {self.server_status()}; see {log}")
            time.sleep(0.2)

    # -- running --------------------------------------------------------------------------
    def _watch(self) -> None:
        """Start a dead replica again (after RESTART_DELAY) while the office runs."""
        while not self._stopping.wait(0.5):
            if not self.restart:
                continue
            for replica in self.members:
                process = replica.process
                if process is None or process.poll() is None:
                    continue
                if self._stopping.wait(RESTART_DELAY):
                    return
                with self._lock:
                    if self._stopping.is_set():
                        return
                    with replica.log.open("ab") as log:
                        log.write(f"\n--- restarted after exit {process.returncode} ---\n".encode())
                    replica.process = _start(
                        replica_command(replica.port), replica.log, self._env()
                    )
                    replica.restarts += 1

    def wait(self) -> int:
        """Block until HAProxy ends (it should not); return its exit status."""
        assert self.haproxy is not None
        return self.haproxy.wait()

    def kill(self, name: str, sig: signal.Signals = signal.SIGKILL) -> None:
        """Send `sig` to one replica (fault tests, or an operator's experiment)."""
        replica = self.replica(name)
        assert replica.process is not None
        replica.process.send_signal(sig)
        replica.process.wait(timeout=30)

    def replica(self, name: str) -> Replica:
        return next(r for r in self.members if r.name == name)

    def revive(self, name: str) -> None:
        """Start a dead replica again and wait until HAProxy sends it browsers again."""
        replica = self.replica(name)
        with self._lock:
            if replica.process is not None and replica.process.poll() is None:
                return
            replica.process = _start(replica_command(replica.port), replica.log, self._env())
            replica.restarts += 1
        self._wait_healthy(replica)
        deadline = time.monotonic() + START_TIMEOUT
        while self.server_status(exact=True)[name] != "UP":
            if time.monotonic() > deadline:
                raise OfficeError(f"HAProxy did not take {name} back in; see {replica.log}")
            time.sleep(0.2)

    def server_status(self, *, exact: bool = False) -> dict[str, str]:
        """Each replica's state as HAProxy's health checks see it (`haproxy.server_status`)."""
        return haproxy.server_status(self.socket_path, exact=exact)

    def runtime(self, command: str) -> str:
        """One command to HAProxy's runtime API (`show stat`, `disable server replicas/r2`)."""
        return haproxy.runtime(self.socket_path, command)

    # -- stopping -------------------------------------------------------------------------
    def stop(self) -> None:
        self._stopping.set()
        if self._watcher is not None and self._watcher is not threading.current_thread():
            self._watcher.join(timeout=RESTART_DELAY + 5)
        with self._lock:
            _stop(self.haproxy)
            for replica in self.members:
                if replica.process is not None and replica.process.poll() is None:
                    replica.process.terminate()
            for replica in self.members:
                _stop(replica.process)
        if self.cluster is not None:
            from office import postgres

            postgres.stop_cluster(self.cluster)
            self.cluster = None


def prepare_database(url: str) -> None:
    """Bring the shared database's schema to the newest migration once, before any replica
    starts, so the replicas do not all run the migrations at once on their first save."""
    store = open_store(url)
    try:
        store.migrate()
    finally:
        store.close()


@contextlib.contextmanager
def _signals_end_the_run() -> Iterator[None]:
    """SIGTERM (and SIGHUP) end the run as Ctrl-C does: the `with` block's clean-up runs."""

    def end(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, end) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(prog="python -m office.serve", description=__doc__)
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("REPLICAS", "3")))
    parser.add_argument("--port", type=int, default=8500, help="HAProxy's port (8500)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="HAProxy's address; 0.0.0.0 for the office network"
    )
    parser.add_argument(
        "--replica-port",
        type=int,
        default=None,
        help="first replica's port, the next ones follow (default: --port + 1); 0: free ports",
    )
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--no-restart", action="store_true", help="leave a dead replica down")
    args = parser.parse_args(argv)
    first = args.port + 1 if args.replica_port is None else args.replica_port
    ports = [first + i for i in range(args.replicas)] if first else None
    office = Office(
        replicas=args.replicas,
        port=args.port,
        host=args.host,
        workdir=args.workdir.resolve(),
        replica_ports=ports,
        restart=not args.no_restart,
    )
    with _signals_end_the_run():
        try:
            with office:
                names = ", ".join(f"{r.name} :{r.port}" for r in office.members)
                database = "its own PostgreSQL" if office.cluster else "DATABASE_URL"
                print(
                    f"Corridor Atlas office: {office.url} (HAProxy; replicas {names}; "
                    f"database: {database}; logs in {office.workdir}). Ctrl-C stops.",
                    file=out,
                    flush=True,
                )
                status = office.wait()
                print(f"office: HAProxy ended with status {status}; stopping", file=sys.stderr)
                return 1
        except (OfficeError, HAProxyError, StoreError, PostgresError) as exc:
            print(f"office: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            return 0
        except SystemExit as exc:
            return 0 if exc.code in (128 + signal.SIGTERM, 128 + signal.SIGHUP) else 1


if __name__ == "__main__":
    sys.exit(main())
