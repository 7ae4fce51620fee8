"""
A real PostgreSQL for the tests (registered from conftest.py): one throwaway cluster per test
session, made with Debian's `initdb`/`pg_ctl` by `office.postgres`, run as an unprivileged user
when the tests run as root, destroyed at the end. Never a mock database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from office.postgres import PostgresCluster, PostgresError, throwaway_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """The session's PostgreSQL cluster (database `atlas`); its `url` is for `store.Store`."""
    try:
        with throwaway_postgres() as cluster:
            yield cluster
    except PostgresError as exc:
        pytest.fail(f"PostgreSQL could not be started for the tests: {exc}")
