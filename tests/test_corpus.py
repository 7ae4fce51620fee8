"""
Hostile and broken input, the way an upload or a shared link would bring it.

Every file in `tests/corpus/` is fed to the loader and to `python -m geo validate`; each must be
answered within 10 s (a hang guard, not a speed target) with located messages (or accepted,
when `expected.yaml` says so), never with a traceback. Cases too big to commit are generated
here; query parameters get the same treatment through `geo.viewstate.parse_query`.
"""

from __future__ import annotations

import contextlib
import io
import re
import resource
import signal
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from geo.catalogue import Catalogue
from geo.cli import main
from geo.errors import Problem
from geo.i18n import translator
from geo.loader import check_catalogue_bytes, check_catalogue_file, file_limits, upload_limits
from geo.viewstate import parse_query
from tests.conftest import REPO, TINY, run_geo, tiny_variant

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, dict] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
CASES = sorted(path.name for path in CORPUS.iterdir() if path.name != "expected.yaml")
TIME_LIMIT = 10.0
"""Seconds any single input may take; far above what a real catalogue needs (under 1 s)."""


class TookTooLong(BaseException):
    """Raised by the timer inside the code under test (a BaseException, so nothing swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: float = TIME_LIMIT) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM: pytest runs tests in the main thread)."""

    def expire(signum: int, frame: object) -> None:
        raise TookTooLong(f"no answer within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def answer(data: bytes, name: str) -> tuple[Catalogue | None, list[Problem]]:
    """`check_catalogue_bytes`, failing the test on a timeout or any exception."""
    try:
        with time_limit():
            return check_catalogue_bytes(data, name=name)
    except TookTooLong:
        pytest.fail(f"{name}: no answer within {TIME_LIMIT:g} s")
    except Exception as exc:
        pytest.fail(f"{name}: raised {type(exc).__name__}: {exc}")


def validate(*argv: str) -> tuple[int, str, str]:
    """
    `python -m geo validate …` in-process (a process per corpus file would take minutes): an
    exception escaping `main` fails the test here, since in-process it raises, it never prints.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        with time_limit():
            code = main(["validate", *argv], out=out, err=err)
    except TookTooLong:
        pytest.fail(f"validate {argv}: no answer within {TIME_LIMIT:g} s")
    except Exception as exc:
        pytest.fail(f"validate {argv} would print a Traceback: {type(exc).__name__}: {exc}")
    return code, out.getvalue(), err.getvalue()


def unprintable(text: str) -> list[str]:
    """Control characters (C0, DEL, C1) that would reach a terminal or a page raw."""
    return [repr(c) for c in text if unicodedata.category(c) == "Cc"]


# ----------------------------------------------------------------------------- the corpus


def test_expected_yaml_lists_every_corpus_file_and_nothing_else() -> None:
    assert sorted(EXPECTED) == CASES
    assert len(CASES) >= 40
    for name, entry in EXPECTED.items():
        if entry.get("accept"):
            assert entry["accept"] is True and "message" not in entry, name
        else:
            assert entry["message"], name
            assert "line" in entry and (entry["line"] is None or entry["line"] >= 1), name


def test_the_committed_corpus_stays_under_200_kb() -> None:
    assert sum(path.stat().st_size for path in CORPUS.iterdir()) < 200_000


@pytest.mark.parametrize("name", CASES)
def test_corpus_file_is_answered_in_time_as_expected_with_located_problems(name: str) -> None:
    path = CORPUS / name
    expected = EXPECTED.get(name, {})
    catalogue, problems = answer(path.read_bytes(), str(path))
    report = "\n".join(str(p) for p in problems) or "(no problems)"
    if expected.get("accept"):
        assert catalogue is not None, report
        assert not [p for p in problems if p.severity == "error"], report
    else:
        assert catalogue is None, f"{name} was accepted:\n{report}"
        matching = [p for p in problems if expected["message"] in p.message]
        assert matching, f"no message contains {expected['message']!r}:\n{report}"
        if expected["line"] is not None:
            assert expected["line"] in [p.line for p in matching], report
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1, str(problem)
        assert str(problem).startswith(f"{path}:{problem.line}:{problem.column}: "), str(problem)
        raw = unprintable(problem.message + problem.where + problem.hint)
        assert not raw, f"control characters {raw} in {problem!r}"


@pytest.mark.parametrize("name", CASES)
def test_every_corpus_problem_reads_in_chinese_and_the_same_in_english(name: str) -> None:
    """The app shows problems in the reader's language; logs and the CLI keep the English."""
    with time_limit():
        _, problems = answer((CORPUS / name).read_bytes(), name)
    chinese = translator("zh")
    for problem in problems:
        assert problem.render() == str(problem)
        assert problem.render().split(": ", 2)[2].startswith(problem.message)
        text = problem.render(chinese)
        assert re.search(r"[\u4e00-\u9fff]", text.split(": ", 2)[2]), text  # the message itself
        assert "{" not in text.replace(problem.where, "") or "{" in problem.message, text


@pytest.mark.parametrize("name", CASES)
def test_validate_exits_0_for_an_accepted_corpus_file_and_1_for_a_rejected_one(name: str) -> None:
    code, out, err = validate(str(CORPUS / name))
    assert code == (0 if EXPECTED[name].get("accept") else 1), out + err


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_validate_exits_2_for_a_path_it_cannot_read(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml" if kind == "missing" else tmp_path
    done = run_geo("validate", str(path), timeout=60)
    assert "Traceback" not in done.stderr, done.stderr[-600:]
    assert done.returncode == 2, done.stderr[-600:]
    assert done.stdout == ""
    expected = "cannot read file" if kind == "missing" else "not a regular file"
    assert f"{path}:1:1: error: {expected}" in done.stderr


# ----------------------------------------------------------------------------- generated cases


def test_validate_exits_2_for_a_file_over_the_limit_and_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    row = b"  - {id: padding, name: padding}\n"
    path.write_bytes(b"nodes:\n" + row * (file_limits().max_bytes // len(row) + 1))
    done = run_geo("validate", str(path), timeout=60)
    assert "Traceback" not in done.stderr, done.stderr[-600:]
    assert done.returncode == 2, done.stderr[-600:]
    assert f"the limit is {file_limits().max_bytes:,}" in done.stderr


def test_the_operators_file_may_be_larger_than_an_upload(tmp_path: Path) -> None:
    padding = (b"# " + b"x" * 97 + b"\n") * (upload_limits().max_bytes // 100 + 1000)
    path = tmp_path / "large.yaml"
    path.write_bytes((REPO / "corridors.yaml").read_bytes() + padding)
    assert upload_limits().max_bytes < path.stat().st_size < file_limits().max_bytes
    catalogue, problems = check_catalogue_file(path)
    assert catalogue is not None, [str(p) for p in problems]
    catalogue, problems = answer(path.read_bytes(), "upload.yaml")
    assert catalogue is None
    assert f"the limit is {upload_limits().max_bytes:,}" in str(problems[0])


def test_an_upload_over_the_limit_is_refused_before_it_is_parsed() -> None:
    data = b"[" * (upload_limits().max_bytes + 1)
    catalogue, problems = answer(data, "upload.yaml")
    assert catalogue is None
    assert [str(p) for p in problems] == [
        f"upload.yaml:1:1: error: file is {len(data):,} bytes; "
        f"the limit is {upload_limits().max_bytes:,}"
    ]


def test_a_file_just_under_the_size_limit_is_answered_without_hanging() -> None:
    data = b"a: [" + b"1," * ((upload_limits().max_bytes - 8) // 2) + b"]\n"
    assert len(data) <= upload_limits().max_bytes
    catalogue, problems = answer(data, "near-limit.yaml")
    assert catalogue is None
    assert problems


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_validate_refuses_an_endless_device_instead_of_reading_it_into_memory() -> None:
    def cap_memory() -> None:  # a broken size check then dies of MemoryError, not the machine
        resource.setrlimit(resource.RLIMIT_AS, (768 << 20, 768 << 20))

    try:
        result = subprocess.run(
            [sys.executable, "-m", "geo", "validate", "/dev/zero"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=cap_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("validate /dev/zero did not finish within 60 s")
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert result.returncode == 2, result.stderr[-600:]
    assert "not a regular file" in result.stderr


def test_many_unknown_references_are_reported_within_5_s() -> None:
    nodes = "".join(
        f"  - {{id: node-{i:04d}, name: N, kind: city, country: AA, lat: 0, lon: 0, "
        "coordinates_basis: fixture}\n"
        for i in range(600)
    )
    unknown = [f"node-{i:04d}x" for i in range(1200)]
    text = tiny_variant("nodes:\n", "nodes:\n" + nodes)
    old = "close_countries: [BB]}"
    assert text.count(old) == 1
    text = text.replace(old, f"close_countries: [BB], close_nodes: [{', '.join(unknown)}]}}")
    catalogue, problems = answer(text.encode(), "many-unknown.yaml")
    assert catalogue is None
    assert len([p for p in problems if "names unknown node" in p.message]) == len(unknown)


def test_a_number_with_thousands_of_digits_gets_a_located_message() -> None:
    data = b"meta:\n  title: Digits\nyear: " + b"1" * 4400 + b"\n"
    catalogue, problems = answer(data, "digits.yaml")
    assert catalogue is None
    assert 3 in [p.line for p in problems], problems


def test_a_100_kb_node_name_is_accepted_as_it_is() -> None:
    name = "N" * 100_000
    catalogue, problems = answer(
        tiny_variant("name: A City,", f"name: {name},").encode(), "long-name.yaml"
    )
    assert catalogue is not None, problems
    assert catalogue.node("a-city").name == name


def test_control_characters_written_as_yaml_escapes_are_refused_in_names() -> None:
    """Raw control bytes are refused by the reader; YAML escapes produce them after it, so the
    schema refuses them too (they could rewrite a terminal or hide text)."""
    text = tiny_variant("name: A City,", 'name: "A\\0\\eCity",')
    catalogue, problems = answer(text.encode(), "escapes.yaml")
    assert catalogue is None
    assert any("control characters" in p.message for p in problems), problems


def test_a_byte_order_mark_before_the_tiny_catalogue_changes_nothing() -> None:
    catalogue, problems = answer(b"\xef\xbb\xbf" + TINY.read_bytes(), "bom.yaml")
    assert catalogue is not None, problems
    assert [c.id for c in catalogue.corridors] == ["main", "onward"]


# ----------------------------------------------------------------------------- query parameters

PARAMETERS = (
    "scenario",
    "corridors",
    "basemap",
    "select",
    "close_c",
    "close_n",
    "close_l",
    "open_l",
    "open_planned",
    "dwell",
    "cost",
    "w",
    "present",
)
"""Every parameter `geo.viewstate.parse_query` reads."""
HOSTILE = {
    "garbage": "%%%;;&&|~~",
    "overlong": "x" * 10_240,
    "script": "<script>alert(1)</script>",
    "path": "../../etc/passwd",
    "nul": "main\x00",
    "rtl-override": "\u202emain",
    "huge-number": "1e309",
    "nan": "nan",
    "negative-zero": "-0",
}


@pytest.mark.parametrize("parameter", PARAMETERS)
def test_a_hostile_query_value_falls_back_to_the_default_with_one_notice(
    parameter: str, tiny: Catalogue
) -> None:
    default, none = parse_query({}, tiny)
    assert none == []
    wrong = []
    for label, value in HOSTILE.items():
        state, notices = parse_query({parameter: value}, tiny)
        if state != default:
            wrong.append(f"{label}: the view changed to {state}")
        if len(notices) != 1:
            wrong.append(f"{label}: {len(notices)} notices instead of 1: {notices}")
    assert not wrong, f"{parameter}=…\n" + "\n".join(wrong)


def test_every_parameter_hostile_at_once_gives_the_default_view(tiny: Catalogue) -> None:
    default, _ = parse_query({}, tiny)
    for value in HOSTILE.values():
        state, notices = parse_query(dict.fromkeys(PARAMETERS, value), tiny)
        assert state == default
        assert notices


def test_notices_never_echo_the_rejected_value(tiny: Catalogue) -> None:
    for parameter in PARAMETERS:
        for value in HOSTILE.values():
            _, notices = parse_query({parameter: value}, tiny)
            for notice in notices:
                assert len(value) < 5 or value not in notice  # "-0" may be part of any text
                assert len(notice) < 200
                assert not unprintable(notice)


def test_unknown_and_overlong_query_keys_are_ignored(tiny: Catalogue) -> None:
    default, _ = parse_query({}, tiny)
    params = {
        "<script>alert(1)</script>": "1",
        "../../etc/passwd": "x",
        "\x00": "\x00",
        "k" * 10_240: "v" * 10_240,
    }
    state, notices = parse_query(params, tiny)
    assert state == default
    assert len(notices) == 1 and "too long" in notices[0]
    assert len(notices[0]) < 200


def test_a_notice_never_carries_markdown_or_html_from_the_link(tiny: Catalogue) -> None:
    """Notices are shown with st.warning, which renders Markdown: an image there is a request."""
    key = "x` ![](https://example.org/p.png) <b>`x"
    _, notices = parse_query({key: "v" * 10_240}, tiny)
    assert len(notices) == 1
    for fragment in ("![", "](", "<b>", "`x"):
        assert fragment not in notices[0], notices[0]
