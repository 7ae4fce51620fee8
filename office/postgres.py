"""
A throwaway PostgreSQL cluster for tests and a one-machine office set-up: Debian's `postgresql`
binaries (`/usr/lib/postgresql/<version>/bin`), a cluster in a directory of our choosing, on a
port of our choosing, listening on 127.0.0.1 only, trusting local connections, its Unix socket
inside the directory. PostgreSQL refuses to run as root, so as root the server runs as the
system user `atlas-pg` (created when missing) and the directory is handed to it.

    cluster = start_postgres(Path("/tmp/atlas-pg"), port=free_port())
    cluster.url        # postgresql+psycopg://atlas@127.0.0.1:PORT/atlas
    cluster.stop(); cluster.start(); cluster.restart()   # the same data, the same URL
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import psycopg

PG_ROOT = Path("/usr/lib/postgresql")
SYSTEM_USER = "atlas-pg"
"""Who runs the server when we are root."""
ROLE = "atlas"
"""The cluster's superuser role, which the URL connects as (trust: no password)."""
START_TIMEOUT_S = 60

StopMode = Literal["smart", "fast", "immediate"]


class PostgresError(RuntimeError):
    """The cluster could not be made, started or stopped; the message says why and what to do."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bin_dir() -> Path:
    """The newest installed PostgreSQL's programs, or a `PostgresError` saying how to get them."""
    found = sorted(
        (p for p in PG_ROOT.glob("*/bin") if (p / "initdb").is_file()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not found:
        raise PostgresError(
            f"no PostgreSQL server programs under {PG_ROOT}; install Debian's package: "
            "apt-get install postgresql (`make system-deps` does it as root)"
        )
    return found[-1]


def _system_user() -> tuple[int, int] | None:
    """(uid, gid) the server runs as: `atlas-pg` when we are root (made if missing), else None
    (the server runs as the current user)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SYSTEM_USER,
            ],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(SYSTEM_USER)
    return entry.pw_uid, entry.pw_gid


@dataclass
class PostgresCluster:
    """One cluster: its directory (data, socket and log inside), port and database."""

    directory: Path
    port: int
    database: str = "atlas"
    programs: Path | None = None

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def socket_dir(self) -> Path:
        return self.directory / "socket"

    @property
    def log(self) -> Path:
        return self.directory / "postgres.log"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the database (psycopg 3 driver)."""
        return f"postgresql+psycopg://{ROLE}@127.0.0.1:{self.port}/{self.database}"

    def _run(self, program: str, *args: str, timeout: float = START_TIMEOUT_S) -> None:
        command = [str((self.programs or bin_dir()) / program), *args]
        if _system_user() is not None:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise PostgresError(
                f"{program} did not finish in {timeout:.0f} s; see {self.log}"
            ) from None
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise PostgresError(f"{program} failed: {' / '.join(detail)} (log: {self.log})")

    def initialise(self) -> None:
        """initdb into `data/`, once; the configuration written after it."""
        if (self.data / "PG_VERSION").exists():
            return
        owner = _system_user()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if owner is not None:
            _reachable(self.directory, owner[0])
            for path in (self.directory, self.socket_dir):
                os.chown(path, *owner)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            ROLE,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "-N",
        )
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                "\n# office/postgres.py\n"
                "listen_addresses = '127.0.0.1'\n"
                f"port = {self.port}\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                "fsync = off\n"
                "max_connections = 200\n"
            )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        if self.running():
            return
        if _system_user() is not None and not self.log.exists():
            self.log.touch()
            os.chown(self.log, *_system_user())  # type: ignore[misc]
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            str(START_TIMEOUT_S),
            "start",
        )
        self._wait(up=True)

    def stop(self, mode: StopMode = "fast") -> None:
        """Stop the server: `fast` ends sessions cleanly, `immediate` is a crash (recovery on
        the next start)."""
        if not self.running():
            return
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        self._wait(up=False)

    def restart(self, mode: StopMode = "fast") -> None:
        self.stop(mode)
        self.start()

    def running(self) -> bool:
        """Whether the server answers on its port now."""
        try:
            with psycopg.connect(self._dsn("postgres"), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def _dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={ROLE} dbname={database}"

    def _wait(self, *, up: bool) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while self.running() != up:
            if time.monotonic() > deadline:
                state = "start" if up else "stop"
                raise PostgresError(
                    f"PostgreSQL did not {state} on port {self.port}; see {self.log}"
                )
            time.sleep(0.1)

    def create_database(self) -> None:
        """Create `database` unless it exists."""
        with psycopg.connect(self._dsn("postgres"), autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (self.database,)
            ).fetchone()
            if exists is None:
                connection.execute(f'CREATE DATABASE "{self.database}"')

    def destroy(self) -> None:
        """Stop the server (as a crash: nothing to keep) and delete the directory."""
        with contextlib.suppress(PostgresError):
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def _reachable(directory: Path, uid: int) -> None:
    """
    The server's user must be able to walk to its directory. A private folder of ours under the
    system's temporary folder (`tempfile.mkdtemp`, pytest's) is given search permission for
    others (o+x: enter, not list); anywhere else a closed folder is an error that says so.
    """
    temporary = Path(tempfile.gettempdir()).resolve()
    for parent in reversed(directory.resolve().parents):
        info = parent.stat()
        if info.st_uid == uid or info.st_mode & 0o001:
            continue
        if temporary in parent.parents and info.st_uid == os.geteuid():
            parent.chmod(info.st_mode | 0o001)
            continue
        raise PostgresError(
            f"{directory} is inside {parent}, which the user {SYSTEM_USER} may not enter; "
            "put the cluster under the temporary folder or /var/lib"
        )


def start_postgres(
    directory: Path, port: int | None = None, database: str = "atlas"
) -> PostgresCluster:
    """A running cluster in `directory` (made with initdb if new) on `port` (a free one if
    None), with `database` created. Its `url` is ready for `store.open_store`."""
    cluster = PostgresCluster(Path(directory), port or free_port(), database, bin_dir())
    cluster.initialise()
    cluster.start()
    cluster.create_database()
    return cluster


def cluster_at(directory: Path) -> PostgresCluster:
    """The cluster `start_postgres` made in `directory` (its port read from its configuration)."""
    conf = Path(directory) / "data" / "postgresql.conf"
    try:
        text = conf.read_text(encoding="utf-8")
    except OSError:
        raise PostgresError(f"no cluster in {directory}: {conf} cannot be read") from None
    ports = [
        line.split("=", 1)[1].strip() for line in text.splitlines() if line.startswith("port = ")
    ]
    if not ports:
        raise PostgresError(f"{conf} names no port; was it made by office/postgres.py?")
    return PostgresCluster(Path(directory), int(ports[-1]), programs=bin_dir())


def start_cluster(directory: Path, port: int, database: str = "atlas") -> str:
    """`start_postgres`, returning the database's SQLAlchemy URL."""
    return start_postgres(directory, port, database).url


def stop_cluster(directory: Path, mode: StopMode = "fast") -> None:
    """Stop the cluster in `directory`, if it runs."""
    cluster_at(directory).stop(mode)


def restart_cluster(directory: Path, mode: StopMode = "fast") -> None:
    """Stop and start the cluster in `directory` (same data, same port, same URL)."""
    cluster_at(directory).restart(mode)


def stop_postgres(cluster: PostgresCluster, mode: StopMode = "fast") -> None:
    cluster.stop(mode)


def restart_postgres(cluster: PostgresCluster, mode: StopMode = "fast") -> None:
    cluster.restart(mode)


@contextlib.contextmanager
def throwaway_postgres(database: str = "atlas") -> Iterator[PostgresCluster]:
    """A cluster in a fresh directory under the system's temporary folder, destroyed after."""
    directory = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    cluster = None
    try:
        cluster = start_postgres(directory, database=database)
        yield cluster
    finally:
        if cluster is not None:
            cluster.destroy()
        shutil.rmtree(directory, ignore_errors=True)
