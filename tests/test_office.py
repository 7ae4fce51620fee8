"""
The office deployment under faults (issue 19): three replicas of the dashboard behind HAProxy
(`office.serve`, as `make serve-office` runs it) sharing a real PostgreSQL (`office.postgres`),
driven by headless Chromium with many browser sessions at once.

- A replica killed mid-session (SIGKILL): HAProxy's health check takes it out, its users' pages
  come back on a live replica with the view their link holds and the map drawn; every saved
  view is still there and nothing was written twice.
- Map data files (static/maps/<sha256>.json, fetched by the map) come from the replica the
  session's cookie names, and a file's name is its content, so any replica serving the same
  checkout can serve it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from google.protobuf.message import DecodeError
from playwright.sync_api import Browser, BrowserContext, Page, Response, WebSocket, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from office.haproxy import COOKIE, REPLICA_HEADER, render_config
from office.postgres import PostgresCluster, throwaway_postgres
from office.serve import Office, free_port
from tests.browser import (
    ARTIFACTS,
    MAP_IFRAME,
    MAP_READY,
    expect_app_settled,
    offline_context,
    screenshot,
    watched_page,
)

pytestmark = pytest.mark.browser

SESSIONS = 21
"""Browser sessions opened at once: seven per replica."""
FIRST_SETTLE_MS = 240_000
"""How long the first map of every session may take: 21 sessions start together on 2 cores."""
SETTLE_MS = 90_000
"""How long a page may take to settle once the replicas are warm."""
SCENARIOS = (
    "baseline",
    "russia-transit-closed",
    "poland-belarus-border-closed",
    "caspian-storms",
    "tripp-operational",
    "middle-corridor-2030",
    "red-sea-closed",
)
EXCEPTION = '[data-testid="stException"]'
"""Where Streamlit shows an exception that escaped a page (a traceback box)."""


def view_params(index: int) -> dict[str, str]:
    """A view of its own for each session: a scenario and a border-dwell factor (1.1, 1.2, …)."""
    return {"scenario": SCENARIOS[index % len(SCENARIOS)], "dwell": f"{1 + (index + 1) / 10:g}"}


def until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll `condition` until it holds; fail saying `what` did not happen."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout:.0f} s")
        time.sleep(0.2)


@dataclass
class Session:
    """One browser session (context) with its page, its view and what it fetched."""

    index: int
    context: BrowserContext
    page: Page
    external: list[str]
    errors: list[str]
    map_files: list[tuple[str, str]] = field(default_factory=list)
    """(URL, replica that answered) of every published map-data file the page fetched."""
    stream: WebSocket | None = None
    """The page's Streamlit WebSocket (/_stcore/stream), the latest one after a reload."""

    @property
    def params(self) -> dict[str, str]:
        return view_params(self.index)

    def replica(self) -> str:
        """The replica HAProxy pins this browser to: the value of its SERVERID cookie."""
        values = [c["value"] for c in self.context.cookies() if c["name"] == COOKIE]
        assert len(values) == 1, f"session {self.index}: cookies {self.context.cookies()}"
        return values[0]

    def url_params(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.page.url).query))


def open_session(browser: Browser, base: str, index: int, page: str = "") -> Session:
    context, external = offline_context(browser)
    watched = watched_page(context, external)
    session = Session(index, context, watched.page, external, watched.errors)

    def record(response: Response) -> None:
        if "/app/static/maps/" in response.url:
            session.map_files.append((response.url, response.headers.get(REPLICA_HEADER.lower())))

    def connected(socket: WebSocket) -> None:
        if "/_stcore/stream" in socket.url:
            session.stream = socket

    context.on("response", record)
    session.page.on("websocket", connected)
    go_to(session, base, page)
    return session


def expect_view(session: Session, timeout_ms: int = SETTLE_MS) -> None:
    """The session shows its own view: the link still holds its scenario and dwell factor, the
    map has drawn every overlay, and no exception box is on the page."""
    page = session.page
    frame = page.frame_locator(MAP_IFRAME)
    try:
        expect(frame.locator(MAP_READY)).to_be_visible(timeout=timeout_ms)
        expect(page.locator(EXCEPTION)).to_have_count(0)
    except AssertionError:
        screenshot(page, f"office-session-{session.index}-failed")
        raise
    shown = session.url_params()
    for key, value in session.params.items():
        assert shown.get(key) == value, f"session {session.index}: {key} in {page.url}"


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    with throwaway_postgres() as running:
        yield running


@pytest.fixture(scope="module")
def office(cluster: PostgresCluster) -> Iterator[Office]:
    """Three replicas behind HAProxy on free ports, every map's data published as a file (the
    `fetch_above` setting at 0), no automatic restart (the tests revive a replica themselves)."""
    workdir = Path(tempfile.mkdtemp(prefix="atlas-office-"))
    running = Office(
        replicas=3,
        port=free_port(),
        workdir=workdir,
        database_url=cluster.url,
        restart=False,
        env={"CORRIDOR_ATLAS_FETCH_ABOVE": "0"},
    )
    try:
        with running:
            yield running
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        for log in workdir.glob("*.log"):
            shutil.copy(log, ARTIFACTS / f"office-{log.name}")
        shutil.rmtree(workdir, ignore_errors=True)


def saved_rows(cluster: PostgresCluster) -> list[tuple[str, str]]:
    """Every saved view's (key, name), read from the table itself: duplicates would show."""
    import psycopg

    dsn = f"host=127.0.0.1 port={cluster.port} user=atlas dbname={cluster.database}"
    with psycopg.connect(dsn) as connection:
        rows = connection.execute("SELECT key, name FROM saved_views ORDER BY id").fetchall()
    return [(str(key), str(name)) for key, name in rows]


SAVE = "Save this view"
UNAVAILABLE = "The team database cannot be reached now"
"""The start of the Saved views page's warning when the store raises `StoreUnavailable`."""


def saved_message(name: str) -> str:
    return f"Saved “{name}”."


def go_to(session: Session, base: str, page: str = "") -> None:
    """Open one of the app's pages with the session's own view in the link."""
    session.page.goto(f"{base}/{page}?{urlencode(session.params)}")


def fill_save_form(session: Session, name: str, note: str = "") -> None:
    """Type a name and a note into the Saved views page's form (the first form on it)."""
    expect_app_settled(session.page, SETTLE_MS)
    form = session.page.locator('[data-testid="stForm"]').first
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Note", exact=True).fill(note)


def click_save(session: Session) -> None:
    form = session.page.locator('[data-testid="stForm"]').first
    form.get_by_role("button", name=SAVE).click()


def expect_saved(session: Session, name: str) -> None:
    page = session.page
    try:
        expect(page.get_by_text(saved_message(name))).to_be_visible(timeout=SETTLE_MS)
        expect(page.locator(EXCEPTION)).to_have_count(0)
    except AssertionError:
        screenshot(page, f"office-save-{session.index}-failed")
        raise


def group_by_replica(sessions: list[Session]) -> dict[str, list[Session]]:
    grouped: dict[str, list[Session]] = {}
    for session in sessions:
        grouped.setdefault(session.replica(), []).append(session)
    return grouped


def save_everyone(sessions: list[Session], base: str, *, but: Session) -> None:
    """Every session opens the Saved views page with its view and types a name and a note;
    all but `but` press Save (at once: the replicas work on them together)."""
    for session in sessions:
        go_to(session, base, "saved")
    for session in sessions:
        fill_save_form(session, f"Office view {session.index}", f"view {session.index}")
        if session is not but:
            click_save(session)
    for session in sessions:
        if session is not but:
            expect_saved(session, f"Office view {session.index}")


def expect_map_files_from_own_replica(session: Session) -> None:
    """The session's map data came as files, each from the replica its cookie names."""
    assert session.map_files, f"session {session.index} fetched no map data"
    assert {who for _, who in session.map_files} == {session.replica()}


def save_again_unless_saved(session: Session, cluster: PostgresCluster, live: set[str]) -> None:
    """A user who pressed Save as their replica died, after reloading: on a live replica, on
    the Saved views page with their view in the link, and saving again if their view is not
    listed (the save may or may not have gone through before the replica died)."""
    expect_app_settled(session.page, SETTLE_MS)
    expect(session.page.locator(EXCEPTION)).to_have_count(0)
    assert session.replica() in live
    assert all(session.url_params().get(k) == v for k, v in session.params.items())
    name = f"Office view {session.index}"
    if name not in {n for _, n in saved_rows(cluster)}:
        fill_save_form(session, name)
        click_save(session)
        expect_saved(session, name)


def expect_same_file_everywhere(office: Office, url: str) -> None:
    """A published map-data file is named by the SHA-256 of its content, and every live replica
    of one checkout serves it (they share static/maps/): whichever replica a fetch reaches, it
    gets these bytes or none, never another map's."""
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    for replica in office.members:
        if replica.process is None or replica.process.poll() is not None:
            continue
        with urllib.request.urlopen(f"{replica.url}{path}", timeout=10) as response:
            body = response.read()
        assert f"{hashlib.sha256(body).hexdigest()}.json" == name, (replica.name, path)


def test_the_haproxy_config_pins_sessions_and_checks_health(tmp_path: Path) -> None:
    text = render_config(
        bind="127.0.0.1:8500", servers=[("r1", 8501), ("r2", 8502)], socket_path=tmp_path / "s"
    )
    assert "balance roundrobin" in text
    assert re.search(r"cookie SERVERID insert indirect nocache", text)
    assert "uri /_stcore/health" in text
    assert "timeout tunnel 1h" in text
    # a busy replica answers its health check late, not never: out only after 3 checks of 5 s
    assert "timeout check 5s" in text
    assert "default-server inter 1s fall 3 rise 2 on-marked-down shutdown-sessions" in text
    assert "server r1 127.0.0.1:8501 check cookie r1" in text
    assert "server r2 127.0.0.1:8502 check cookie r2" in text


def test_a_replica_killed_mid_session_loses_no_view_and_no_saved_view(
    office: Office,
    browser: Browser,
    cluster: PostgresCluster,
) -> None:
    assert office.server_status() == {"r1": "UP", "r2": "UP", "r3": "UP"}
    timings: dict[str, float] = {}
    started = time.monotonic()
    sessions = [open_session(browser, office.url, i) for i in range(SESSIONS)]
    try:
        # Every session draws its own view; round robin spreads them over the three replicas.
        for session in sessions:
            expect_view(session, FIRST_SETTLE_MS)
        timings["all_sessions_drawn_s"] = time.monotonic() - started
        by_replica = group_by_replica(sessions)
        assert sorted(by_replica) == ["r1", "r2", "r3"]
        assert all(len(group) >= SESSIONS // 3 - 1 for group in by_replica.values())
        screenshot(sessions[1].page, "office-before-kill")

        # The map's data came as a file, from the replica the session's cookie names.
        for session in sessions:
            expect_map_files_from_own_replica(session)

        # Everyone saves their view on the Saved views page (on their replica: the cookie),
        # except one of r2's users, who is still typing.
        victims = by_replica["r2"]
        typing = victims[0]
        save_everyone(sessions, office.url, but=typing)
        assert len(saved_rows(cluster)) == SESSIONS - 1
        screenshot(sessions[0].page, "office-saved")

        # r2's other users go back to the map.
        for session in victims[1:]:
            go_to(session, office.url)
        for session in victims[1:]:
            expect_view(session)

        # r2 dies mid-session, as its last user presses Save: its browsers are still connected.
        click_save(typing)
        office.kill("r2")
        killed = time.monotonic()
        until(lambda: office.server_status()["r2"] != "UP", "HAProxy did not take r2 out")
        timings["r2_out_after_s"] = time.monotonic() - killed
        assert office.server_status()["r1"] == office.server_status()["r3"] == "UP"

        # Its users reload: a live replica serves them, with the view from their link.
        for session in victims:
            session.map_files.clear()
            session.page.reload()
        # The one who pressed Save: back on the Saved views page, their view in the link. The
        # save either went through before r2 died or did not; if it is not listed, they save
        # again, as a user would.
        save_again_unless_saved(typing, cluster, live={"r1", "r3"})
        for session in victims[1:]:
            expect_view(session)
            timings["victims_redrawn_after_kill_s"] = time.monotonic() - killed
            assert session.replica() in {"r1", "r3"}
            expect_map_files_from_own_replica(session)
        screenshot(victims[1].page, "office-after-kill")
        expect_same_file_everywhere(office, victims[1].map_files[0][0])

        # Everyone else was not disturbed.
        for session in by_replica["r1"] + by_replica["r3"]:
            expect(session.page.locator(EXCEPTION)).to_have_count(0)
            assert session.replica() in {"r1", "r3"}

        # Every view is saved, once: the database and the list every replica shows agree.
        rows = saved_rows(cluster)
        assert sorted(n for _, n in rows) == sorted(f"Office view {s.index}" for s in sessions)
        assert len({key for key, _ in rows}) == SESSIONS
        go_to(typing, office.url, "saved")
        heading = typing.page.get_by_role("heading", name=f"Saved by the team ({SESSIONS})")
        expect(heading).to_be_visible(timeout=SETTLE_MS)
        for session in sessions:
            listed = typing.page.get_by_text(f"Office view {session.index}", exact=True)
            expect(listed).to_be_visible()

        for session in sessions:
            assert session.external == [], session.external
            assert session.errors == [], session.errors

        # r2 comes back (as `office.serve` restarts a dead replica) and HAProxy takes it in.
        revived = time.monotonic()
        office.revive("r2")
        assert office.server_status(exact=True) == {"r1": "UP", "r2": "UP", "r3": "UP"}
        timings["r2_back_in_s"] = time.monotonic() - revived
        (ARTIFACTS / "office-timings.json").write_text(
            json.dumps({k: round(v, 1) for k, v in timings.items()}, indent=1)
        )
    finally:
        for session in sessions:
            session.context.close()


def script_finished(payload: str | bytes) -> bool:
    """Whether a frame Streamlit sent on the session's WebSocket says its script run finished
    (a run cut short for another rerun does not count). Read with Streamlit's own protocol."""
    if isinstance(payload, str):
        return False
    try:
        message = ForwardMsg.FromString(payload)
    except DecodeError:
        return False
    return (
        message.WhichOneof("type") == "script_finished"
        and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
    )


def press_save(session: Session) -> None:
    """Press Save and wait until the run it starts has finished and the page shows that run
    (no element left over from the run before)."""
    assert session.stream is not None, "the page has no Streamlit WebSocket"
    with session.stream.expect_event("framereceived", script_finished, timeout=SETTLE_MS):
        click_save(session)
    expect(session.page.locator('[data-stale="true"]')).to_have_count(0, timeout=SETTLE_MS)
    expect_app_settled(session.page, SETTLE_MS)


def save_and_read_outcome(session: Session, name: str) -> str:
    """Type `name`, press Save, wait for the run that follows and read what the page says:
    "saved", or "unavailable" (the store's warning). Never an exception box or a traceback."""
    page = session.page
    fill_save_form(session, name)
    try:
        press_save(session)
    except (AssertionError, PlaywrightTimeout):
        screenshot(page, f"office-save-{session.index}-never-ran")
        raise
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert "Traceback" not in page.locator("body").inner_text()
    if page.get_by_text(saved_message(name)).is_visible():
        return "saved"
    expect(page.get_by_text(UNAVAILABLE).first).to_be_visible()
    return "unavailable"


LOAD_SESSIONS = 6
"""Sessions saving again and again while PostgreSQL restarts."""


def test_saving_resumes_after_postgresql_restarts_under_load(
    office: Office, browser: Browser, cluster: PostgresCluster
) -> None:
    from office.postgres import restart_cluster, stop_cluster

    until(lambda: set(office.server_status().values()) == {"UP"}, "not every replica is up")
    first = SESSIONS  # views of their own, apart from the other test's
    sessions = [open_session(browser, office.url, first + i, "saved") for i in range(LOAD_SESSIONS)]
    on_map = open_session(browser, office.url, first + LOAD_SESSIONS)
    confirmed: list[str] = []
    try:
        assert {s.replica() for s in sessions} == {"r1", "r2", "r3"}, office.server_status()
        for session in sessions:
            assert save_and_read_outcome(session, f"Load {session.index} a") == "saved"
            confirmed.append(f"Load {session.index} a")
        expect_view(on_map)

        # PostgreSQL stops: every save says the team database cannot be reached, the map
        # still draws (without the team's notes), and nothing shows a traceback.
        stop_cluster(cluster.directory)
        for session in sessions:
            assert save_and_read_outcome(session, f"Load {session.index} b") == "unavailable"
        screenshot(sessions[0].page, "office-database-down")
        on_map.page.reload()
        expect_view(on_map)
        screenshot(on_map.page, "office-database-down-map")

        # It comes back: the same save, pressed again, goes through (once).
        cluster.start()
        for session in sessions:
            click_and_expect_saved(session, f"Load {session.index} b")
            confirmed.append(f"Load {session.index} b")

        # Restart under load: every session saves again and again while PostgreSQL restarts;
        # each save is either saved or refused with the message, and saving resumes after.
        failed: list[BaseException] = []

        def restart() -> None:
            try:
                restart_cluster(cluster.directory)
            except BaseException as exc:  # reported by the test, not lost in the thread
                failed.append(exc)

        restarting = threading.Thread(target=restart)
        restarting.start()
        outcomes: list[str] = []
        round_ = 0
        while restarting.is_alive() or round_ < 2:
            for session in sessions:
                name = f"Load {session.index} c{round_}"
                outcomes.append(save_and_read_outcome(session, name))
                if outcomes[-1] == "saved":
                    confirmed.append(name)
            round_ += 1
        restarting.join()
        assert not failed, f"restart_cluster failed: {failed}"
        for session in sessions:
            assert save_and_read_outcome(session, f"Load {session.index} d") == "saved"
            confirmed.append(f"Load {session.index} d")
        (ARTIFACTS / "office-restart-outcomes.json").write_text(json.dumps(outcomes))

        # Every save the page confirmed is stored exactly once; none is stored twice.
        rows = saved_rows(cluster)
        names = [name for _, name in rows if name.startswith("Load ")]
        assert len(names) == len(set(names))
        assert set(confirmed) <= set(names)
        assert len({key for key, _ in rows}) == len(rows)
    except BaseException:
        for session in [*sessions, on_map]:
            screenshot(session.page, f"office-restart-{session.index}-at-failure")
        raise
    finally:
        if not cluster.running():
            cluster.start()
        for session in [*sessions, on_map]:
            session.context.close()


def click_and_expect_saved(session: Session, name: str) -> None:
    """Press Save again on the form as it was left (the same name: a retry) and see it saved."""
    click_save(session)
    expect_saved(session, name)


def instructions(containerfile: Path) -> list[tuple[str, str]]:
    """A Containerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", containerfile.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_the_containerfile_builds_what_make_run_serves() -> None:
    """No container engine here to build it: read it instead. It starts from Debian with
    Python, Node.js and make, copies what exists and is not ignored, runs `make setup`, and
    serves with `make run`'s command on the configured port, with a health check."""
    import subprocess
    import tomllib
    from fnmatch import fnmatch

    from tests.conftest import REPO

    steps = instructions(REPO / "Containerfile")
    assert steps[0] == ("FROM", "debian:bookworm-slim")
    installs = " ".join(args for keyword, args in steps if keyword == "RUN")
    for package in ("python3", "python3-venv", "nodejs", "npm", "make"):
        assert f" {package} " in f" {installs} ", package
    assert "make setup" in installs
    for keyword, args in steps:
        if keyword in ("COPY", "ADD"):
            *sources, _target = [a for a in args.split() if not a.startswith("--")]
            for source in sources:
                assert (REPO / source).exists(), f"{keyword} {source}: no such path"

    # The build context holds every file git tracks (.dockerignore leaves out only what
    # `make setup` and the app make).
    ignored = [
        line.strip().rstrip("/")
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    left_out = [
        path
        for path in tracked
        if any(
            fnmatch(path, pattern)
            or path.startswith(pattern + "/")
            or fnmatch(path, pattern + "/*")
            for pattern in ignored
        )
    ]
    assert left_out == []

    # The command is `make run`'s, on the port .streamlit/config.toml names.
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^run: .*\n\t\$\(PY\) (.+)$", makefile, re.MULTILINE)
    assert recipe, "make run's recipe"
    command = json.loads(dict(steps)["CMD"])
    assert command[0].endswith("/.venv/bin/python")
    assert command[1:] == recipe.group(1).split()
    config = tomllib.loads((REPO / ".streamlit/config.toml").read_text(encoding="utf-8"))
    port = config["server"]["port"]
    assert dict(steps)["EXPOSE"] == str(port)
    assert f"127.0.0.1:{port}/_stcore/health" in dict(steps)["HEALTHCHECK"]
    assert "STREAMLIT_SERVER_ADDRESS=0.0.0.0" in dict(steps)["ENV"]


def children(pid: int) -> set[int]:
    """The processes `pid` started (Linux: /proc/PID/task/*/children)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def test_the_serve_command_starts_replicas_and_stops_them_all_on_sigterm(
    cluster: PostgresCluster, tmp_path: Path
) -> None:
    """`python -m office.serve` (what `make serve-office` runs): HAProxy answers with a sticky
    cookie; SIGTERM stops HAProxy and every replica, and the command exits 0."""
    import os
    import signal
    import subprocess
    import sys

    from tests.conftest import REPO

    port = free_port()
    command = [sys.executable, "-m", "office.serve", "--replicas", "2", "--port", str(port)]
    command += ["--replica-port", "0", "--workdir", str(tmp_path)]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": cluster.url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # printed once HAProxy has found both replicas up
        assert f"http://127.0.0.1:{port}" in first, first
        started = children(process.pid)
        assert len(started) == 3  # two replicas and HAProxy
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as response:
            assert response.read() == b"ok"
            assert response.headers[REPLICA_HEADER] in {"r1", "r2"}
            cookies = response.headers.get_all("Set-Cookie")
            assert any(
                c.startswith(f"{COOKIE}={response.headers[REPLICA_HEADER]};") for c in cookies
            )
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        left = [pid for pid in started if Path(f"/proc/{pid}").exists()]
        assert left == [], f"still running after SIGTERM: {left}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
